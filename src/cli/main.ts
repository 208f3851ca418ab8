import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CONFIG_NAME, findConfig, loadConfig, normaliseSeverity, UsageError, type ConfigFile } from '../config.js';
import { lint, RuleCrash } from '../lint.js';
import { rules } from '../rules/index.js';
import { docsPath } from '../rules/api.js';
import { format } from '../report/format.js';
import type { Finding, RuleSeverity } from '../types.js';
import { UNUSED_SUPPRESSION } from '../settle.js';

declare const CLUSTER_LINT_VERSION: string | undefined;

const HELP = `Usage: cluster-lint [options] [path ...]

Lints a whole Java web cluster at once: Tomcat nodes (server.xml, web.xml,
context.xml) and the httpd front end (mod_jk, mod_jk2, mod_proxy_balancer).

Paths are node folders or single files; default: the config file's "nodes",
else "." searched for nodes.

Options:
  -f, --format <name>        pretty (default), json, sarif, github, or an ESLint formatter
  -o, --output-file <file>   write the report to a file instead of stdout
  -c, --config <file>        config file (default: ${CONFIG_NAME} from here upward)
      --host <path>=<host>   declare where a node runs (repeatable)
      --rule <id>=<sev>      set a rule's severity: off, warn or error (repeatable)
      --max-warnings <n>     exit 1 when warnings exceed n
      --quiet                report errors only
      --no-inline-config     ignore cluster-lint-disable comments
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
      options: {
        format: { type: 'string', short: 'f' },
        'output-file': { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        host: { type: 'string', multiple: true },
        rule: { type: 'string', multiple: true },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        'no-inline-config': { type: 'boolean' },
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
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const knownRules = new Set([...rules.map((r) => r.meta.id), UNUSED_SUPPRESSION]);
  if (values['list-rules']) {
    const width = Math.max(...rules.map((r) => r.meta.id.length));
    for (const r of rules) io.stdout(`${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(7)}  ${r.meta.description}\n`);
    return 0;
  }
  if (values.explain !== undefined) {
    const id = values.explain;
    if (!rules.some((r) => r.meta.id === id)) throw new UsageError(`unknown rule "${id}" (see --list-rules)`);
    io.stdout(readFileSync(docsPath(id), 'utf8'));
    return 0;
  }

  const configFile = findConfig(io.cwd, values.config);
  const config: ConfigFile | undefined = configFile ? loadConfig(configFile, knownRules) : undefined;
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

  const result = lint({
    paths,
    cwd: io.cwd,
    hosts,
    versions,
    ignore: config?.ignore ?? [],
    ruleSeverities,
    inlineConfig: !values['no-inline-config'],
  });

  let findings: Finding[] = result.findings;
  if (values.quiet) findings = findings.filter((f) => f.severity === 'error');
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;

  const formatName = values.format ?? (io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'pretty');
  const color = !values['no-color'] && values.color !== false && !values['output-file'];
  const text = await format(formatName, { files: result.files, findings, rules: result.rules, cwd: io.cwd, color, model: result.model });
  if (values['output-file']) {
    writeFileSync(resolve(io.cwd, values['output-file']), text);
  } else if (text) {
    io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  if (errors > 0) return 1;
  if (maxWarnings >= 0 && warnings > maxWarnings) {
    io.stderr(`cluster-lint found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return 0;
}
