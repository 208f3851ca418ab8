#!/usr/bin/env node
// cluster-lint against the floor (bench/floor.mjs: read the same files, parse the XML with
// fast-xml-parser) on clean generated fleets, whole process, in the same run.
//
//   node bench/run.mjs [--sizes 2,250,1000,4000] [--reps 5] [--cli dist/cli.js]
//
// Runs cluster-lint and the floor in turn (A B A B ...) so drift in the machine's speed hits
// both; reports medians, the median of the pairwise ratios, and peak RSS (the largest of the
// runs). Prints the table always; exits 1 when a target is missed or a clean fleet gives a
// finding, 2 when the benchmark itself could not run.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateFleet } from './generate.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const TIME = '/usr/bin/time';

const TARGETS = {
  ratioAt1000: 2.0,
  linear4000over1000: 4.4,
  rssAt1000Mb: 400,
  seedSeconds: 0.2,
};

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2,250,1000,4000' },
    reps: { type: 'string', default: '5' },
    cli: { type: 'string', default: 'dist/cli.js' },
  },
});
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
const reps = Number(values.reps);
const cli = resolve(ROOT, values.cli);
if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(reps) || reps < 1) {
  console.error('bench: --sizes takes positive integers (2,250,1000), --reps a positive integer');
  process.exit(2);
}
if (!existsSync(cli)) {
  console.error(`bench: ${cli} not found; run npm run build first`);
  process.exit(2);
}

const haveTime = process.env.BENCH_NO_TIME !== '1' && existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;
const PROBE = join(ROOT, 'bench', 'rss-probe.mjs');

/**
 * Runs `node <args>` in `cwd`: wall seconds measured here around the whole process, peak RSS
 * in MB from /usr/bin/time (or, without it, from the process itself at exit).
 */
