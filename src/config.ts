import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineIndex } from './parsers/source.js';
import type { ParseProblem, RuleSeverity } from './types.js';

export interface ConfigNode {
  path: string;
  host?: string;
  tomcatVersion?: string;
}

export interface ConfigFile {
  /** Absolute path of the file. */
  file: string;
  nodes: ConfigNode[];
  rules: Record<string, RuleSeverity>;
  tomcatVersion: string | undefined;
  ignore: string[];
}

export class UsageError extends Error {}

/** A config file that is not JSON at all: a `parse-error` finding in it, and the run goes on with no config. */
export class ConfigSyntaxError extends Error {
  constructor(readonly problem: ParseProblem) {
    super(problem.message);
  }
}

export const CONFIG_NAME = 'cluster-lint.config.json';

/** The config file named, else `cluster-lint.config.json` found from `cwd` upward. */
export function findConfig(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit) {
    const abs = resolve(cwd, explicit);
    if (!existsSync(abs)) throw new UsageError(`config file not found: ${explicit}`);
    return abs;
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_NAME);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

const SEVERITIES = new Set(['off', 'warn', 'warning', 'error']);

export function normaliseSeverity(value: unknown, where: string): RuleSeverity {
  if (value === 0) return 'off';
  if (value === 1) return 'warning';
  if (value === 2) return 'error';
  if (typeof value !== 'string' || !SEVERITIES.has(value)) {
    throw new UsageError(`${where}: severity must be "off", "warn" or "error", not ${JSON.stringify(value)}`);
  }
  return value === 'warn' ? 'warning' : (value as RuleSeverity);
}

/** Reads and validates a config file; every mistake is a UsageError naming the field. */
export function loadConfig(file: string, knownRules: Set<string>): ConfigFile {
  let data: unknown;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message)?.[1];
    const offset = at === undefined ? text.length : Math.min(Number(at), text.length);
    const index = new LineIndex(file, text);
    throw new ConfigSyntaxError({ message: `cluster-lint.config.json is not valid JSON: ${message}; the run used no config file`, span: index.span(offset, offset) });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: must be a JSON object`);
  const obj = data as Record<string, unknown>;
  const allowed = new Set(['$schema', 'nodes', 'rules', 'tomcatVersion', 'ignore']);
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) throw new UsageError(`${file}: unknown field "${key}" (allowed: nodes, rules, tomcatVersion, ignore)`);
  }
  const nodes: ConfigNode[] = [];
  if (obj.nodes !== undefined) {
    if (!Array.isArray(obj.nodes)) throw new UsageError(`${file}: "nodes" must be an array`);
    obj.nodes.forEach((n, i) => {
      if (typeof n === 'string') {
        nodes.push({ path: n });
        return;
      }
      if (typeof n !== 'object' || n === null || typeof (n as ConfigNode).path !== 'string') {
        throw new UsageError(`${file}: nodes[${i}] must be a path or an object with "path"`);
      }
      const node = n as Record<string, unknown>;
      for (const k of Object.keys(node)) {
        if (!['path', 'host', 'tomcatVersion'].includes(k)) throw new UsageError(`${file}: nodes[${i}]: unknown field "${k}"`);
      }
      if (node.host !== undefined && typeof node.host !== 'string') throw new UsageError(`${file}: nodes[${i}].host must be a string`);
      if (node.tomcatVersion !== undefined && !isVersion(node.tomcatVersion)) {
        throw new UsageError(`${file}: nodes[${i}].tomcatVersion must look like "9.0" or "10.1.20"`);
      }
      nodes.push(node as unknown as ConfigNode);
    });
  }
  const rules: Record<string, RuleSeverity> = {};
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) throw new UsageError(`${file}: "rules" must be an object`);
    for (const [id, sev] of Object.entries(obj.rules)) {
      if (!knownRules.has(id)) throw new UsageError(`${file}: rules: unknown rule "${id}" (see --list-rules)`);
      rules[id] = normaliseSeverity(sev, `${file}: rules.${id}`);
    }
  }
  if (obj.tomcatVersion !== undefined && !isVersion(obj.tomcatVersion)) {
    throw new UsageError(`${file}: "tomcatVersion" must look like "9.0" or "10.1.20"`);
  }
  let ignore: string[] = [];
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || obj.ignore.some((g) => typeof g !== 'string')) throw new UsageError(`${file}: "ignore" must be an array of glob strings`);
    ignore = obj.ignore as string[];
  }
  return { file, nodes, rules, tomcatVersion: obj.tomcatVersion as string | undefined, ignore };
}

export function isVersion(v: unknown): v is string {
  return typeof v === 'string' && /^\d+(\.\d+){0,2}$/.test(v);
}
