import type { ClusterModel } from './model/types.js';
import { LineIndex } from './parsers/source.js';
import type { Rule } from './rules/api.js';
import { unusedSuppression } from './rules/unused-suppression.js';
import type { Finding, LineComment, RuleSeverity, Span } from './types.js';

export interface SettleOptions {
  rules: Rule[];
  /** `--rule id=sev` and the config file's `rules`. */
  ruleSeverities: Map<string, RuleSeverity>;
  /** False under `--no-inline-config`: suppression comments are ignored. */
  inlineConfig: boolean;
}

export const UNUSED_SUPPRESSION = unusedSuppression.id;

interface Suppression {
  file: string;
  rules: string[] | undefined;
  fromLine: number;
  toLine: number;
  comment: LineComment;
  used: boolean;
}

const DIRECTIVE = /^cluster-lint-(disable-next-line|disable|enable)\b([^]*)$/;

/**
 * Applies the user's severities and inline suppressions to raw findings and orders
 * them by file and position. Unused suppressions become findings of their own.
 */
export function settle(raw: Finding[], model: ClusterModel, options: SettleOptions): Finding[] {
  let findings = raw.map((f) => {
    const configured = options.ruleSeverities.get(f.ruleId);
    return configured && configured !== 'off' ? { ...f, severity: configured } : f;
  });
  if (options.inlineConfig) {
    const suppressions = collectSuppressions(model);
    if (suppressions.length > 0) {
      const byFile = new Map<string, Suppression[]>();
      for (const s of suppressions) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
      findings = findings.filter((f) => {
        const hit = byFile.get(f.span.file)?.find(
          (s) => f.span.line >= s.fromLine && f.span.line <= s.toLine && (!s.rules || s.rules.includes(f.ruleId)),
        );
        if (hit) hit.used = true;
        return !hit;
      });
      const unusedSeverity = options.ruleSeverities.get(UNUSED_SUPPRESSION) ?? 'warning';
      if (unusedSeverity !== 'off') {
        for (const s of suppressions) {
          if (s.used) continue;
          findings.push({
            ruleId: UNUSED_SUPPRESSION,
            severity: unusedSeverity,
            message: `This suppression suppresses nothing${s.rules ? ` (no ${s.rules.join(', ')} finding here)` : ''}: remove it.`,
            span: s.comment.span,
            related: [],
          });
        }
      }
    }
  }
  return findings.sort(compareFindings);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : 0) ||
    a.span.line - b.span.line ||
    a.span.column - b.span.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}

function parseDirective(text: string): { kind: string; rules: string[] | undefined } | undefined {
  const m = DIRECTIVE.exec(text.trim());
  if (!m) return undefined;
  // Everything after ` -- ` is the reason. XML forbids `--` inside a comment (Tomcat's parser
  // rejects the whole file), so there a single ` - ` (or an em dash) introduces it.
  const list = m[2]!.split(/\s(?:--|-|\u2014)(?:\s|$)/)[0]!.trim();
  const rules = list ? list.split(/[\s,]+/).filter(Boolean) : undefined;
  return { kind: m[1]!, rules };
}

function collectSuppressions(model: ClusterModel): Suppression[] {
  const out: Suppression[] = [];
  for (const [file, comments] of model.comments) {
    const open: Suppression[] = [];
    let index: LineIndex | undefined;
    for (const comment of comments) {
      const d = parseDirective(comment.text);
      if (!d) continue;
      if (d.kind === 'disable-next-line') {
        const source = model.sources.get(file);
        index ??= source ? new LineIndex(file, source.text) : undefined;
        const next = comment.span.endLine + 1;
        out.push({ file, rules: d.rules, fromLine: next, toLine: index && source ? nextTagEndLine(index, source.text, comment.span) : next, comment, used: false });
      } else if (d.kind === 'disable') {
        const s: Suppression = { file, rules: d.rules, fromLine: comment.span.endLine, toLine: Number.MAX_SAFE_INTEGER, comment, used: false };
        open.push(s);
        out.push(s);
      } else {
        for (const s of open) {
          if (s.toLine !== Number.MAX_SAFE_INTEGER) continue;
          if (!d.rules || !s.rules || s.rules.some((r) => d.rules!.includes(r))) s.toLine = comment.span.line;
        }
      }
    }
  }
  return out;
}

/**
 * The last line a next-line suppression covers: in XML the start tag that follows the
 * comment may run over several lines, and its attributes are where findings sit.
 */
function nextTagEndLine(index: LineIndex, text: string, span: Span): number {
  const next = span.endLine + 1;
  let at = index.lineStart(span.endLine) + span.endColumn - 1;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  if (text[at] !== '<' || index.position(at).line !== next) return next;
  const close = text.indexOf('>', at);
  return close < 0 ? next : index.position(close).line;
}
