import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../src/discover/discover.js';

const root = mkdtempSync(join(tmpdir(), 'cluster-lint-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SERVER = '<Server port="-1"><Service name="Catalina"><Engine name="Catalina" defaultHost="localhost"/></Service></Server>\n';

function tree(base: string, files: Record<string, string>): string {
  const dir = join(root, base);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function run(dir: string, paths: string[] = ['.']) {
  return discover({ paths: paths.map((p) => join(dir, p)), cwd: dir, hosts: new Map(), versions: new Map(), ignore: [] });
}

describe('discovery of real layouts', () => {
  it('CATALINA_BASE folders: node names from the folders, apps under webapps, conf/web.xml is no app', () => {
    const dir = tree('bases', {
      'tomcat1/conf/server.xml': SERVER,
      'tomcat1/conf/web.xml': '<web-app/>',
      'tomcat1/webapps/shop/WEB-INF/web.xml': '<web-app><distributable/></web-app>',
      'tomcat2/conf/server.xml': SERVER,
    });
    const d = run(dir);
    expect(d.tomcats.map((t) => t.name)).toEqual(['tomcat1', 'tomcat2']);
    expect(d.tomcats[0]!.webXmls.map((w) => w.appDir)).toEqual([join(dir, 'tomcat1/webapps/shop')]);
    expect(d.tomcats[0]!.defaultWebXml?.path).toBe(join(dir, 'tomcat1/conf/web.xml'));
  });

  it('a flat folder: one node per server file, named by the file; one front end; a loose context.xml for both', () => {
    const dir = tree('flat', {
      'tomcat1.server.xml': SERVER,
      'tomcat2.server.xml': SERVER,
      'worker.properties': 'worker.list=lb\nworker.lb.type=lb\n',
      'httpd.conf': 'LoadModule jk_module modules/mod_jk.so\nJkWorkersFile worker.properties\n',
      'context.xml': '<Context><Manager pathname=""/></Context>',
    });
    const d = run(dir);
    expect(d.tomcats.map((t) => t.name)).toEqual(['tomcat1', 'tomcat2']);
    expect(d.tomcats.every((t) => t.contextFiles.length === 1)).toBe(true);
    expect(d.frontEnds).toHaveLength(1);
    expect(d.frontEnds[0]!.workersProperties.map((f) => f.kind)).toEqual(['workers.properties']);
  });

  it('a server file given alone is named by its file; content decides the kind of an oddly named file', () => {
    const dir = tree('single', { 'node-a-server.xml': SERVER, 'jk.conf': '<IfModule mod_jk.c>\n  JkMount /app/* lb\n</IfModule>\n' });
    const d = run(dir, ['node-a-server.xml', 'jk.conf']);
    expect(d.tomcats.map((t) => t.name)).toEqual(['node-a']);
    expect(d.frontEnds[0]!.httpdConfs.map((f) => f.kind)).toEqual(['httpd.conf']);
  });

  it('httpd trees: conf/ and conf.d/ belong to their ServerRoot; separate trees are separate front ends', () => {
    const dir = tree('fronts', {
      'web1/conf/httpd.conf': 'Listen 80\n',
      'web1/conf.d/workers.properties': 'worker.list=a\n',
      'web2/workers2.properties': '[lb:lb]\nworker=ajp13:localhost:8009\n',
    });
    const d = run(dir);
    expect(d.frontEnds.map((f) => f.name)).toEqual(['web1', 'web2']);
    expect(d.frontEnds[0]!.workersProperties).toHaveLength(1);
    expect(d.frontEnds[1]!.workers2Properties).toHaveLength(1);
  });
});
