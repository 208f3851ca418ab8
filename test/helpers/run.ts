import { relative, sep } from 'node:path';
import { lint, type LintResult } from '../../src/lint.js';
import type { RuleSeverity } from '../../src/types.js';

export interface RunOptions {
  hosts?: Record<string, string>;
  versions?: Record<string, string>;
  rules?: Record<string, RuleSeverity>;
  inlineConfig?: boolean;
}

/** Lints paths relative to `cwd` the way the CLI does, in-process. */
export function lintPaths(cwd: string, paths: string[], options: RunOptions = {}): LintResult {
  return lint({
    paths: paths.map((p) => `${cwd}/${p}`.replace(/\/\.$/, '')),
    cwd,
    hosts: new Map(Object.entries(options.hosts ?? {}).map(([p, h]) => [`${cwd}/${p}`, h])),
    versions: new Map(Object.entries(options.versions ?? {}).map(([p, v]) => [p === '*' ? '*' : `${cwd}/${p}`, v])),
    ignore: [],
    ruleSeverities: new Map(Object.entries(options.rules ?? {})),
    inlineConfig: options.inlineConfig ?? true,
  });
}

export function summarize(result: LintResult, cwd: string): { ruleId: string; file: string; line: number; column: number; severity: 'error' | 'warning' }[] {
  return result.findings.map((f) => ({
    ruleId: f.ruleId,
    file: relative(cwd, f.span.file).split(sep).join('/'),
    line: f.span.line,
    column: f.span.column,
    severity: f.severity,
  }));
}
