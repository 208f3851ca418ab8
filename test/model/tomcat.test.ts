import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredFile, TomcatInput } from '../../src/discover/types.js';
import { ParseCache } from '../../src/model/parse-cache.js';
import { buildTomcatNode, contextPathOf, effectiveGeneration, versionAtLeast } from '../../src/model/tomcat.js';
import type { Membership, TomcatNode, TomcatVersion } from '../../src/model/types.js';
import { decode } from '../../src/parsers/source.js';

const ROOT = '/x/tomcat1';

function file(path: string, text: string, kind: DiscoveredFile['kind'] = 'server.xml'): DiscoveredFile {
  return { path, kind, source: decode(path, Buffer.from(text)) };
}

interface Extra {
  declaredVersion?: string;
  declaredHost?: string;
  catalinaProperties?: string;
  setenv?: string;
  contextFiles?: Record<string, string>;
  webXmls?: { path: string; appDir: string; text: string }[];
  metaInf?: { path: string; appDir: string; text: string }[];
  jarNames?: string[];
  releaseNotes?: string;
}

function input(serverXml: string, extra: Extra = {}): TomcatInput {
  return {
    id: 'tomcat1',
    name: 'tomcat1',
    root: ROOT,
    serverXml: file(`${ROOT}/conf/server.xml`, serverXml),
    contextFiles: Object.entries(extra.contextFiles ?? {}).map(([p, t]) => file(`${ROOT}/${p}`, t, 'context.xml')),
    webXmls: (extra.webXmls ?? []).map((w) => ({ file: file(w.path, w.text, 'web.xml'), appDir: w.appDir })),
    metaInfContexts: (extra.metaInf ?? []).map((w) => ({ file: file(w.path, w.text, 'context.xml'), appDir: w.appDir })),
    catalinaProperties:
      extra.catalinaProperties !== undefined ? file(`${ROOT}/conf/catalina.properties`, extra.catalinaProperties, 'catalina.properties') : undefined,
    setenv: extra.setenv !== undefined ? [file(`${ROOT}/bin/setenv.sh`, extra.setenv, 'setenv')] : [],
    layoutHints: { jarNames: extra.jarNames ?? [], releaseNotes: extra.releaseNotes },
    declaredHost: extra.declaredHost,
    declaredVersion: extra.declaredVersion,
  };
}

function build(serverXml: string, extra: Extra = {}): TomcatNode {
  const node = buildTomcatNode(input(serverXml, extra), new ParseCache());
  if (!node) throw new Error('no node');
  return node;
}

function multicast(m: Membership | undefined): Extract<Membership, { kind: 'multicast' }> {
  if (!m || m.kind !== 'multicast') throw new Error(`not multicast: ${m?.kind}`);
  return m;
}

/** The seed's Tomcat 5.5 server.xml (cluster block verbatim from the 2006 write-up). */
const SEED_55 = `<?xml version="1.0" encoding="UTF-8"?>
<Server port="8005" shutdown="SHUTDOWN">
  <Listener className="org.apache.catalina.core.AprLifecycleListener" />
  <Listener className="org.apache.catalina.mbeans.ServerLifecycleListener" />
  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener" />
  <Listener className="org.apache.catalina.storeconfig.StoreConfigLifecycleListener"/>
  <Service name="Catalina">
    <Connector port="8080" maxHttpHeaderSize="8192" maxThreads="150" />
    <Connector port="8009" enableLookups="false" redirectPort="8443" protocol="AJP/1.3" />
    <!-- <Engine name="Catalina" defaultHost="localhost" jvmRoute="jvm1"> -->
    <Engine name="Standalone" defaultHost="localhost" jvmRoute="tomcat1">
      <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="true">
        <Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster"
                 managerClassName="org.apache.catalina.cluster.session.DeltaManager"
                 expireSessionsOnShutdown="false"
                 useDirtyFlag="true"
                 notifyListenersOnReplication="true">
            <Membership
                className="org.apache.catalina.cluster.mcast.McastService"
                mcastBindAddress="127.0.0.1"
                mcastAddr="224.1.2.3"
                mcastPort="2525"
                mcastFrequency="500"
                mcastDropTime="3000"/>
            <Receiver
                className="org.apache.catalina.cluster.tcp.ReplicationListener"
                tcpListenAddress="auto"
                tcpListenPort="4001"
                tcpSelectorTimeout="100"
                tcpThreadCount="6"/>
            <Sender
                className="org.apache.catalina.cluster.tcp.ReplicationTransmitter"
                replicationMode="pooled"
                ackTimeout="15000"/>
            <Valve className="org.apache.catalina.cluster.tcp.ReplicationValve"
                   filter=".*\\.gif;.*\\.js;.*\\.jpg;.*\\.png;.*\\.htm;.*\\.html;.*\\.css;.*\\.txt;"/>
            <Deployer className="org.apache.catalina.cluster.deploy.FarmWarDeployer"
                      tempDir="/tmp/war-temp/"
                      deployDir="/tmp/war-deploy/"
                      watchDir="/tmp/war-listen/"
                      watchEnabled="false"/>
            <ClusterListener className="org.apache.catalina.cluster.session.ClusterSessionListener"/>
        </Cluster>
      </Host>
    </Engine>
  </Service>
</Server>`;

