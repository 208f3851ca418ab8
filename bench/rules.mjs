#!/usr/bin/env node
// Where the time goes inside one run: discovery, model, and each rule on its own, on a
// generated fleet (or any folder). Bundles src/ with esbuild (a dev dependency) on the fly.
//
//   node bench/rules.mjs [--nodes 1000] [--dir <folder>] [--reps 3]
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFleet } from './generate.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({ options: { nodes: { type: 'string', default: '1000' }, dir: { type: 'string' }, reps: { type: 'string', default: '3' } } });
const reps = Number(values.reps);

let dir = values.dir ? resolve(values.dir) : join(ROOT, '.bench', `fleet-${values.nodes}`);
if (!values.dir && !existsSync(join(dir, 'cluster-lint.config.json'))) generateFleet({ nodes: Number(values.nodes), dir });

const out = join(ROOT, '.bench', 'profile-entry.mjs');
mkdirSync(join(ROOT, '.bench'), { recursive: true });
await build({
  stdin: {
    contents: `export { discover } from './src/discover/discover.ts';
export { buildModel } from './src/model/build.ts';
export { rules } from './src/rules/index.ts';
export { settle } from './src/settle.ts';
export { loadConfig } from './src/config.ts';`,
    resolveDir: ROOT,
    loader: 'ts',
  },
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: 'warning',
});
const m = await import(pathToFileURL(out).href);

const configFile = join(dir, 'cluster-lint.config.json');
const config = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) : { nodes: [] };
const paths = config.nodes?.length ? config.nodes.map((n) => resolve(dir, typeof n === 'string' ? n : n.path)) : [dir];
const hosts = new Map(config.nodes?.filter((n) => n.host).map((n) => [resolve(dir, n.path), n.host]) ?? []);
const versions = new Map(config.tomcatVersion ? [['*', config.tomcatVersion]] : []);

const times = new Map();
const time = (name, f) => {
  const t = performance.now();
  const r = f();
  times.set(name, [...(times.get(name) ?? []), performance.now() - t]);
  return r;
};
for (let i = 0; i < reps; i++) {
  const discovery = time('discover', () => m.discover({ paths, cwd: dir, hosts, versions, ignore: [] }));
  const model = time('buildModel', () => m.buildModel(discovery));
  let findings = 0;
  const raw = [];
  for (const rule of m.rules) {
    time(`rule ${rule.meta.id}`, () => rule.check(model, (d) => {
      findings++;
      raw.push({ ruleId: rule.meta.id, severity: d.severity ?? 'error', message: d.message, span: d.span, related: d.related ?? [] });
    }));
  }
  time('settle', () => m.settle(raw, model, { rules: m.rules, ruleSeverities: new Map(), inlineConfig: true }));
  if (i === 0) console.log(`${dir}: ${model.nodes.length} nodes, ${model.files.length} files, ${findings} raw findings`);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const rows = [...times].map(([k, v]) => [k, median(v)]).sort((a, b) => b[1] - a[1]);
for (const [k, v] of rows) console.log(`${v.toFixed(1).padStart(9)} ms  ${k}`);
