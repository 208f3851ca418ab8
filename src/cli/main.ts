import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_NAME, ConfigSyntaxError, findConfig, loadConfig, normaliseSeverity, UsageError, type ConfigFile } from '../config.js';
import type { ParseProblem } from '../types.js';
import { lint, RuleCrash, type LintOptions, type LintResult } from '../lint.js';
import { ruleMetas } from '../rules/index.js';
import { docsPath } from '../rules/api.js';
import { format } from '../report/format.js';
import { displayPath } from '../report/paths.js';
import type { Finding, RuleSeverity } from '../types.js';

declare const CLUSTER_LINT_VERSION: string | undefined;

const HELP = `Usage: cluster-lint [options] [path ...]

Lints a whole Java web cluster at once: Tomcat nodes (server.xml, web.xml,
context.xml) and the httpd front end (mod_jk, mod_jk2, mod_proxy_balancer).

Paths are node folders or single files; default: the config file's "nodes",
else "." searched for nodes.

Options:
  -f, --format <name>        pretty (default; github under GitHub Actions), json,
                             sarif, github, summary (Markdown for the job summary),
                             mermaid (topology), or an ESLint formatter
  -o, --output-file <file>   write the report to a file instead of stdout
                             Several outputs in one run: repeat -f, each followed
                             by its own -o (or -f <name>=<file>); at most one goes
                             to stdout: -f sarif -o out.sarif -f pretty
  -c, --config <file>        config file (default: ${CONFIG_NAME} from here upward)
      --host <path>=<host>   declare where a node runs (repeatable)
      --rule <id>=<sev>      set a rule's severity: off, warn or error (repeatable)
      --max-warnings <n>     exit 1 when warnings exceed n
      --quiet                report errors only
      --no-inline-config     ignore cluster-lint-disable comments
      --fix                  apply the safe fixes, then report what remains
      --fix-dry-run          print the fixes as a unified diff; change nothing
      --graph                print the cluster topology (Mermaid) instead of findings
      --explain <rule>       print the rule's page
      --list-rules           list every rule with its default severity
      --no-color             plain output
  -v, --version              print the version
  -h, --help                 print this help

Exit codes: 0 no errors, 1 errors (or too many warnings), 2 the run failed.
`;