function runNode(args, cwd) {
  const start = process.hrtime.bigint();
  const r = haveTime
    ? spawnSync(TIME, ['-f', '%M %U %S', process.execPath, ...args], { cwd, maxBuffer: 1 << 30, encoding: 'utf8' })
    : spawnSync(process.execPath, ['--import', PROBE, ...args], { cwd, maxBuffer: 1 << 30, encoding: 'utf8', env: { ...process.env, BENCH_RSS_PROBE: '1' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.error) throw r.error;
  const lines = r.stderr.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  const [kb, user, sys] = haveTime ? last.split(' ').map(Number) : (/^bench-rss-kb (\d+) (\S+) (\S+)$/.exec(last)?.slice(1).map(Number) ?? [NaN, NaN, NaN]);
  return { seconds, cpu: user + sys, rssMb: kb / 1024, status: r.status, stdout: r.stdout, stderr: lines.join('\n') };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Generates the fleet unless the one on disk was made by this generator for this size. */
function fleet(n) {
  const dir = join(ROOT, '.bench', `fleet-${n}`);
  const membership = n <= 2 ? 'static' : 'multicast';
  const stamp = createHash('sha256').update(readFileSync(join(ROOT, 'bench', 'generate.mjs'))).update(`${n} ${membership}`).digest('hex');
  const stampFile = `${dir}.stamp`;
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) {
    generateFleet({ nodes: n, dir, membership });
    writeFileSync(stampFile, stamp);
  }
  const files = JSON.parse(readFileSync(join(dir, 'cluster-lint.config.json'), 'utf8')).nodes.length * 2;
  return { dir, files, membership };
}

const failures = [];
const rows = [];
const fmt = (s) => `${s.toFixed(3)} s`;

for (const n of sizes) {
  const f = fleet(n);
  // Zero findings on a clean fleet, every file listed, exit 0.
  const check = runNode([cli, '-f', 'json'], f.dir);
  let findings = NaN;
  let listed = NaN;
  try {
    const results = JSON.parse(check.stdout);
    listed = results.length;
    findings = results.reduce((k, r) => k + r.messages.length, 0);
    if (findings > 0) {
      const sample = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(f.dir.length + 1)}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`)).slice(0, 5);
      failures.push(`N=${n}: a clean fleet gave ${findings} finding(s), e.g.\n    ${sample.join('\n    ')}`);
    }
  } catch {
    failures.push(`N=${n}: output is not JSON (exit ${check.status}): ${check.stderr.slice(0, 300)}`);
  }
  if (check.status !== 0) failures.push(`N=${n}: exit code ${check.status}, expected 0${check.stderr ? `: ${check.stderr.slice(0, 300)}` : ''}`);
  if (listed !== f.files) failures.push(`N=${n}: ${listed} files in the output, expected ${f.files}`);

  const cl = [];
  const floor = [];
  const ratios = [];
  const cpuRatios = [];
  for (let i = 0; i < reps; i++) {
    const a = runNode([cli, '-f', 'json'], f.dir);
    const b = runNode([join(ROOT, 'bench', 'floor.mjs'), '.'], f.dir);
    if (a.status !== 0 || b.status !== 0) failures.push(`N=${n}: a timed run failed (exit ${a.status}/${b.status})`);
    cl.push(a);
    floor.push(b);
    ratios.push(a.seconds / b.seconds);
    cpuRatios.push(a.cpu / b.cpu);
  }
  rows.push({
    n,
    hosts: Math.ceil(n / 8),
    membership: f.membership,
    files: f.files,
    findings,
    cl: median(cl.map((r) => r.seconds)),
    floor: median(floor.map((r) => r.seconds)),
    ratio: median(ratios),
    cpuRatio: median(cpuRatios),
    rss: Math.max(...cl.map((r) => r.rssMb)),
    floorRss: Math.max(...floor.map((r) => r.rssMb)),
  });
}

// The seed example, whole process.
const seedArgs = [cli, '-f', 'json', 'examples/seed-2006/tomcat1', 'examples/seed-2006/tomcat2', 'examples/seed-2006/apache'];
const seedRuns = [];
for (let i = 0; i < Math.max(reps, 5); i++) seedRuns.push(runNode(seedArgs, ROOT));
const seed = { seconds: median(seedRuns.map((r) => r.seconds)), rss: Math.max(...seedRuns.map((r) => r.rssMb)) };
if (seedRuns.some((r) => r.status !== 0 && r.status !== 1)) failures.push(`seed: exit code ${seedRuns.map((r) => r.status).join(',')}`);

// ---------------------------------------------------------------- report
const checks = [];
const at = (n) => rows.find((r) => r.n === n);
if (at(1000)) {
  checks.push([`1000 nodes ≤ ${TARGETS.ratioAt1000}× the floor`, `${at(1000).ratio.toFixed(2)}×`, at(1000).ratio <= TARGETS.ratioAt1000]);
  checks.push([`peak RSS at 1000 nodes ≤ ${TARGETS.rssAt1000Mb} MB`, `${at(1000).rss.toFixed(0)} MB`, at(1000).rss <= TARGETS.rssAt1000Mb]);
}
if (at(1000) && at(4000)) {
  const growth = at(4000).cl / at(1000).cl;
  checks.push([`linear: time(4000) / time(1000) ≤ ${TARGETS.linear4000over1000}`, `${growth.toFixed(2)}×`, growth <= TARGETS.linear4000over1000]);
}
checks.push([`seed example ≤ ${TARGETS.seedSeconds} s whole process`, fmt(seed.seconds), seed.seconds <= TARGETS.seedSeconds]);
checks.push(['a clean fleet gives zero findings at every size', rows.map((r) => r.findings).join(' / '), rows.every((r) => r.findings === 0)]);

const out = [];
out.push(`node ${process.version}, ${reps} repetitions, medians of wall time; ratio: median of the pairwise ratios (CPU: user+system); RSS: largest of the runs (${haveTime ? '/usr/bin/time' : 'process.resourceUsage()'})`);
out.push('');
out.push('| nodes | hosts | files | cluster-lint | floor | ratio | CPU ratio | cluster-lint RSS | floor RSS |');
out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  out.push(`| ${r.n} | ${r.hosts} | ${r.files} | ${fmt(r.cl)} | ${fmt(r.floor)} | ${r.ratio.toFixed(2)}× | ${r.cpuRatio.toFixed(2)}× | ${r.rss.toFixed(0)} MB | ${r.floorRss.toFixed(0)} MB |`);
}
out.push(`| seed-2006 | 1 | 6 | ${fmt(seed.seconds)} | | | | ${seed.rss.toFixed(0)} MB | |`);
out.push('');
out.push('| target | measured | |');
out.push('|---|---:|---|');
for (const [what, measured, ok] of checks) out.push(`| ${what} | ${measured} | ${ok ? 'ok' : '**missed**'} |`);
console.log(out.join('\n'));
for (const [what, measured, ok] of checks) if (!ok) failures.push(`target missed: ${what} (measured ${measured})`);
if (failures.length) {
  console.error(`\nbench: ${failures.length} problem(s):\n- ${[...new Set(failures)].join('\n- ')}`);
  process.exit(1);
}
