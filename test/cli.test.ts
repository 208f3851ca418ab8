import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { rules } from '../src/rules/index.js';

async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const root = mkdtempSync(join(tmpdir(), 'cluster-lint-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = join(root, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const BROKEN_WORKERS = 'worker.list=n1\nno equals sign here\nworker.n1.port=8009\n';

describe('command line', () => {
  it('--help and --version exit 0', async () => {
    const help = await run(['--help'], root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: cluster-lint');
    const version = await run(['-v'], root);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('--list-rules lists every rule with its default severity', async () => {
    const { code, stdout } = await run(['--list-rules'], root);
    expect(code).toBe(0);
    for (const r of rules) expect(stdout).toMatch(new RegExp(`^${r.meta.id}\\s+${r.meta.severity}\\s`, 'm'));
  });

  it('--explain prints the rule page; an unknown rule is exit 2', async () => {
    const ok = await run(['--explain', 'parse-error'], root);
    expect(ok.code).toBe(0);
    expect(ok.stdout.startsWith('# parse-error')).toBe(true);
    const bad = await run(['--explain', 'no-such-rule'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown rule');
  });

  it('a missing path, an unknown option or a bad --rule is exit 2 with a message, no stack', async () => {
    for (const args of [['does/not/exist'], ['--frobnicate'], ['--rule', 'parse-error=loud', '.'], ['--rule', 'nope=off', '.'], ['--max-warnings', 'x', '.'], ['--host', 'nohost']]) {
      const r = await run(args, root);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^cluster-lint: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exit 1 on an error finding, 0 when clean, JSON has every file once', async () => {
    write('bad/apache/workers.properties', BROKEN_WORKERS);
    write('good/apache/workers.properties', 'worker.list=n1\nworker.n1.port=8009\n');
    const bad = await run(['-f', 'json', 'bad'], root);
    expect(bad.code).toBe(1);
    const results = JSON.parse(bad.stdout) as { filePath: string; messages: { ruleId: string; line: number; column: number; severity: number }[] }[];
    expect(results).toHaveLength(1);
    expect(results[0]!.messages).toEqual([expect.objectContaining({ ruleId: 'parse-error', line: 2, column: 1, severity: 2 })]);
    const good = await run(['-f', 'json', 'good'], root);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)[0].messages).toEqual([]);
  });

  it('--rule turns a rule off or into a warning; --max-warnings and --quiet', async () => {
    expect((await run(['-f', 'json', '--rule', 'parse-error=off', 'bad'], root)).code).toBe(0);
    const warn = await run(['-f', 'json', '--rule', 'parse-error=warn', 'bad'], root);
    expect(warn.code).toBe(0);
    expect(JSON.parse(warn.stdout)[0].messages[0].severity).toBe(1);
    const tooMany = await run(['-f', 'json', '--rule', 'parse-error=warn', '--max-warnings', '0', 'bad'], root);
    expect(tooMany.code).toBe(1);
    const quiet = await run(['-f', 'json', '--rule', 'parse-error=warn', '--quiet', 'bad'], root);
    expect(JSON.parse(quiet.stdout)[0].messages).toEqual([]);
  });

  it('-o writes the report to a file', async () => {
    const out = join(root, 'report.json');
    const r = await run(['-f', 'json', '-o', out, 'bad'], root);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
  });

  it('reads cluster-lint.config.json from the working directory upward', async () => {
    write('proj/cluster-lint.config.json', JSON.stringify({ nodes: ['apache'], rules: { 'parse-error': 'off' } }));
    write('proj/apache/workers.properties', BROKEN_WORKERS);
    mkdirSync(join(root, 'proj/sub'), { recursive: true });
    const r = await run(['-f', 'json'], join(root, 'proj'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    const fromSub = await run(['-f', 'json', '../apache'], join(root, 'proj/sub'));
    expect(fromSub.code).toBe(0);
  });

  it('a wrong config file is a clear message and exit 2', async () => {
    for (const [name, text, expected] of [
      ['c2.json', '{"rules": {"no-such-rule": "off"}}', 'unknown rule'],
      ['c3.json', '{"rules": {"parse-error": "loud"}}', 'severity must be'],
      ['c4.json', '{"nodez": []}', 'unknown field'],
      ['c5.json', '{"tomcatVersion": "ten"}', 'tomcatVersion'],
    ] as const) {
      write(name, text);
      const r = await run(['-c', name, 'good'], root);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toContain(expected);
    }
    expect((await run(['-c', 'missing.json', 'good'], root)).code).toBe(2);
  });

  it('a config file that is not JSON is a parse-error finding in it (exit 1), and the cluster is still linted', async () => {
    write('notjson.json', '{\n  "nodes": [ "good",\n');
    const r = await run(['-f', 'json', '-c', 'notjson.json', 'bad'], root);
    expect(r.code).toBe(1);
    const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    const config = results.find((x) => x.filePath.endsWith('notjson.json'));
    expect(config?.messages.map((m) => m.ruleId)).toEqual(['parse-error']);
    expect(results.some((x) => x.filePath.endsWith('workers.properties') && x.messages.some((m) => m.ruleId === 'parse-error'))).toBe(true);
  });

  it('-o naming a folder is a usage error, not an internal one', async () => {
    mkdirSync(join(root, 'a-folder'), { recursive: true });
    const r = await run(['-f', 'json', '-o', 'a-folder', 'good'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write the report to a-folder');
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('inline suppressions', () => {
  it('disable-next-line with a reason suppresses; unused ones are reported; --no-inline-config ignores them', async () => {
    write('supp/apache/workers.properties', `worker.list=n1
# cluster-lint-disable-next-line parse-error -- kept for the migration notes
no equals sign here
# cluster-lint-disable-next-line parse-error -- nothing to suppress here
worker.n1.port=8009
`);
    const r = await run(['-f', 'json', 'supp'], root);
    const messages = JSON.parse(r.stdout)[0].messages as { ruleId: string; line: number }[];
    expect(messages.map((m) => [m.ruleId, m.line])).toEqual([['unused-suppression', 4]]);
    expect(r.code).toBe(0);
    const raw = await run(['-f', 'json', '--no-inline-config', 'supp'], root);
    expect((JSON.parse(raw.stdout)[0].messages as { ruleId: string; line: number }[]).map((m) => [m.ruleId, m.line])).toEqual([['parse-error', 3]]);
  });

  it('disable/enable blocks cover the lines between them', async () => {
    write('block/apache/workers.properties', `# cluster-lint-disable parse-error -- legacy block
bad line one
bad line two
# cluster-lint-enable parse-error
bad line three
`);
    const r = await run(['-f', 'json', 'block'], root);
    expect((JSON.parse(r.stdout)[0].messages as { ruleId: string; line: number }[]).map((m) => [m.ruleId, m.line])).toEqual([['parse-error', 5]]);
  });
});