function version(): string {
  if (typeof CLUSTER_LINT_VERSION === 'string') return CLUSTER_LINT_VERSION;
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cluster-lint: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RuleCrash) {
      io.stderr(`cluster-lint: internal error: ${error.message}\nPlease report this with the files that caused it.\n`);
      return 2;
    }
    io.stderr(`cluster-lint: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 2;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        format: { type: 'string', short: 'f', multiple: true },
        'output-file': { type: 'string', short: 'o', multiple: true },
        config: { type: 'string', short: 'c' },
        host: { type: 'string', multiple: true },
        rule: { type: 'string', multiple: true },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        'no-inline-config': { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        graph: { type: 'boolean' },
        explain: { type: 'string' },
        'list-rules': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nRun cluster-lint --help for usage.`);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const knownRules = new Set(ruleMetas.map((m) => m.id));
  if (values['list-rules']) {
    const width = Math.max(...ruleMetas.map((m) => m.id.length));
    for (const m of ruleMetas) io.stdout(`${m.id.padEnd(width)}  ${m.severity.padEnd(7)}  ${m.description}\n`);
    return 0;
  }
  if (values.explain !== undefined) {
    const id = values.explain;
    if (!knownRules.has(id)) throw new UsageError(`unknown rule "${id}" (see --list-rules)`);
    io.stdout(readFileSync(docsPath(id), 'utf8'));
    return 0;
  }

  const configFile = findConfig(io.cwd, values.config);
  let config: ConfigFile | undefined;
  const configProblems: ParseProblem[] = [];
  if (configFile) {
    try {
      config = loadConfig(configFile, knownRules);
    } catch (error) {
      // Not JSON at all is a finding in that file (design: exit 1); JSON that says wrong things is a usage error.
      if (!(error instanceof ConfigSyntaxError)) throw error;
      configProblems.push(error.problem);
    }
  }
  const configDir = configFile ? resolve(configFile, '..') : io.cwd;

  const ruleSeverities = new Map<string, RuleSeverity>(Object.entries(config?.rules ?? {}));
  for (const spec of values.rule ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(spec);
    if (!m) throw new UsageError(`--rule expects <id>=<off|warn|error>, got "${spec}"`);
    if (!knownRules.has(m[1]!)) throw new UsageError(`--rule: unknown rule "${m[1]}" (see --list-rules)`);
    ruleSeverities.set(m[1]!, normaliseSeverity(m[2], `--rule ${m[1]}`));
  }

  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^\d+$/.test(values['max-warnings'])) throw new UsageError(`--max-warnings expects a number, got "${values['max-warnings']}"`);
    maxWarnings = Number(values['max-warnings']);
  }

  const hosts = new Map<string, string>();
  const versions = new Map<string, string>();
  for (const n of config?.nodes ?? []) {
    const abs = resolve(configDir, n.path);
    if (n.host) hosts.set(abs, n.host);
    if (n.tomcatVersion) versions.set(abs, n.tomcatVersion);
  }
  if (config?.tomcatVersion) versions.set('*', config.tomcatVersion);
  for (const spec of values.host ?? []) {
    const m = /^(.+)=([^=]+)$/.exec(spec);
    if (!m) throw new UsageError(`--host expects <path>=<host>, got "${spec}"`);
    hosts.set(resolve(io.cwd, m[1]!), m[2]!);
  }

  let paths: string[];
  if (positionals.length > 0) {
    paths = positionals.map((p) => resolve(io.cwd, p));
  } else if (config && config.nodes.length > 0) {
    paths = config.nodes.map((n) => resolve(configDir, n.path));
  } else {
    paths = [io.cwd];
  }
  for (const p of paths) {
    if (!existsSync(p)) throw new UsageError(`no such file or folder: ${p}`);
  }

  const defaultFormat = io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'pretty';
  let outputs = planOutputs(tokens, defaultFormat);
  if (values.fix && values['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  if (values.graph) {
    if (values.fix || values['fix-dry-run']) throw new UsageError('--graph cannot be combined with --fix or --fix-dry-run');
    if (values.format?.length) throw new UsageError('--graph prints the topology only; to write it beside other formats use -f mermaid');
    outputs = outputs.map((o) => ({ ...o, format: 'mermaid' }));
  }

  const options: LintOptions = {
    paths,
    cwd: io.cwd,
    hosts,
    versions,
    ignore: config?.ignore ?? [],
    ruleSeverities,
    inlineConfig: !values['no-inline-config'],
    preProblems: configProblems,
  };
  let result: LintResult;
  let reported: Finding[];
  // With --fix-dry-run stdout carries the patch, so a report meant for stdout goes to stderr.
  let stdout = io.stdout;

  if (values.fix) {
    // Loaded only when asked for: the fixer brings the encoders (iconv-lite) and the differ.
    const { fixUntilStable } = await import('../fix/apply.js');
    const run = fixUntilStable(() => lint(options));
    result = run.result;
    reported = result.findings;
    for (const s of run.skipped) io.stderr(`cluster-lint: not fixing ${displayPath(io.cwd, s.file)}: ${s.reason}\n`);
    if (run.applied.length > 0) {
      io.stderr(`cluster-lint: fixed ${run.applied.length} problem${run.applied.length === 1 ? '' : 's'} in ${run.written.length} file${run.written.length === 1 ? '' : 's'}\n`);
    }
  } else if (values['fix-dry-run']) {
    const { previewFixes, unifiedDiff } = await import('../fix/apply.js');
    result = lint(options);
    const plan = previewFixes(result.findings, result.model.sources);
    for (const s of plan.skipped) io.stderr(`cluster-lint: would not fix ${displayPath(io.cwd, s.file)}: ${s.reason}\n`);
    io.stdout(unifiedDiff(plan.changes, io.cwd));
    const fixed = new Set(plan.applied);
    reported = result.findings.filter((f) => !fixed.has(f));
    const later = plan.deferred.filter((f) => !f.fix!.edits.some((e) => plan.unwritable.has(e.file))).length;
    if (later > 0) io.stderr(`cluster-lint: ${later} more fix${later === 1 ? '' : 'es'} overlap${later === 1 ? 's' : ''} the ones shown; --fix applies them in later passes\n`);
    stdout = io.stderr;
  } else {
    result = lint(options);
    reported = result.findings;
  }

  let findings: Finding[] = reported;
  if (values.quiet) findings = findings.filter((f) => f.severity === 'error');
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;

  const noColor = values['no-color'] || values.color === false;
  const common = { files: result.files, findings, rules: ruleMetas, cwd: io.cwd, model: result.model, version: version() };
  for (const output of outputs) {
    const text = await format(output.format, { ...common, color: !noColor && output.file === undefined });
    if (output.file !== undefined) {
      const file = resolve(io.cwd, output.file);
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      } catch (error) {
        throw new UsageError(`cannot write the report to ${output.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    } else if (text) {
      stdout(text.endsWith('\n') ? text : `${text}\n`);
    }
  }
  if (values.graph) return 0;

  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`cluster-lint found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

export interface Output {
  format: string;
  /** Relative to the working directory; undefined = stdout. */
  file: string | undefined;
}

type Token = { kind: string; name?: string; value?: string | undefined };

/**
 * Pairs `-f` and `-o` in the order given: an `-o` belongs to the nearest `-f` before it
 * that has no file yet, else to the next `-f`; `-f name=file` pairs itself. A lone `-o`
 * writes the default format there (as with one `-f x -o y`, in either order). At most
 * one output goes to stdout.
 */
export function planOutputs(tokens: Token[], defaultFormat: string): Output[] {
  const outputs: Output[] = [];
  const pendingFiles: string[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'format') {
      const m = /^([^=]+)=(.+)$/.exec(t.value);
      if (m) outputs.push({ format: m[1]!, file: m[2]! });
      else outputs.push({ format: t.value, file: pendingFiles.shift() });
    } else if (t.name === 'output-file') {
      const open = [...outputs].reverse().find((o) => o.file === undefined);
      if (open) open.file = t.value;
      else pendingFiles.push(t.value);
    }
  }
  if (outputs.length === 0) outputs.push({ format: defaultFormat, file: pendingFiles.shift() });
  if (pendingFiles.length > 0) {
    throw new UsageError(`-o ${pendingFiles[0]} has no -f to pair with: give each output file its format (-f <name> -o <file>)`);
  }
  const toStdout = outputs.filter((o) => o.file === undefined);
  if (toStdout.length > 1) {
    throw new UsageError(`only one format can go to stdout (${toStdout.map((o) => o.format).join(', ')}): give the others -o <file>`);
  }
  return outputs;
}