/** A 6+ server.xml around the given Cluster block. */
function server6(cluster: string, serverAttrs = 'port="8005" shutdown="SHUTDOWN"', engineAttrs = 'jvmRoute="node1"'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Server ${serverAttrs}>
  <Service name="Catalina">
    <Connector port="8080" protocol="HTTP/1.1" redirectPort="8443" />
    <Engine name="Catalina" defaultHost="localhost" ${engineAttrs}>
      ${cluster}
      <Host name="localhost" appBase="webapps" />
    </Engine>
  </Service>
</Server>`;
}

const CHANNEL_CLUSTER = (membershipAttrs: string) => `
      <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" channelSendOptions="8">
        <Manager className="org.apache.catalina.ha.session.DeltaManager" expireSessionsOnShutdown="false"/>
        <Channel className="org.apache.catalina.tribes.group.GroupChannel">
          <Membership className="org.apache.catalina.tribes.membership.McastService" ${membershipAttrs} frequency="500" dropTime="3000"/>
          <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" address="auto" port="4000" autoBind="100"/>
          <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
            <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>
          </Sender>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>
        </Channel>
        <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter=""/>
        <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
      </Cluster>`;

describe('buildTomcatNode: Tomcat 5.5 (the seed)', () => {
  const node = build(SEED_55);

  it('reads the 5.x cluster with its exact values', () => {
    const c = node.cluster!;
    expect(c.generation).toBe('5.x');
    expect(c.level).toBe('host');
    const m = multicast(c.membership);
    expect(m.address.value).toBe('224.1.2.3');
    expect(m.port.value).toBe(2525);
    expect(m.bind?.value).toBe('127.0.0.1');
    expect(m.frequency?.value).toBe(500);
    expect(m.dropTime?.value).toBe(3000);
    expect(m.address.span?.line).toBe(21);
    expect(c.receiver.port.value).toBe(4001);
    expect(c.receiver.address.value).toBe('auto');
    expect(c.receiver.autoBind).toBe(1);
    expect(c.manager.value).toBe('org.apache.catalina.cluster.session.DeltaManager');
    expect(c.valves.map((v) => v.className.value)).toEqual(['org.apache.catalina.cluster.tcp.ReplicationValve']);
    expect(c.listeners).toHaveLength(1);
    expect(c.interceptors).toEqual([]);
    expect(c.deployer?.className.value).toBe('org.apache.catalina.cluster.deploy.FarmWarDeployer');
    expect(c.ignored).toEqual([]);
  });

  it('infers 5.5 from the listeners and the 5.x classes', () => {
    expect(node.version.source).toBe('inferred');
    expect(node.version.version).toBe('5.5');
    expect(node.version.generation).toBe('5.x');
    expect(node.version.evidence).toMatch(/AprLifecycleListener/);
    expect(node.version.evidence).toMatch(/5\.x cluster classes/);
    expect(effectiveGeneration(node)).toBe('5.x');
  });

  it('reads ports, connectors and the engine', () => {
    expect(node.shutdown?.effectivePort).toBe(8005);
    expect(node.shutdown?.command.value).toBe('SHUTDOWN');
    expect(node.connectors.map((c) => [c.protocol, c.effectivePort])).toEqual([
      ['http', 8080],
      ['ajp', 8009],
    ]);
    expect(node.engine?.name).toBe('Standalone');
    expect(node.engine?.jvmRoute?.value).toBe('tomcat1');
    expect(node.engine?.jvmRoute?.span?.line).toBe(11);
    expect(node.host).toEqual({ name: '', source: 'unknown' });
    expect(node.serverElement.name).toBe('Server');
    expect(node.serverXml).toBe(`${ROOT}/conf/server.xml`);
  });

  it('applies 5.5 defaultMode to a bare 5.x Cluster', () => {
    const n = build(SEED_55.replace(/<Cluster[\s\S]*<\/Cluster>/, '<Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster" service.mcastBindAddress="127.0.0.1"/>'));
    const m = multicast(n.cluster?.membership);
    expect([m.address.value, m.port.value, m.bind?.value, m.element]).toEqual(['228.0.0.4', 8012, '127.0.0.1', undefined]);
    expect(n.cluster?.receiver.port.value).toBe(8015);
    expect(n.cluster?.receiver.autoBind).toBe(5);
    expect(n.cluster?.receiver.span).toEqual(n.cluster?.span);
  });

  it('counts the SocketReplicationListener port range', () => {
    const n = build(
      SEED_55.replace('org.apache.catalina.cluster.tcp.ReplicationListener', 'org.apache.catalina.cluster.tcp.SocketReplicationListener').replace(
        'tcpListenPort="4001"',
        'tcpListenPort="4001" tcpListenMaxPort="4010"',
      ),
    );
    expect(n.cluster?.receiver.autoBind).toBe(10);
  });

  it('leaves a 5.x McastService without mcastAddr without an address and flags 6.0 names', () => {
    const n = build(SEED_55.replace('mcastAddr="224.1.2.3"', 'address="224.1.2.3"'));
    const m = multicast(n.cluster?.membership);
    expect(m.address).toEqual({ value: '', span: undefined });
    expect(n.cluster?.ignored.map((i) => i.what)).toEqual(['address']);
  });
});

describe('buildTomcatNode: 6+ cluster membership by version', () => {
  it('reads Channel/Membership address and port on 10.1', () => {
    const n = build(server6(CHANNEL_CLUSTER('address="228.0.0.9" port="45565"')), { declaredVersion: '10.1' });
    const c = n.cluster!;
    expect(c.generation).toBe('6+');
    expect(c.level).toBe('engine');
    const m = multicast(c.membership);
    expect([m.address.value, m.port.value]).toEqual(['228.0.0.9', 45565]);
    expect(m.bind).toBeUndefined();
    expect(m.span).toEqual(m.element?.startTagSpan);
    expect(c.ignored).toEqual([]);
    expect(c.receiver).toMatchObject({ address: { value: 'auto' }, port: { value: 4000 }, autoBind: 100 });
    expect(c.manager.value).toBe('org.apache.catalina.ha.session.DeltaManager');
    expect(c.interceptors.map((i) => i.className.value.split('.').pop())).toEqual(['TcpFailureDetector', 'MessageDispatchInterceptor']);
    expect(n.version).toMatchObject({ version: '10.1', major: 10, minor: 1, source: 'declared', generation: '6+' });
  });

  it('ignores mcastAddr/mcastPort on 9.0: the default group applies', () => {
    const n = build(server6(CHANNEL_CLUSTER('mcastAddr="228.0.0.9" mcastPort="45565" mcastBindAddress="127.0.0.1"')), { declaredVersion: '9.0' });
    const m = multicast(n.cluster?.membership);
    expect([m.address.value, m.port.value]).toEqual(['228.0.0.4', 45564]);
    expect(m.address.span).toBeUndefined();
    expect(m.bind?.value).toBe('127.0.0.1');
    expect(m.ignoredAttributes).toEqual(['mcastAddr', 'mcastPort']);
    const ignored = n.cluster!.ignored;
    expect(ignored.map((i) => i.what)).toEqual(['mcastAddr', 'mcastPort']);
    expect(ignored[0]!.reason).toMatch(/228\.0\.0\.4 applies/);
    expect(ignored[0]!.reason).not.toMatch(/unknown/);
    expect(ignored[0]!.span.line).toBe(10);
  });

  it('accepts mcastAddr/mcastPort on declared 7.0', () => {
    const n = build(server6(CHANNEL_CLUSTER('mcastAddr="228.0.0.9" mcastPort="45565"')), { declaredVersion: '7.0' });
    const m = multicast(n.cluster?.membership);
    expect([m.address.value, m.port.value]).toEqual(['228.0.0.9', 45565]);
    expect(m.address.span).toBeDefined();
    expect(n.cluster?.ignored).toEqual([]);
  });

  it('assumes 8.0+ when the version is unknown, and says so', () => {
    const n = build(server6(CHANNEL_CLUSTER('mcastAddr="228.0.0.9"')));
    expect(n.version.source).toBe('inferred');
    expect(n.version.generation).toBe('6+');
    expect(n.version.version).toBeUndefined();
    expect(multicast(n.cluster?.membership).address.value).toBe('228.0.0.4');
    expect(n.cluster?.ignored[0]?.reason).toMatch(/unknown/);
  });

  it('ignores Membership/Receiver directly under a 6+ Cluster (defaults apply)', () => {
    const cluster = `<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster">
        <Membership className="org.apache.catalina.tribes.membership.McastService" address="228.0.0.9" port="45565"/>
        <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" port="4100"/>
      </Cluster>`;
    const n = build(server6(cluster), { declaredVersion: '9.0' });
    const m = multicast(n.cluster?.membership);
    expect([m.address.value, m.port.value, m.element]).toEqual(['228.0.0.4', 45564, undefined]);
    expect(m.span).toEqual(n.cluster?.span);
    expect(n.cluster?.receiver.port.value).toBe(4000);
    expect(n.cluster?.ignored.map((i) => i.what)).toEqual(['Membership', 'Receiver']);
  });

  it('gives a bare 6+ Cluster all defaults', () => {
    const n = build(server6('<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"/>'), { declaredVersion: '10.1' });
    const c = n.cluster!;
    const m = multicast(c.membership);
    expect([m.address.value, m.port.value, m.frequency?.value, m.dropTime?.value, m.bind]).toEqual(['228.0.0.4', 45564, 500, 3000, undefined]);
    expect(c.receiver).toMatchObject({ address: { value: 'auto', span: undefined }, port: { value: 4000, span: undefined }, autoBind: 100, element: undefined });
    expect(c.manager).toEqual({ value: 'org.apache.catalina.ha.session.DeltaManager', span: undefined });
    expect(c.valves).toEqual([]);
    expect(c.deployer).toBeUndefined();
    expect(c.ignored).toEqual([]);
  });

  it('flags 5.x Cluster attributes on 8.5+', () => {
    const n = build(
      server6('<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster" managerClassName="x.Y" manager.expireSessionsOnShutdown="false" channelSendOptions="6"/>'),
      { declaredVersion: '8.5' },
    );
    expect(n.cluster?.ignored.map((i) => i.what)).toEqual(['managerClassName', 'manager.expireSessionsOnShutdown']);
    expect(n.cluster?.manager.value).toBe('org.apache.catalina.ha.session.DeltaManager');
  });

  it('maps tcpListenPort on 6.0 and ignores it on 9.0', () => {
    const cluster = `<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"><Channel className="org.apache.catalina.tribes.group.GroupChannel">
        <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" tcpListenAddress="127.0.0.1" tcpListenPort="4005" autoBind="0"/>
      </Channel></Cluster>`;
    const old = build(server6(cluster), { declaredVersion: '6.0' }).cluster!.receiver;
    expect([old.address.value, old.port.value, old.autoBind]).toEqual(['127.0.0.1', 4005, 1]);
    const n = build(server6(cluster), { declaredVersion: '9.0' }).cluster!;
    expect([n.receiver.address.value, n.receiver.port.value]).toEqual(['auto', 4000]);
    expect(n.ignored.map((i) => i.what)).toEqual(['tcpListenAddress', 'tcpListenPort']);
  });

  it('reads static membership through StaticMembershipInterceptor', () => {
    const cluster = `<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster">
        <Channel className="org.apache.catalina.tribes.group.GroupChannel">
          <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver" address="10.0.0.1" port="4004" autoBind="0"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.StaticMembershipInterceptor">
            <Member className="org.apache.catalina.tribes.membership.StaticMember" port="4004" host="10.0.0.2" uniqueId="{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,2}"/>
            <Member className="org.apache.catalina.tribes.membership.StaticMember" port="4005" host="10.0.0.3"/>
          </Interceptor>
        </Channel>
      </Cluster>`;
    const c = build(server6(cluster)).cluster!;
    expect(c.membership.kind).toBe('static');
    if (c.membership.kind !== 'static') return;
    expect(c.membership.members.map((m) => [m.host.value, m.port.value, m.uniqueId])).toEqual([
      ['10.0.0.2', 4004, '{0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,2}'],
      ['10.0.0.3', 4005, undefined],
    ]);
    expect(c.receiver).toMatchObject({ address: { value: '10.0.0.1' }, port: { value: 4004 }, autoBind: 1 });
  });

  it('reads StaticMembershipService members and classifies cloud membership as other', () => {
    const stat = `<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"><Channel className="org.apache.catalina.tribes.group.GroupChannel">
        <Membership className="org.apache.catalina.tribes.membership.StaticMembershipService">
          <LocalMember className="org.apache.catalina.tribes.membership.StaticMember" uniqueId="{1}"/>
          <Member className="org.apache.catalina.tribes.membership.StaticMember" host="node2" port="4000" uniqueId="{2}"/>
        </Membership></Channel></Cluster>`;
    const s = build(server6(stat)).cluster!.membership;
    expect(s.kind === 'static' && s.members.map((m) => m.host.value)).toEqual(['node2']);
    const cloud = stat.replace(/<Membership[\s\S]*<\/Membership>/, '<Membership className="org.apache.catalina.tribes.membership.cloud.CloudMembershipService"/>');
    const o = build(server6(cloud)).cluster!.membership;
    expect(o.kind).toBe('other');
    expect(o.kind === 'other' && o.className).toMatch(/CloudMembershipService$/);
  });

  it('prefers the Engine-level cluster over a Host-level one', () => {
    const xml = server6('<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"/>').replace(
      '<Host name="localhost" appBase="webapps" />',
      '<Host name="localhost" appBase="webapps"><Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster"/></Host>',
    );
    expect(build(xml).cluster).toMatchObject({ level: 'engine', generation: '6+' });
  });
});

describe('buildTomcatNode: ports and connectors', () => {
  it('applies portOffset and disables shutdown on -1', () => {
    const xml = `<Server port="-1" portOffset="100" shutdown="s3cret">
      <Service name="Catalina">
        <Connector port="8080" protocol="HTTP/1.1"/>
        <Connector port="8009" protocol="AJP/1.3" secret="abc" address="127.0.0.1"/>
        <Connector port="0"/>
        <Connector port="\${undefined.port}"/>
        <Engine name="Catalina" defaultHost="localhost"><Host name="localhost"/></Engine>
      </Service>
    </Server>`;
    const n = build(xml);
    expect(n.portOffset.value).toBe(100);
    expect(n.portOffset.span?.line).toBe(1);
    expect(n.shutdown).toMatchObject({ port: { value: -1 }, effectivePort: undefined, command: { value: 's3cret' } });
    expect(n.shutdown?.span).toEqual(n.shutdown?.port.span);
    expect(n.connectors.map((c) => c.effectivePort)).toEqual([8180, 8109, undefined, undefined]);
    expect(n.connectors[3]!.port.value).toBeUndefined();
    expect(n.connectors[1]).toMatchObject({ protocol: 'ajp', secret: { value: 'abc' }, address: { value: '127.0.0.1' } });
    expect(n.engine?.jvmRoute).toBeUndefined();
    expect(n.version.atLeast).toBe('8.5.76');
  });

  it('defaults the shutdown port and command with no span, reporting at the start tag', () => {
    const n = build('<Server><Service name="S"><Engine name="E"/></Service></Server>');
    expect(n.shutdown?.port).toEqual({ value: 8005, span: undefined });
    expect(n.shutdown?.command).toEqual({ value: 'SHUTDOWN', span: undefined });
    expect(n.shutdown?.span).toEqual(n.serverElement.startTagSpan);
    expect(n.portOffset).toEqual({ value: 0, span: undefined });
  });

  it('ignores portOffset on a Tomcat that predates it', () => {
    const n = build('<Server port="8005" portOffset="10"><Service><Connector port="8080"/></Service></Server>', { declaredVersion: '9.0.12' });
    expect(n.shutdown?.effectivePort).toBe(8005);
    expect(n.connectors[0]?.effectivePort).toBe(8080);
  });

  it('detects AJP by protocol name and by class name', () => {
    const xml = `<Server><Service>
      <Connector port="1" protocol="AJP/1.3"/>
      <Connector port="2" protocol="org.apache.coyote.ajp.AjpNioProtocol"/>
      <Connector port="3" protocol="org.apache.coyote.http11.Http11NioProtocol"/>
      <Connector port="4"/>
      <Connector port="5" protocol="HTTP/1.1"/>
      <Connector port="6" protocolHandlerClassName="org.apache.jk.server.JkCoyoteHandler"/>
      <Connector port="7" className="org.apache.ajp.tomcat4.Ajp13Connector"/>
    </Service></Server>`;
    expect(build(xml).connectors.map((c) => c.protocol)).toEqual(['ajp', 'ajp', 'http', 'http', 'http', 'ajp', 'ajp']);
  });

  it('takes secret, else requiredSecret (until 10.1), else request.secret (up to 6.0)', () => {
    const xml = `<Server><Service>
      <Connector port="1" protocol="AJP/1.3" secret="new" requiredSecret="old"/>
      <Connector port="2" protocol="AJP/1.3" requiredSecret="old" secretRequired="false"/>
      <Connector port="3" protocol="AJP/1.3" request.secret="older"/>
      <Connector port="4" protocol="AJP/1.3" secretRequired="TRUE"/>
    </Service></Server>`;
    const unknown = build(xml).connectors;
    expect(unknown.map((c) => c.secret?.value)).toEqual(['new', 'old', 'older', undefined]);
    expect(unknown.map((c) => c.secretRequired?.value)).toEqual([undefined, false, undefined, true]);
    expect(build(xml, { declaredVersion: '9.0.31' }).connectors.map((c) => c.secret?.value)).toEqual(['new', 'old', undefined, undefined]);
    expect(build(xml, { declaredVersion: '11.0' }).connectors.map((c) => c.secret?.value)).toEqual(['new', undefined, undefined, undefined]);
  });
});

describe('buildTomcatNode: variables', () => {
  const xml = `<Server port="\${shutdown.port:-8005}">
    <Service name="Catalina">
      <Connector port="\${ajp.port}" protocol="AJP/1.3" secret="\${ajp.secret}"/>
      <Connector port="\${http.port}" address="\${bind.addr}"/>
      <Engine name="Catalina" defaultHost="localhost" jvmRoute="\${jvm.route}">
        <Host name="localhost" appBase="\${catalina.base}/webapps" workDir="\${java.io.tmpdir}/work"/>
      </Engine>
    </Service>
  </Server>`;
  const n = build(xml, {
    catalinaProperties: '# ports\n! bang comment\najp.port=9009\nhttp.port : 9080\nlong.list=a,\\\n    b\n',
    setenv: '#!/bin/sh\n# -Dcommented=1\nCATALINA_OPTS="$CATALINA_OPTS -Djvm.route=node1 -Dajp.secret=\\"s e\\""\nJAVA_OPTS="-Dhttp.port=1"\n',
  });

  it('substitutes from catalina.properties and setenv, keeping the server.xml span', () => {
    expect(n.connectors[0]?.port.value).toBe(9009);
    expect(n.connectors[0]?.port.span?.line).toBe(3);
    expect(n.connectors[0]?.secret?.value).toBe('s e');
    // catalina.properties is loaded into the system properties after the command line: it wins.
    expect(n.connectors[1]?.port.value).toBe(9080);
    expect(n.engine?.jvmRoute?.value).toBe('node1');
    expect(n.engine?.jvmRoute?.span?.file).toBe(`${ROOT}/conf/server.xml`);
    expect(n.shutdown?.port.value).toBe(8005);
  });

  it('records known properties with their positions', () => {
    expect(n.properties.get('ajp.port')).toMatchObject({ value: '9009', span: { file: `${ROOT}/conf/catalina.properties`, line: 3 } });
    expect(n.properties.get('http.port')?.value).toBe('9080');
    expect(n.properties.get('long.list')?.value).toBe('a,b');
    expect(n.properties.get('jvm.route')).toMatchObject({ value: 'node1', span: { file: `${ROOT}/bin/setenv.sh`, line: 3 } });
    expect(n.properties.has('commented')).toBe(false);
  });

  it('records unresolved names at the attribute value, ignoring built-ins and defaults', () => {
    expect(n.unresolved.map((u) => [u.name, u.span.line])).toEqual([['bind.addr', 4]]);
    expect(n.connectors[1]?.address?.value).toBe('${bind.addr}');
  });

  it('takes the jvmRoute system property before 10.1 when the Engine has none', () => {
    const plain = '<Server><Service><Engine name="Catalina"/></Service></Server>';
    const setenv = 'export CATALINA_OPTS="-DjvmRoute=jvm7"\n';
    expect(build(plain, { setenv, declaredVersion: '9.0' }).engine?.jvmRoute?.value).toBe('jvm7');
    expect(build(plain, { setenv, declaredVersion: '10.1' }).engine?.jvmRoute).toBeUndefined();
  });
});

describe('buildTomcatNode: apps and contexts', () => {
  const webXml = (distributable: boolean) => `<?xml version="1.0"?>
<web-app xmlns="http://java.sun.com/xml/ns/j2ee" version="2.4">
  <display-name>x</display-name>${distributable ? '\n  <distributable/>' : ''}
</web-app>`;
  const xml = `<Server><Service><Engine name="Catalina" defaultHost="localhost">
    <Host name="localhost" appBase="webapps">
      <Context path="/shop" docBase="shop"><Manager className="org.apache.catalina.ha.session.BackupManager"/></Context>
    </Host>
  </Engine></Service></Server>`;
  const n = build(xml, {
    webXmls: [
      { path: `${ROOT}/webapps/shop/WEB-INF/web.xml`, appDir: `${ROOT}/webapps/shop`, text: webXml(true) },
      { path: `${ROOT}/webapps/ROOT/WEB-INF/web.xml`, appDir: `${ROOT}/webapps/ROOT`, text: webXml(false) },
      { path: `${ROOT}/webapps/a#b/WEB-INF/web.xml`, appDir: `${ROOT}/webapps/a#b`, text: webXml(true) },
      {
        path: `${ROOT}/webapps/shop/WEB-INF/lib/lib1/META-INF/web-fragment.xml`,
        appDir: `${ROOT}/webapps/shop/WEB-INF/lib/lib1`,
        text: '<web-fragment xmlns="http://xmlns.jcp.org/xml/ns/javaee" version="3.1"><name>f</name></web-fragment>',
      },
      { path: '/x/loose/web.xml', appDir: '/x/loose', text: webXml(true) },
    ],
    contextFiles: {
      'conf/context.xml': '<Context>\n  <WatchedResource>WEB-INF/web.xml</WatchedResource>\n  <Manager pathname="" />\n</Context>',
      'conf/Catalina/localhost/context.xml.default': '<Context distributable="true"/>',
      'conf/Catalina/localhost/shop.xml': '<Context><Manager className="org.apache.catalina.session.PersistentManager"/></Context>',
      'conf/Catalina/otherhost/shop.xml': '<Context/>',
      'conf/broken.xml': '<NotAContext/>',
    },
    metaInf: [{ path: `${ROOT}/webapps/shop/META-INF/context.xml`, appDir: `${ROOT}/webapps/shop`, text: '<Context antiResourceLocking="false"/>' }],
  });

  it('finds apps with context paths and distributable', () => {
    expect(n.apps.map((a) => [a.name, a.contextPath, a.distributable])).toEqual([
      ['shop', '/shop', true],
      ['ROOT', '', false],
      ['a#b', '/a/b', true],
      ['loose', '/loose', true],
    ]);
    const shop = n.apps[0]!;
    expect(shop.webXml).toBe(`${ROOT}/webapps/shop/WEB-INF/web.xml`);
    expect(shop.webXmlSpan?.line).toBe(2);
    expect(shop.fragments).toEqual([{ file: `${ROOT}/webapps/shop/WEB-INF/lib/lib1/META-INF/web-fragment.xml`, distributable: false, span: expect.anything() }]);
  });

  it('lists every context source of an app, weakest first', () => {
    const shop = n.apps[0]!;
    expect(shop.contexts.map((c) => [c.scope, c.file.replace(ROOT, '')])).toEqual([
      ['global', '/conf/context.xml'],
      ['host-default', '/conf/Catalina/localhost/context.xml.default'],
      ['meta-inf', '/webapps/shop/META-INF/context.xml'],
      ['host-app', '/conf/Catalina/localhost/shop.xml'],
      ['server-xml', '/conf/server.xml'],
    ]);
    const global = shop.contexts[0]!;
    expect(global.manager?.className).toEqual({ value: undefined, span: undefined });
    expect(global.manager?.span.line).toBe(3);
    expect(shop.contexts[1]!.distributable?.value).toBe(true);
    expect(shop.contexts[3]!.manager?.className.value).toBe('org.apache.catalina.session.PersistentManager');
    expect(shop.contexts[4]!.contextPath).toBe('/shop');
    const root = n.apps[1]!;
    expect(root.contexts.map((c) => c.scope)).toEqual(['global', 'host-default']);
  });

  it('keeps global and host-default sources on the node', () => {
    expect(n.contexts.map((c) => c.scope)).toEqual(['global', 'host-default']);
  });

  it('maps names to context paths like Tomcat', () => {
    expect(['ROOT', 'shop', 'a#b', 'app##2', 'ROOT##1'].map(contextPathOf)).toEqual(['', '/shop', '/a/b', '/app', '']);
  });
});

