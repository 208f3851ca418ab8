/**
 * A handful of runs of the bundled CLI as a real process: exit codes as the design states them,
 * and stderr clean (no stack trace, ever) — including when stdout is closed early.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, buildCli, checkJsonRun, removeTree, spawnCli, tempDir, writeTree } from './helpers.js';

let cli: string;
let root: string;
beforeAll(async () => {
  cli = await buildCli('spawn');
  root = tempDir('spawn');
}, 120_000);
afterAll(() => {
  if (root) removeTree(root);
});

const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$|node:internal|Error: .*\n\s+at /m;

describe('the CLI as a process', () => {
  it('--version and --help: exit 0, stderr empty', () => {
    for (const args of [['--version'], ['--help']]) {
      const r = spawnCli(cli, args, REPO);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe('');
    }
  });

  it('a clean cluster: exit 0; the seed: exit 1; JSON on stdout, nothing on stderr', () => {
    const clean = spawnCli(cli, ['-f', 'json', 'examples/seed-2006-fixed'], REPO);
    expect(checkJsonRun(clean, 'seed-2006-fixed').length).toBeGreaterThan(0);
    expect(clean.code).toBe(0);
    const seed = spawnCli(cli, ['-f', 'json', 'examples/seed-2006/tomcat1', 'examples/seed-2006/tomcat2', 'examples/seed-2006/apache'], REPO);
    checkJsonRun(seed, 'seed-2006');
    expect(seed.code).toBe(1);
  });

  it('usage errors: exit 2, one message, no stack trace', () => {
    for (const args of [['no/such/path'], ['--no-such-option'], ['--rule', 'x'], ['-f', 'no-such-formatter-anywhere', 'examples/seed-2006']]) {
      const r = spawnCli(cli, args, REPO);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^cluster-lint: /);
      expect(r.stderr, args.join(' ')).not.toMatch(STACK);
    }
  });

  it('binary garbage in a config file: exit 1 with a parse-error, no stack trace', () => {
    const dir = join(root, 'binary');
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    writeTree(dir, { 'tomcat1/conf/server.xml': garbage, 'apache/conf/workers.properties': garbage, 'apache/conf/httpd.conf': garbage });
    const r = spawnCli(cli, ['-f', 'json', '.'], dir);
    const results = checkJsonRun(r, 'binary');
    expect(r.code).toBe(1);
    expect(results.length).toBe(3);
    for (const f of results) expect(f.messages.some((m) => m.ruleId === 'parse-error'), f.filePath).toBe(true);
  });

  it('a cluster-lint.config.json that cannot be parsed is a parse-error finding: exit 1, not 2 (design: Command line)', () => {
    const dir = join(root, 'bad-config');
    writeTree(dir, {
      'cluster-lint.config.json': '{ "nodes": [ "tomcat1", ',
      'tomcat1/conf/server.xml': readFileSync(join(REPO, 'examples', 'clean-tomcat10-modjk', 'tomcat1', 'conf', 'server.xml'), 'utf8'),
    });
    const r = spawnCli(cli, ['-f', 'json', 'tomcat1'], dir);
    expect(r.stderr).not.toMatch(STACK);
    const results = checkJsonRun(r, 'bad config');
    expect(r.code).toBe(1);
    expect(results.some((f) => f.filePath.endsWith('cluster-lint.config.json') && f.messages.some((m) => m.ruleId === 'parse-error'))).toBe(true);
  });

  it('stdout closed early (cluster-lint ... | head -c 1): no stack trace on stderr', () => {
    const dir = join(root, 'epipe');
    writeTree(dir, { 'apache/conf/workers.properties': `worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=${Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(',')}\n` });
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" -f json . | head -c 1 >/dev/null`], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
  });
});
