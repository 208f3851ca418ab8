import type { RuleMeta } from '../rules/api.js';
import { docsUrl } from '../rules/api.js';
import type { Finding } from '../types.js';

/** ESLint's LintMessage, with cluster-lint's `related` locations. */
export interface EslintMessage {
  ruleId: string | null;
  severity: 1 | 2;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  related?: { filePath: string; line: number; column: number; endLine: number; endColumn: number; message?: string }[];
  fix?: { range: [number, number]; text: string };
}

export interface EslintResult {
  filePath: string;
  messages: EslintMessage[];
  errorCount: number;
  warningCount: number;
  fatalErrorCount: number;
  fixableErrorCount: number;
  fixableWarningCount: number;
}

/** ESLint's result shape, so every ESLint formatter works on it. Every linted file appears once. */
export function toEslintResults(files: string[], findings: Finding[]): EslintResult[] {
  const byFile = new Map<string, EslintResult>();
  const resultFor = (filePath: string) => {
    let r = byFile.get(filePath);
    if (!r) {
      r = { filePath, messages: [], errorCount: 0, warningCount: 0, fatalErrorCount: 0, fixableErrorCount: 0, fixableWarningCount: 0 };
      byFile.set(filePath, r);
    }
    return r;
  };
  for (const f of files) resultFor(f);
  for (const f of findings) {
    const r = resultFor(f.span.file);
    const message: EslintMessage = {
      ruleId: f.ruleId,
      severity: f.severity === 'error' ? 2 : 1,
      message: f.message,
      line: f.span.line,
      column: f.span.column,
      endLine: f.span.endLine,
      endColumn: f.span.endColumn,
    };
    if (f.related.length > 0) {
      message.related = f.related.map((rel) => ({
        filePath: rel.span.file,
        line: rel.span.line,
        column: rel.span.column,
        endLine: rel.span.endLine,
        endColumn: rel.span.endColumn,
        ...(rel.message ? { message: rel.message } : {}),
      }));
    }
    r.messages.push(message);
    if (f.severity === 'error') {
      r.errorCount++;
      if (f.fix) r.fixableErrorCount++;
    } else {
      r.warningCount++;
      if (f.fix) r.fixableWarningCount++;
    }
  }
  return [...byFile.values()];
}

/** ESLint's `rulesMeta` argument for formatters: docs links for every rule. */
export function rulesMeta(metas: RuleMeta[]): Record<string, { type: string; docs: { description: string; url: string }; fixable?: 'code' }> {
  const meta: Record<string, { type: string; docs: { description: string; url: string }; fixable?: 'code' }> = {};
  for (const r of metas) {
    meta[r.id] = {
      type: 'problem',
      docs: { description: r.description, url: docsUrl(r.id) },
      ...(r.fixable ? { fixable: 'code' as const } : {}),
    };
  }
  return meta;
}
