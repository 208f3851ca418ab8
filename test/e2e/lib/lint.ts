// cluster-lint on a rendered scenario, exactly as a user runs it: the built CLI, JSON out.
import { relative } from 'node:path';
import { REPO } from './render.js';
import { run } from './sys.js';

export interface LintMessage {
  ruleId: string;
  severity: number;
  file: string;
  line: number;
  message: string;
}

export interface LintRun {
  exitCode: number;
  messages: LintMessage[];
  /** Set when the CLI's output could not be read as its JSON report. */
  failure?: string;
}

/** With `host`, every path is declared to run there (`--host <path>=<host>`), as the e2e cluster does. */
export async function lintCluster(root: string, paths: string[], host?: string): Promise<LintRun> {
  const hosts = host ? paths.flatMap((p) => ['--host', `${p}=${host}`]) : [];
  const r = await run(process.execPath, [`${REPO}dist/cli.js`, '-f', 'json', '--no-color', ...hosts, ...paths], { timeoutMs: 60_000, cwd: root });
  let results: { filePath: string; messages: { ruleId: string | null; severity: number; line?: number; message: string }[] }[];
  try {
    results = JSON.parse(r.stdout);
  } catch {
    return { exitCode: r.code, messages: [], failure: `exit ${r.code}, no JSON report: ${(r.stderr || r.stdout).slice(0, 2000)}` };
  }
  const messages: LintMessage[] = [];
  for (const file of results) {
    for (const m of file.messages) {
      messages.push({ ruleId: m.ruleId ?? '(none)', severity: m.severity, file: relative(root, file.filePath), line: m.line ?? 0, message: m.message });
    }
  }
  return { exitCode: r.code, messages };
}

export function errorRules(l: LintRun): string[] {
  return [...new Set(l.messages.filter((m) => m.severity === 2).map((m) => m.ruleId))].sort();
}

export function warningRules(l: LintRun): string[] {
  return [...new Set(l.messages.filter((m) => m.severity === 1).map((m) => m.ruleId))].sort();
}

/** The most severe level at which `rule` was reported: 2 error, 1 warning, 0 not at all. */
export function ruleSeverity(l: LintRun, rule: string): number {
  return Math.max(0, ...l.messages.filter((m) => m.ruleId === rule).map((m) => m.severity));
}