describe('version inference and comparison', () => {
  const bare = '<Server><Service><Engine name="Catalina"/></Service></Server>';

  it('reads RELEASE-NOTES', () => {
    const v = build(bare, { releaseNotes: '\n   Apache Tomcat Version 9.0.85\n   Release Notes\n' }).version;
    expect(v).toMatchObject({ version: '9.0.85', major: 9, minor: 0, patch: 85, source: 'inferred', generation: '6+' });
    expect(versionAtLeast(v, 9, 0, 31)).toBe(true);
    expect(versionAtLeast(v, 10)).toBe(false);
  });

  it('lets a declared version win', () => {
    const v = build(bare, { declaredVersion: '10.1.60', releaseNotes: 'Apache Tomcat Version 9.0.85' }).version;
    expect(v).toMatchObject({ version: '10.1.60', source: 'declared', major: 10, minor: 1, patch: 60 });
  });

  it('reads jar layouts', () => {
    expect(build(bare, { jarNames: ['server/lib/catalina-cluster.jar'] }).version).toMatchObject({ major: 5, generation: '5.x', version: undefined });
    const six = build(bare, { jarNames: ['lib/catalina-ha.jar', 'lib/catalina-tribes.jar'] }).version;
    expect(six).toMatchObject({ major: undefined, generation: '6+', atLeast: '6.0', version: undefined });
    expect(build(bare, { jarNames: ['lib/tomcat-coyote-9.0.85.jar'] }).version.version).toBe('9.0.85');
  });

  it('infers from 5.x classes and pins 6.0 from ServerLifecycleListener with ha classes', () => {
    const five = build(bare.replace('<Engine name="Catalina"/>', '<Engine name="C"><Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster"/></Engine>')).version;
    expect(five).toMatchObject({ major: 5, generation: '5.x', source: 'inferred' });
    const six = build(
      server6('<Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"/>').replace(
        '<Service',
        '<Listener className="org.apache.catalina.mbeans.ServerLifecycleListener"/><Service',
      ),
    ).version;
    expect(six).toMatchObject({ version: '6.0', major: 6, minor: 0 });
  });

  it('prefers non-cluster evidence over cluster classes when they disagree', () => {
    const xml = bare
      .replace('<Service>', '<Listener className="org.apache.catalina.startup.VersionLoggerListener"/><Service>')
      .replace('<Engine name="Catalina"/>', '<Engine name="C"><Cluster className="org.apache.catalina.cluster.tcp.SimpleTcpCluster"/></Engine>');
    const n = build(xml);
    expect(n.version).toMatchObject({ generation: '6+', atLeast: '7.0' });
    expect(n.cluster?.generation).toBe('5.x');
  });

  it('reads the Jakarta namespace of web.xml as 10+', () => {
    const v = build(bare, {
      webXmls: [{ path: `${ROOT}/webapps/a/WEB-INF/web.xml`, appDir: `${ROOT}/webapps/a`, text: '<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>' }],
    }).version;
    expect(v).toMatchObject({ atLeast: '10.0', generation: '6+' });
    expect(versionAtLeast(v, 9, 0, 31)).toBe(true);
    expect(versionAtLeast(v, 10, 1)).toBeUndefined();
  });

  it('answers undefined when the evidence does not decide', () => {
    const unknown: TomcatVersion = { version: undefined, major: undefined, minor: undefined, patch: undefined, source: 'unknown', evidence: undefined };
    expect(versionAtLeast(unknown, 6)).toBeUndefined();
    const nine: TomcatVersion = { ...unknown, version: '9.0', major: 9, minor: 0, source: 'declared' };
    expect(versionAtLeast(nine, 9)).toBe(true);
    expect(versionAtLeast(nine, 9, 0, 31)).toBeUndefined();
    expect(versionAtLeast(nine, 8, 5, 51)).toBe(true);
    expect(versionAtLeast({ ...unknown, major: 5, atLeast: '5.0', atMost: '5.5' }, 5, 5)).toBeUndefined();
    expect(versionAtLeast({ ...unknown, major: 5, atLeast: '5.0', atMost: '5.5' }, 6)).toBe(false);
    expect(versionAtLeast({ ...unknown, atMost: '7.0' }, 8)).toBe(false);
    expect(effectiveGeneration({ version: unknown, cluster: undefined })).toBeUndefined();
  });

  it('sets the host from the declaration', () => {
    expect(build(bare, { declaredHost: 'app1' }).host).toEqual({ name: 'app1', source: 'declared' });
  });
});

