import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintPaths, summarize } from './helpers/run.js';

const EXAMPLES = join(import.meta.dirname, '..', 'examples');

describe('clean clusters give zero findings', () => {
  for (const [name, options] of [
    ['seed-2006-fixed', {}],
    ['clean-tomcat10-modjk', {}],
    ['clean-proxy-balancer', {}],
    ['clean-multi-host', {}],
    ['clean-multi-host', { hosts: { app1: 'app1.example.com', app2: 'app2.example.com', app3: 'app3.example.com', web: 'web.example.com' } }],
  ] as const) {
    it(`${name}${Object.keys(options).length ? ' (hosts declared)' : ''}`, () => {
      const dir = join(EXAMPLES, name);
      const result = lintPaths(dir, ['.'], options);
      expect(summarize(result, dir)).toEqual([]);
      expect(result.model.nodes.length).toBeGreaterThanOrEqual(2);
      expect(result.model.frontEnds.length).toBe(1);
    });
  }
});

describe('the seed example (2006: mod_jk2 + two Tomcat 5.5 on one host)', () => {
  it('reports the HTTP 8080 collision, the dangling worker= lines, the route mismatches and the missing <distributable/> — and nothing false', () => {
    const dir = join(EXAMPLES, 'seed-2006');
    const result = lintPaths(dir, ['tomcat1', 'tomcat2', 'apache']);
    const found = result.findings.map((f) => `${f.severity} ${f.ruleId} ${f.span.file.slice(dir.length + 1)}:${f.span.line}:${f.span.column}`);
    expect(found.sort()).toEqual(
      [
        // The second Tomcat changed 8005 and 8009 but not 8080; loopback members prove one host, so an error.
        'error port-conflict tomcat2/conf/server.xml:24:16',
        // [lb:lb] worker=ajp13:tomcat1 / ajp13:tomcat2 name beans that do not exist.
        'error undefined-worker apache/conf/workers2.properties:7:8',
        'error undefined-worker apache/conf/workers2.properties:8:8',
        // jk2 routes default to host:port, never the jvmRoutes tomcat1/tomcat2.
        'error route-mismatch apache/conf/workers2.properties:16:1',
        'error route-mismatch apache/conf/workers2.properties:26:1',
        // The test app lacks <distributable/> on both nodes.
        'error missing-distributable tomcat1/webapps/clusterapp/WEB-INF/web.xml:2:1',
        'error missing-distributable tomcat2/webapps/clusterapp/WEB-INF/web.xml:2:1',
        // True, if not what the story was about: mod_jk2 itself, SHUTDOWN, AJP open on every interface.
        'warning jk2-unsupported apache/conf/httpd.conf:16:1',
        'warning default-shutdown-command tomcat1/conf/server.xml:5:21',
        'warning default-shutdown-command tomcat2/conf/server.xml:5:21',
        'warning ajp-exposed tomcat1/conf/server.xml:38:5',
        'warning ajp-exposed tomcat2/conf/server.xml:38:5',
      ].sort(),
    );
  });

  it('reads the GBK server.xml files with their Chinese comments', () => {
    const dir = join(EXAMPLES, 'seed-2006');
    const result = lintPaths(dir, ['tomcat1']);
    const source = result.model.sources.get(join(dir, 'tomcat1/conf/server.xml'))!;
    expect(source.encoding).toBe('gbk');
    expect(source.text).toContain('启用原来禁用的Cluster设置');
  });
});
