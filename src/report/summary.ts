/**
 * A Markdown report for GitHub's job summary (`$GITHUB_STEP_SUMMARY`): counts, a table
 * of findings, and the cluster's topology as a Mermaid diagram.
 */
import { toMermaid } from '../graph/mermaid.js';
import type { ClusterModel } from '../model/types.js';
import type { Finding } from '../types.js';
import { displayPath } from './paths.js';

/** GitHub caps a step's summary at 1 MiB; a table this long is not read anyway. */
export const MAX_ROWS = 500;

export interface SummaryInput {
  files: string[];
  findings: Finding[];
  cwd: string;
  /** Without a model the topology section is left out. */
  model: ClusterModel | undefined;
}

/** Escapes text for one Markdown table cell: no HTML, no emphasis, no cell break. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatSummary(input: SummaryInput): string {
  const { findings, cwd } = input;
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const out: string[] = [];
  const files = plural(input.files.length, 'file');
  if (findings.length === 0) out.push(`## cluster-lint: no problems`, '', `Checked ${files}.`);
  else out.push(`## cluster-lint: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`, '', `Checked ${files}.`);

  if (findings.length > 0) {
    out.push('', '| severity | rule | where | message |', '|---|---|---|---|');
    for (const f of findings.slice(0, MAX_ROWS)) {
      const at = (s: Finding['span']) => `${displayPath(cwd, s.file)}:${s.line}:${s.column}`;
      const where = [cell(at(f.span)), ...f.related.map((r) => `also ${cell(at(r.span))}`)].join('<br>');
      const severity = f.severity === 'error' ? '🔴 error' : '🟡 warning';
      out.push(`| ${severity} | \`${f.ruleId}\` | ${where} | ${cell(f.message)} |`);
    }
    if (findings.length > MAX_ROWS) out.push('', `…and ${findings.length - MAX_ROWS} more: see the annotations or the SARIF file.`);
  }

  if (input.model && (input.model.nodes.length > 0 || input.model.frontEnds.length > 0)) {
    out.push('', '### Topology', '', '```mermaid', toMermaid(input.model, findings).trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}