describe('buildTomcatNode: broken input', () => {
  it('returns undefined for broken XML or a root that is not Server', () => {
    const cache = new ParseCache();
    expect(buildTomcatNode(input('<Server><Service>'), cache)).toBeUndefined();
    expect(buildTomcatNode(input('<web-app/>'), new ParseCache())).toBeUndefined();
    expect(buildTomcatNode(input(''), new ParseCache())).toBeUndefined();
  });

  it('never throws on odd values and nesting', () => {
    const xml = `<Server port="abc" portOffset="x">
      <Connector port="8080"/>
      <Service><Connector/><Engine><Cluster><Channel><Membership port="" address=""/><Receiver autoBind="z"/>
      <Interceptor className="org.apache.catalina.tribes.group.interceptors.StaticMembershipInterceptor"><Member/></Interceptor></Channel>
      <Manager/><Valve/></Cluster><Host appBase=""><Context/></Host></Engine></Service>
      <Service/>
    </Server>`;
    const n = build(xml, { catalinaProperties: 'a\\\n', setenv: '-D=1 -D' });
    expect(n.shutdown?.effectivePort).toBeUndefined();
    expect(n.portOffset.value).toBe(0);
    expect(n.connectors).toHaveLength(1);
    expect(n.cluster?.membership.kind).toBe('static');
    expect(n.cluster?.valves[0]?.className).toEqual({ value: '', span: undefined });
  });
});

