/**
 * --fix and --fix-dry-run through the CLI. The rules that carry fixes are written
 * elsewhere; a stand-in for `missing-distributable` (same edit: `<distributable/>`
 * after the `<web-app>` start tag) makes these tests independent of them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../src/rules/api.js';

vi.mock('../../src/rules/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/rules/index.js')>();
  const { LineIndex } = await import('../../src/parsers/source.js');
  const standIn: Rule = {
    meta: { id: 'missing-distributable', severity: 'error', description: 'stand-in', fixable: true },
    check(model, report) {
      for (const node of model.nodes) {
        for (const app of node.apps) {
          if (app.distributable || !app.webXml || !app.webXmlSpan) continue;
          const source = model.sources.get(app.webXml)!;
          const index = new LineIndex(source.file, source.text);
          const open = source.text.indexOf('>', index.lineStart(app.webXmlSpan.line) + app.webXmlSpan.column - 1) + 1;
          const indent = /\n([ \t]+)</.exec(source.text.slice(open))?.[1] ?? '  ';
          report({
            span: app.webXmlSpan,
            message: `${app.name} on ${node.name} is not distributable`,
            fix: { description: 'add <distributable/>', edits: [{ file: source.file, start: open, end: open, text: `\n${indent}<distributable/>` }] },
          });
        }
      }
    },
  };
  const rules = [...original.rules.filter((r) => r.meta.id === 'parse-error'), standIn];
  return { ...original, rules };
});

const { main } = await import('../../src/cli/main.js');

const SEED = join(import.meta.dirname, '..', '..', 'examples', 'seed-2006');
const NODES = ['tomcat1', 'tomcat2', 'apache'];
const WEB_XML = (name: string) => join('webapps', 'clusterapp', 'WEB-INF', 'web.xml').replace(/^/, `${name}/`);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cl-fixcli-'));
  cpSync(SEED, dir, { recursive: true });
  // tomcat1: GBK with CRLF and Chinese text; tomcat2: UTF-8 with a BOM.
  const original = readFileSync(join(dir, WEB_XML('tomcat1')), 'utf8');
  const gbk = original.replace('encoding="UTF-8"', 'encoding="GBK"').replace('Cluster App Test', '集群测试').replace(/\n/g, '\r\n');
  writeFileSync(join(dir, WEB_XML('tomcat1')), iconv.encode(gbk, 'gbk'));
  writeFileSync(join(dir, WEB_XML('tomcat2')), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(join(dir, WEB_XML('tomcat2')))]));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd: dir, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const bytes = (rel: string) => readFileSync(join(dir, rel));

describe('cluster-lint --fix', () => {
  it('fixes, keeps encoding, BOM and line endings, exits on what remains, and a second run changes nothing', async () => {
    const before = await cli(['-f', 'json', ...NODES]);
    expect(before.code).toBe(1);

    const r = await cli(['--fix', '-f', 'json', ...NODES]);
    expect(r.stderr).toBe('cluster-lint: fixed 2 problems in 2 files\n');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { messages: unknown[] }[]).every((f) => f.messages.length === 0)).toBe(true);

    const t1 = bytes(WEB_XML('tomcat1'));
    const t1Text = iconv.decode(t1, 'gbk');
    expect(t1Text).toContain('version="2.4">\r\n  <distributable/>\r\n');
    expect(t1Text).toContain('<display-name>集群测试</display-name>');
    expect(t1.toString('latin1')).not.toMatch(/[^\r]\n/);
    const t2 = bytes(WEB_XML('tomcat2'));
    expect([...t2.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(t2.subarray(3).toString('utf8')).toContain('version="2.4">\n  <distributable/>\n');

    const again = await cli(['--fix', ...NODES]);
    expect(again.stderr).toBe('');
    expect(bytes(WEB_XML('tomcat1')).equals(t1)).toBe(true);
    expect(bytes(WEB_XML('tomcat2')).equals(t2)).toBe(true);
  });

  it('--fix-dry-run prints a patch on stdout, the report on stderr, and writes nothing', async () => {
    const t1 = bytes(WEB_XML('tomcat1'));
    const r = await cli(['--fix-dry-run', '-f', 'json', ...NODES]);
    expect(bytes(WEB_XML('tomcat1')).equals(t1)).toBe(true);
    expect(r.code).toBe(0);
    expect(r.stdout.replace(/\r/g, '␍')).toMatchInlineSnapshot(`
      "--- a/tomcat1/webapps/clusterapp/WEB-INF/web.xml
      +++ b/tomcat1/webapps/clusterapp/WEB-INF/web.xml
      @@ -3,6 +3,7 @@
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"␍
           xsi:schemaLocation="http://java.sun.com/xml/ns/j2ee http://java.sun.com/xml/ns/j2ee/web-app_2_4.xsd"␍
           version="2.4">␍
      +  <distributable/>␍
       ␍
         <display-name>集群测试</display-name>␍
       ␍
      --- a/tomcat2/webapps/clusterapp/WEB-INF/web.xml
      +++ b/tomcat2/webapps/clusterapp/WEB-INF/web.xml
      @@ -3,6 +3,7 @@
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
           xsi:schemaLocation="http://java.sun.com/xml/ns/j2ee http://java.sun.com/xml/ns/j2ee/web-app_2_4.xsd"
           version="2.4">
      +  <distributable/>
       
         <display-name>Cluster App Test</display-name>
       
      "
    `);
    expect(JSON.parse(r.stderr)).toBeInstanceOf(Array);
  });

  it('refuses --fix with --fix-dry-run', async () => {
    const r = await cli(['--fix', '--fix-dry-run', ...NODES]);
    expect(r.code).toBe(2);
  });

  it('does not touch a file whose bytes it cannot reproduce, and says why', async () => {
    const broken = Buffer.concat([bytes(WEB_XML('tomcat2')), Buffer.from('<!-- \xff -->\n', 'latin1')]);
    writeFileSync(join(dir, WEB_XML('tomcat2')), broken);
    const r = await cli(['--fix', ...NODES]);
    expect(r.stderr).toContain(`cluster-lint: not fixing ${WEB_XML('tomcat2')}: its bytes on disk differ from what was linted`);
    expect(r.stderr).toContain('fixed 1 problem in 1 file');
    expect(bytes(WEB_XML('tomcat2')).equals(broken)).toBe(true);
    expect(r.code).toBe(1);
  });
});
