/** --fix with the project's own fixable rules, on copies of the example clusters. */
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const NODES = ['tomcat1', 'tomcat2', 'apache'];
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function copy(example: string): string {
  dir = mkdtempSync(join(tmpdir(), 'cl-realfix-'));
  cpSync(join(EXAMPLES, example), dir, { recursive: true });
  return dir;
}

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd: dir, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const ruleIds = (json: string) => (JSON.parse(json) as { messages: { ruleId: string }[] }[]).flatMap((f) => f.messages.map((m) => m.ruleId));

describe('--fix with the real rules', () => {
  // Each case runs once its rule is in the registry (rules are landing one by one).
  it('adds <distributable/> to both web.xml files of the seed example; a second run changes nothing', async () => {
    copy('seed-2006');
    const webXml = (n: string) => join(dir, n, 'webapps', 'clusterapp', 'WEB-INF', 'web.xml');
    const before = await cli(['-f', 'json', ...NODES]);
    expect(ruleIds(before.stdout).filter((id) => id === 'missing-distributable')).toHaveLength(2);

    const fixed = await cli(['--fix', '-f', 'json', ...NODES]);
    expect(fixed.stderr).toContain('cluster-lint: fixed 2 problems in 2 files');
    expect(ruleIds(fixed.stdout)).not.toContain('missing-distributable');
    // What remains is what --fix cannot decide for the user: the exit code says so.
    expect(fixed.code).toBe(ruleIds(fixed.stdout).length > 0 ? 1 : 0);
    for (const n of ['tomcat1', 'tomcat2']) expect(readFileSync(webXml(n), 'utf8').match(/<distributable\/>/g)).toHaveLength(1);

    const bytes = NODES.slice(0, 2).map((n) => readFileSync(webXml(n)));
    const mtimes = NODES.slice(0, 2).map((n) => statSync(webXml(n)).mtimeMs);
    const again = await cli(['--fix', '-f', 'json', ...NODES]);
    expect(again.stderr).toBe('');
    expect(NODES.slice(0, 2).map((n) => readFileSync(webXml(n)))).toEqual(bytes);
    expect(NODES.slice(0, 2).map((n) => statSync(webXml(n)).mtimeMs)).toEqual(mtimes);
  });

  it('renames deprecated mod_jk keys, keeping CRLF line endings', async () => {
    copy('seed-2006-fixed');
    const workers = join(dir, 'apache', 'conf', 'workers.properties');
    const original = readFileSync(workers, 'utf8');
    const crlf = `${original}worker.tomcat1.cachesize=10\nworker.tomcat2.cache_timeout=600\n`.replace(/\n/g, '\r\n');
    writeFileSync(workers, crlf);
    const before = await cli(['-f', 'json', ...NODES]);
    expect(ruleIds(before.stdout).filter((id) => id === 'deprecated-directive')).toHaveLength(2);

    const dry = await cli(['--fix-dry-run', ...NODES]);
    expect(readFileSync(workers, 'utf8')).toBe(crlf);
    expect(dry.stdout).toContain('\n-worker.tomcat1.cachesize=10\r\n');
    expect(dry.stdout).toContain('\n+worker.tomcat1.connection_pool_size=10\r\n');

    const fixed = await cli(['--fix', '-f', 'json', ...NODES]);
    expect(ruleIds(fixed.stdout)).not.toContain('deprecated-directive');
    expect(readFileSync(workers, 'utf8')).toBe(
      `${original}worker.tomcat1.connection_pool_size=10\nworker.tomcat2.connection_pool_timeout=600\n`.replace(/\n/g, '\r\n'),
    );
    expect(fixed.code).toBe(0);
  });
});