describe('buildTomcatNode over the real corpus', () => {
  const corpus = '/work/shared/corpus';
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/server.*\.xml$/i.test(name)) files.push(p);
    }
  };
  let available = true;
  try {
    for (const name of readdirSync(join(corpus, 'A'))) files.push(join(corpus, 'A', name));
    walk(join(corpus, 'sets'));
  } catch {
    available = false;
  }

  it.runIf(available)('reads every corpus server.xml without throwing', () => {
    let built = 0;
    for (const path of files) {
      const text = readFileSync(path);
      const root = dirname(dirname(path));
      const tomcat: TomcatInput = {
        id: path,
        name: basename(root),
        root,
        serverXml: { path, kind: 'server.xml', source: decode(path, text) },
        contextFiles: [],
        webXmls: [],
        metaInfContexts: [],
        catalinaProperties: undefined,
        setenv: [],
        layoutHints: { jarNames: [], releaseNotes: undefined },
        declaredHost: undefined,
        declaredVersion: undefined,
      };
      for (const declaredVersion of [undefined, '5.5', '7.0', '9.0', '10.1']) {
        const node = buildTomcatNode({ ...tomcat, declaredVersion }, new ParseCache());
        if (node && declaredVersion === undefined) built++;
      }
    }
    expect(files.length).toBeGreaterThan(15);
    expect(built).toBeGreaterThan(10);
  });
});
