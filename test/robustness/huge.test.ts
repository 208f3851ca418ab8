/**
 * Huge input, run as a real process with a kill timeout (in-process, a hang could not be
 * stopped): 120 000 connectors in one file, 2 000 000-character lines, 200 000-deep nesting,
 * 200 000-character values, a file over the size limit. Every
 * run: exit 0 or 1, valid JSON, nothing on stderr, within the bound; a parse-error where the
 * input is broken.
 */
import { truncateSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rules } from '../../src/rules/index.js';
import { buildCli, checkJsonRun, removeTree, spawnCli, tempDir, writeTree, type JsonResult } from './helpers.js';

/** Whole-process bound for one run. Typical runs take a few seconds; a bug that goes quadratic takes minutes. */
const BOUND_MS = 60_000;

let cli: string;
let root: string;
beforeAll(async () => {
  cli = await buildCli('huge');
  root = tempDir('huge');
}, 120_000);
afterAll(() => {
  if (root) removeTree(root);
});

const server = (inner: string, route = 't1') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="8005" shutdown="x7">\n  <Service name="Catalina">\n${inner}    <Engine name="Catalina" defaultHost="localhost" jvmRoute="${route}">\n      <Host name="localhost" appBase="webapps"/>\n    </Engine>\n  </Service>\n</Server>\n`;

/**
 * Lints `files` written under a fresh folder; checks the run contract. When the run is over
 * the bound, says whether the pipeline without rules is within it, so the slow part is named.
 */
function lintHuge(name: string, files: Record<string, string>): { results: JsonResult[]; ms: number; dir: string } {
  const dir = join(root, name);
  writeTree(dir, files);
  const run = spawnCli(cli, ['-f', 'json', '.'], dir, BOUND_MS);
  if (run.timedOut || run.ms > BOUND_MS) {
    const off = rules.filter((r) => r.meta.id !== 'parse-error').flatMap((r) => ['--rule', `${r.meta.id}=off`]);
    const bare = spawnCli(cli, ['-f', 'json', ...off, '.'], dir, BOUND_MS);
    throw new Error(
      `${name}: not finished within ${BOUND_MS / 1000} s. Without the rules (parse-error only) it ${bare.timedOut ? 'does not finish either: the slow part is discovery, parsing or the model' : `takes ${(bare.ms / 1000).toFixed(1)} s: a rule is slow (node bench/rules.mjs --dir ${dir} names it)`}`,
    );
  }
  expect(run.signal, `${name}: killed by a signal`).toBeNull();
  const results = checkJsonRun(run, name);
  return { results, ms: run.ms, dir };
}

const rulesOf = (results: JsonResult[]) => new Set(results.flatMap((r) => r.messages.map((m) => m.ruleId)));

describe('huge input: bounded time, a valid report', () => {
  it('120 000 connectors in one server.xml', { timeout: 180_000 }, () => {
    let connectors = '';
    for (let i = 0; i < 120_000; i++) {
      // 60 000 ports, each used twice: every second connector is a real conflict.
      connectors += `    <Connector port="${1024 + (i % 60_000)}" protocol="HTTP/1.1" connectionTimeout="20000" redirectPort="8443"/>\n`;
    }
    const { results } = lintHuge('connectors', { 'tomcat1/conf/server.xml': server(connectors) });
    expect(results.length).toBe(1);
    expect(rulesOf(results).has('port-conflict')).toBe(true);
  });

  it('2 000 000-character lines: an attribute value, a whole minified server.xml, an httpd line, a workers value', { timeout: 180_000 }, () => {
    let oneLine = '<Server port="8005" shutdown="x7"><Service name="Catalina">';
    for (let i = 0; oneLine.length < 2_000_000; i++) oneLine += `<Connector port="${10_000 + (i % 50_000)}" address="10.0.${(i >> 8) & 255}.${i & 255}" protocol="HTTP/1.1"/>`;
    oneLine += '<Engine name="Catalina" defaultHost="localhost"/></Service></Server>';
    const { results } = lintHuge('long-lines', {
      'tomcat1/conf/server.xml': server('    <Connector port="8009" protocol="AJP/1.3" address="127.0.0.1" secret="s3"/>\n', 'r'.repeat(2_000_000)),
      'tomcat2/conf/server.xml': oneLine,
      'apache/conf/httpd.conf': `JkWorkersFile conf/workers.properties\nJkMount /${'p'.repeat(2_000_000)} lb\nJkMount \\\n${'/x \\\n'.repeat(200_000)}lb\n`,
      'apache/conf/workers.properties': `worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=t1\nworker.t1.host=127.0.0.1\nworker.t1.port=8009\nworker.t1.secret=s3\nworker.t1.route=${'q'.repeat(2_000_000)}\n`,
    });
    expect(results.map((r) => r.filePath).length).toBe(4);
  });

  it('200 000-deep nesting in XML is a parse-error; in httpd sections it is read', { timeout: 180_000 }, () => {
    const { results, dir } = lintHuge('deep', {
      'tomcat1/conf/server.xml': `<Server port="8005" shutdown="x7"><Service name="S">${'<a>'.repeat(200_000)}${'</a>'.repeat(200_000)}</Service></Server>`,
      'tomcat2/conf/server.xml': `<Server port="8006" shutdown="x7"><Service name="S">${'<a>'.repeat(200_000)}</Service></Server>`,
      'apache/conf/httpd.conf': `${'<IfModule mod_jk.c>\n'.repeat(200_000)}JkMount /x lb\n${'</IfModule>\n'.repeat(200_000)}<Location />\n`.repeat(1),
      'apache/conf/workers.properties': 'worker.list=lb\nworker.lb.type=lb\n',
    });
    const byFile = new Map(results.map((r) => [relative(dir, r.filePath), r]));
    expect(byFile.get('tomcat1/conf/server.xml')!.messages.some((m) => m.ruleId === 'parse-error')).toBe(true);
    expect(byFile.get('tomcat2/conf/server.xml')!.messages.some((m) => m.ruleId === 'parse-error')).toBe(true);
    // `<Location />` is never closed.
    expect(byFile.get('apache/conf/httpd.conf')!.messages.some((m) => m.ruleId === 'parse-error')).toBe(true);
  });

  it('200 000-character values: jvmRoutes, routes, a balance_workers list of 30 000 names', { timeout: 180_000 }, () => {
    const long = 'n'.repeat(200_000);
    // A 200 000-character list value: 30 000 worker names, none defined.
    const names = Array.from({ length: 30_000 }, (_, i) => `w${i}`).join(',');
    const { results } = lintHuge('long-values', {
      'tomcat1/conf/server.xml': server('    <Connector port="8009" protocol="AJP/1.3" address="127.0.0.1" secret="s3"/>\n', long),
      'tomcat2/conf/server.xml': server('    <Connector port="8010" protocol="AJP/1.3" address="127.0.0.1" secret="s3"/>\n', long).replace('8005', '8015'),
      'apache/conf/workers.properties': `worker.list=lb,big\nworker.lb.type=lb\nworker.lb.balance_workers=a,b\nworker.a.host=127.0.0.1\nworker.a.port=8009\nworker.a.secret=s3\nworker.a.route=${long}x\nworker.b.host=127.0.0.1\nworker.b.port=8010\nworker.b.secret=s3\nworker.b.route=${long}\nworker.big.type=lb\nworker.big.balance_workers=${names}\n`,
    });
    const found = rulesOf(results);
    expect(found.has('duplicate-jvm-route')).toBe(true);
    expect(found.has('undefined-worker')).toBe(true);
  });

  it('a file over the size limit is a parse-error, not a read', { timeout: 180_000 }, () => {
    const dir = join(root, 'too-large');
    const [file] = writeTree(dir, { 'tomcat1/conf/server.xml': '' });
    truncateSync(file!, 65 * 1024 * 1024); // sparse: no disk used
    const run = spawnCli(cli, ['-f', 'json', '.'], dir, BOUND_MS);
    const results = checkJsonRun(run, 'too large');
    expect(results[0]!.messages.map((m) => m.ruleId)).toEqual(['parse-error']);
    expect(run.ms).toBeLessThan(10_000);
  });
});
