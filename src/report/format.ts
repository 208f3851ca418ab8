import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../config.js';
import type { ClusterModel } from '../model/types.js';
import type { RuleMeta } from '../rules/api.js';
import type { Finding } from '../types.js';
import { rulesMeta, toEslintResults } from './eslint.js';

export interface FormatInput {
  files: string[];
  findings: Finding[];
  rules: RuleMeta[];
  cwd: string;
  color: boolean;
  model: ClusterModel;
  /** cluster-lint's version, for SARIF's tool.driver. */
  version: string;
}

/** Built-in format names; anything else is looked up as an ESLint formatter. */
export const BUILT_IN_FORMATS = ['pretty', 'json', 'sarif', 'github', 'summary', 'mermaid'] as const;

type EslintFormatter = (results: unknown, data: unknown) => string | Promise<string>;

/** Renders findings in one format. Formatters read only findings (and rule metadata). */
export async function format(name: string, input: FormatInput): Promise<string> {
  const results = toEslintResults(input.files, input.findings);
  switch (name) {
    case 'json':
      return JSON.stringify(results);
    case 'pretty': {
      // chalk decides on colour when it is first loaded, so say it before loading the formatter.
      if (!input.color) {
        process.env.FORCE_COLOR = '0';
        process.env.FORCE_HYPERLINK = '0';
      }
      const { default: pretty } = await import('eslint-formatter-pretty');
      const text = pretty(results as never, { rulesMeta: rulesMeta(input.rules), cwd: input.cwd } as never);
      return text;
    }
    case 'sarif': {
      const { formatSarif } = await import('./sarif.js');
      return formatSarif({ findings: input.findings, rules: input.rules, cwd: input.cwd, version: input.version });
    }
    case 'github': {
      // Loaded only when used: @actions/core is not needed anywhere else.
      const { formatGithub } = await import('./github.js');
      return formatGithub(input.findings, input.cwd);
    }
    case 'summary': {
      const { formatSummary } = await import('./summary.js');
      return formatSummary({ files: input.files, findings: input.findings, cwd: input.cwd, model: input.model });
    }
    case 'mermaid': {
      const { toMermaid } = await import('../graph/mermaid.js');
      return toMermaid(input.model, input.findings);
    }
    default:
      return runEslintFormatter(name, results, input);
  }
}

async function runEslintFormatter(name: string, results: unknown, input: FormatInput): Promise<string> {
  let resolved: string;
  try {
    const require = createRequire(join(input.cwd, 'noop.js'));
    if (name.startsWith('.') || name.startsWith('/')) resolved = require.resolve(resolve(input.cwd, name));
    else {
      try {
        resolved = require.resolve(name);
      } catch {
        resolved = require.resolve(`eslint-formatter-${name}`);
      }
    }
  } catch {
    throw new UsageError(`unknown format "${name}": use ${BUILT_IN_FORMATS.join(', ')}, or install an ESLint formatter`);
  }
  const mod = (await import(pathToFileURL(resolved).href)) as { default?: EslintFormatter } & EslintFormatter;
  const formatter = typeof mod.default === 'function' ? mod.default : (mod as unknown as EslintFormatter);
  if (typeof formatter !== 'function') throw new UsageError(`"${name}" is not an ESLint formatter`);
  return await formatter(results, { cwd: input.cwd, rulesMeta: rulesMeta(input.rules) });
}
