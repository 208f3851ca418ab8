/**
 * The helpers the rules share (`src/rules/shared/`): the terse version description that ends
 * up in messages, and the message formatting every rule uses.
 */
import { describe, expect, it } from 'vitest';
import type { DiscoveredFile, TomcatInput } from '../../src/discover/types.js';
import { ParseCache } from '../../src/model/parse-cache.js';
import { buildTomcatNode } from '../../src/model/tomcat.js';
import type { TomcatNode } from '../../src/model/types.js';
import { decode } from '../../src/parsers/source.js';
import { assumingHost, fileLine, joinNames, memberLabel, onHost, ownerAt } from '../../src/rules/shared/text.js';
import { describeVersion } from '../../src/rules/shared/version.js';

const ROOT = '/x/tomcat1';

function file(path: string, text: string, kind: DiscoveredFile['kind'] = 'server.xml'): DiscoveredFile {
  return { path, kind, source: decode(path, Buffer.from(text)) };
}

function node(serverXml: string, extra: { declaredVersion?: string; jarNames?: string[]; releaseNotes?: string; webXml?: string } = {}): TomcatNode {
  const input: TomcatInput = {
    id: 'tomcat1',
    name: 'tomcat1',
    root: ROOT,
    serverXml: file(`${ROOT}/conf/server.xml`, serverXml),
    contextFiles: [],
    webXmls: extra.webXml ? [{ file: file(`${ROOT}/webapps/a/WEB-INF/web.xml`, extra.webXml, 'web.xml'), appDir: `${ROOT}/webapps/a` }] : [],
    metaInfContexts: [],
    catalinaProperties: undefined,
    setenv: [],
    layoutHints: { jarNames: extra.jarNames ?? [], releaseNotes: extra.releaseNotes },
    declaredHost: undefined,
    declaredVersion: extra.declaredVersion,
  };
  const n = buildTomcatNode(input, new ParseCache());
  if (!n) throw new Error('no node');
  return n;
}

const listener = (cls: string) => `<Listener className="${cls}"/>`;
const server = (listeners: string[], cluster = '') =>
  `<Server port="8005">${listeners.join('')}<Service name="Catalina"><Engine name="Catalina" defaultHost="localhost">${cluster}</Engine></Service></Server>`;
const HA = '<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"/>';
const FIVE = '<Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster"/>';

describe('describeVersion: the version and one short reason', () => {
  it('says "declared" for a declared version', () => {
    expect(describeVersion(node(server([]), { declaredVersion: '10.1' }))).toBe('Tomcat 10.1 (declared)');
  });

  it('names RELEASE-NOTES, not the other evidence that agrees with it', () => {
    const n = node(server([listener('org.apache.catalina.mbeans.ServerLifecycleListener')], FIVE), { releaseNotes: 'Apache Tomcat Version 5.5.15' });
    expect(describeVersion(n)).toBe('Tomcat 5.5.15 (from RELEASE-NOTES)');
  });

  it('names a versioned jar', () => {
    expect(describeVersion(node(server([]), { jarNames: ['lib/tomcat-coyote-9.0.85.jar'] }))).toBe('Tomcat 9.0.85 (from tomcat-coyote-9.0.85.jar)');
  });

  it('names the source of the bound it shows', () => {
    expect(describeVersion(node(server([listener('org.apache.catalina.security.SecurityListener')], HA)))).toBe(
      'Tomcat 7.0 or later (inferred from server.xml)',
    );
    expect(describeVersion(node(server([], HA)))).toBe('Tomcat 6.0 or later (inferred from its cluster classes)');
    expect(describeVersion(node(server([], FIVE)))).toBe('Tomcat 5.x (inferred from its cluster classes)');
    // The jars say 6+, server.xml narrows it to 7.0+: server.xml decides.
    expect(describeVersion(node(server([listener('org.apache.catalina.security.SecurityListener')]), { jarNames: ['lib/catalina-ha.jar'] }))).toBe(
      'Tomcat 7.0 or later (inferred from server.xml)',
    );
    expect(describeVersion(node(server([]), { webXml: '<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>' }))).toBe(
      'Tomcat 10.0 or later (inferred from web.xml)',
    );
  });

  it('names both sources when each sets one end of the range', () => {
    const n = node(server([listener('org.apache.catalina.core.JasperListener')]), { jarNames: ['lib/catalina-ha.jar'] });
    expect(describeVersion(n)).toBe('Tomcat 6.0–7.0 (inferred from its jars and server.xml)');
  });

  it('says when nothing is known', () => {
    expect(describeVersion(node(server([])))).toBe('an unknown Tomcat version');
  });
});

describe('message formatting', () => {
  it('joins names', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['a'])).toBe('a');
    expect(joinNames(['a', 'b'])).toBe('a and b');
    expect(joinNames(['a', 'b', 'c'])).toBe('a, b and c');
  });

  it('places a span relative to its owner, else by base name', () => {
    const span = { file: '/x/tomcat1/conf/server.xml', line: 26, column: 5, endLine: 26, endColumn: 9 };
    expect(fileLine(span, '/x/tomcat1')).toBe('conf/server.xml:26');
    expect(fileLine(span, '/x/tomcat1/')).toBe('conf/server.xml:26');
    expect(fileLine(span, '/elsewhere')).toBe('server.xml:26');
    expect(fileLine(span)).toBe('server.xml:26');
    expect(ownerAt({ name: 'tomcat1', root: '/x/tomcat1' }, span)).toBe('tomcat1 (conf/server.xml:26)');
    expect(ownerAt({ name: 'tomcat1', root: '/x/tomcat1' }, undefined)).toBe('tomcat1');
  });

  it('labels members and hosts', () => {
    expect(memberLabel({ kind: 'jk', name: 'w1' })).toBe('worker `w1`');
    expect(memberLabel({ kind: 'jk', name: 'w1' }, true)).toBe('Worker `w1`');
    expect(memberLabel({ kind: 'jk2', name: 'ajp13:h:8009' }, true)).toBe('jk2 worker `ajp13:h:8009`');
    expect(memberLabel({ kind: 'proxy', name: 'ajp://h:8009' }, true)).toBe('Member `ajp://h:8009`');
    expect(onHost({ name: 'app1', source: 'declared' })).toBe('on host app1');
    expect(onHost({ name: '(host of apache)', source: 'inferred' })).toBe("on apache's host");
    expect(onHost({ name: '(unknown host)', source: 'unknown' }, 'the same host')).toBe('on the same host');
    expect(assumingHost(['tomcat1', 'tomcat2'])).toBe('assuming tomcat1 and tomcat2 run on one host; declare hosts with --host to be sure');
  });
});
