import { discover, type DiscoverOptions } from './discover/discover.js';
import { buildModel } from './model/build.js';
import type { ClusterModel } from './model/types.js';
import type { Rule } from './rules/api.js';
import { rules as allRules } from './rules/index.js';
import { settle, type SettleOptions } from './settle.js';
import type { Finding, ParseProblem, ReportDescriptor, Severity } from './types.js';

export interface LintOptions extends DiscoverOptions, Omit<SettleOptions, 'rules'> {
  rules?: Rule[];
  /** Problems found before discovery (a config file that is not JSON), reported as parse errors. */
  preProblems?: ParseProblem[];
}

export interface LintResult {
  /** Every file read, absolute paths, in discovery order. */
  files: string[];
  findings: Finding[];
  model: ClusterModel;
  rules: Rule[];
}

export class RuleCrash extends Error {
  constructor(readonly ruleId: string, readonly original: unknown) {
    super(`rule ${ruleId} failed: ${original instanceof Error ? original.message : String(original)}`);
  }
}

/** Runs every enabled rule on the model; findings come out in the rule's default severity. */
export function runRules(model: ClusterModel, rules: Rule[], enabled: (id: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!enabled(rule.meta.id)) continue;
    const defaultSeverity: Severity = rule.meta.severity === 'off' ? 'warning' : rule.meta.severity;
    const report = (d: ReportDescriptor) => {
      findings.push({
        ruleId: rule.meta.id,
        severity: d.severity ?? defaultSeverity,
        message: d.message,
        span: d.span,
        related: d.related ?? [],
        ...(d.fix ? { fix: d.fix } : {}),
      });
    };
    try {
      rule.check(model, report);
    } catch (error) {
      throw new RuleCrash(rule.meta.id, error);
    }
  }
  return findings;
}

export function lint(options: LintOptions): LintResult {
  const rules = options.rules ?? allRules;
  const discovery = discover(options);
  const model = buildModel(discovery);
  for (const problem of options.preProblems ?? []) {
    model.parseProblems.push(problem);
    if (!model.files.some((f) => f.path === problem.span.file)) model.files.push({ path: problem.span.file, kind: 'unknown', nodeId: undefined });
  }
  const enabled = (id: string) => {
    const configured = options.ruleSeverities.get(id);
    const meta = rules.find((r) => r.meta.id === id)?.meta;
    return (configured ?? meta?.severity ?? 'off') !== 'off';
  };
  const raw = runRules(model, rules, enabled);
  const findings = settle(raw, model, { ...options, rules });
  return { files: model.files.map((f) => f.path), findings, model, rules };
}
