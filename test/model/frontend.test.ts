import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DiscoveredFile, FrontEndInput } from '../../src/discover/types.js';
import { buildFrontEnd, jkBool, mountPattern, parseUrl, resolveNamedFile } from '../../src/model/frontend.js';
import { ParseCache } from '../../src/model/parse-cache.js';
import type { Balancer, FileKind, FrontEnd } from '../../src/model/types.js';
import { decode } from '../../src/parsers/source.js';
import type { Span } from '../../src/types.js';

// ---------------------------------------------------------------- helpers

function file(p: string, kind: FileKind, text: string): DiscoveredFile {
  return { path: p, kind, source: decode(p, Buffer.from(text)) };
}

interface Files {
  httpd?: Record<string, string>;
  workers?: Record<string, string>;
  workers2?: Record<string, string>;
  uwm?: Record<string, string>;
  declaredHost?: string;
}

const ROOT = '/fe/apache';

function input(files: Files): FrontEndInput {
  const mk = (rec: Record<string, string> | undefined, kind: FileKind) =>
    Object.entries(rec ?? {}).map(([p, t]) => file(path.posix.join(ROOT, p), kind, t));
  return {
    id: 'apache',
    name: 'apache',
    root: ROOT,
    httpdConfs: mk(files.httpd, 'httpd.conf'),
    workersProperties: mk(files.workers, 'workers.properties'),
    workers2Properties: mk(files.workers2, 'workers2.properties'),
    uriWorkerMaps: mk(files.uwm, 'uriworkermap.properties'),
    declaredHost: files.declaredHost,
  };
}

function build(files: Files): { fe: FrontEnd; cache: ParseCache } {
  const cache = new ParseCache();
  return { fe: buildFrontEnd(input(files), cache), cache };
}

function balancer(fe: FrontEnd, name: string): Balancer {
  const b = fe.balancers.find((x) => x.name === name);
  if (!b) throw new Error(`no balancer ${name}; have ${fe.balancers.map((x) => x.name).join(', ')}`);
  return b;
}

/** The text a span covers in `text` (single-line spans). */
function cover(text: string, span: Span | undefined): string {
  if (!span) return '<none>';
  const line = text.split(/\r?\n/)[span.line - 1] ?? '';
  return line.slice(span.column - 1, span.endColumn - 1);
}

const SEED_WORKERS2 = `[shm]
info=Scoreboard. Requried for reconfiguration and status with multiprocess servers.
file=anon
\t\t# Defines a load balancer named lb. Use even if you only have one machine.
[lb:lb]
worker=ajp13:tomcat1
worker=ajp13:tomcat2
\t\t# Example socket channel, override port and host.
[channel.socket:localhost:9009]
port=9009
host=127.0.0.1
\t\t# define the worker
[ajp13:localhost:9009]
channel=channel.socket:localhost:9009
group=lb
\t\t# Example socket channel, override port and host.
[channel.socket:localhost:8009]
port=8009
host=127.0.0.1
\t\t# define the worker
[ajp13:localhost:8009]
channel=channel.socket:localhost:8009
group=lb
\t\t# Map the Tomcat examples webapp to the Web server uri space
[uri:/clusterapp/*]
group=lb
`;

// ---------------------------------------------------------------- basics

describe('buildFrontEnd: identity and httpd basics', () => {
  it('takes id, name, root and host from the input', () => {
    const { fe } = build({});
    expect(fe.id).toBe('apache');
    expect(fe.root).toBe(ROOT);
    expect(fe.host).toEqual({ name: '', source: 'unknown' });
    expect(fe.kinds).toEqual([]);
    const declared = build({ declaredHost: 'web1' }).fe;
    expect(declared.host).toEqual({ name: 'web1', source: 'declared' });
  });

  it('reads LoadModule, Listen and flattens nested sections in file order', () => {
    const text = [
      'LoadModule JK_module modules/mod_jk.so',
      'Listen 80',
      'Listen 127.0.0.1:8081',
      'Listen [::1]:8443 https',
      'Listen ${PORT}',
      '<VirtualHost *:80>',
      '  <Location /app>',
      '    JkMount worker1',
      '  </Location>',
      '</VirtualHost>',
    ].join('\n');
    const { fe } = build({ httpd: { 'httpd.conf': text } });
    expect([...fe.modules]).toEqual(['jk_module']);
    expect(fe.listens.map((l) => [l.address, l.port.value])).toEqual([
      [undefined, 80],
      ['127.0.0.1', 8081],
      ['::1', 8443],
    ]);
    expect(cover(text, fe.listens[1]!.port.span)).toBe('8081');
    expect(cover(text, fe.listens[2]!.port.span)).toBe('8443');
    expect(fe.directives.map((d) => d.name)).toEqual([
      'LoadModule',
      'Listen',
      'Listen',
      'Listen',
      'Listen',
      'VirtualHost',
      'Location',
      'JkMount',
    ]);
    expect(fe.directives[7]!.parent?.name).toBe('Location');
    expect(fe.kinds).toEqual(['jk']);
  });
});

// ---------------------------------------------------------------- mod_jk2 (the seed)

describe('buildFrontEnd: mod_jk2 workers2.properties (the 2006 seed)', () => {
  const { fe } = build({
    httpd: { 'conf/httpd.conf': 'LoadModule jk2_module modules/mod_jk2.so\n' },
    workers2: { 'conf/workers2.properties': SEED_WORKERS2 },
  });

  it('knows the beans and the lbs', () => {
    const jk2 = fe.jk2!;
    expect(jk2).toBeDefined();
    expect([...jk2.beans.keys()].sort()).toEqual(['ajp13:localhost:8009', 'ajp13:localhost:9009']);
    expect(jk2.beans.get('ajp13:localhost:8009')!.channel).toBe('channel.socket:localhost:8009');
    expect([...jk2.lbs.keys()]).toEqual(['lb:lb']);
    expect(jk2.lbs.get('lb:lb')!.explicit).toBe(true);
    expect(jk2.beans.has('ajp13:tomcat1')).toBe(false);
    expect(fe.kinds).toEqual(['jk2']);
  });

  it('builds lb:lb with both workers via group, not the dangling worker= names', () => {
    const lb = balancer(fe, 'lb:lb');
    expect(lb.kind).toBe('jk2');
    expect(lb.sticky.value).toBe(true);
    expect(lb.members.map((m) => m.name).sort()).toEqual(['ajp13:localhost:8009', 'ajp13:localhost:9009']);
    expect(lb.members.some((m) => m.name === 'ajp13:tomcat1')).toBe(false);
    const m9 = lb.members.find((m) => m.name === 'ajp13:localhost:9009')!;
    expect(m9.host.value).toBe('127.0.0.1');
    expect(m9.port.value).toBe(9009);
    expect(m9.route?.value).toBe('localhost:9009');
    expect(m9.routeSource).toBe('host-port');
    expect(m9.protocol).toBe('ajp');
    expect(m9.defined).toBe(true);
    expect(m9.target).toBeUndefined();
    expect(m9.candidates).toEqual([]);
    expect(cover(SEED_WORKERS2, m9.host.span)).toBe('127.0.0.1');
    expect(cover(SEED_WORKERS2, m9.route?.span)).toBe('localhost:9009');
    const m8 = lb.members.find((m) => m.name === 'ajp13:localhost:8009')!;
    expect([m8.host.value, m8.port.value, m8.route?.value]).toEqual(['127.0.0.1', 8009, 'localhost:8009']);
  });

  it('maps [uri:] to its group', () => {
    const m = fe.mounts.find((x) => x.source === 'jk2-uri')!;
    expect(m.path).toBe('/clusterapp/*');
    expect(m.worker.value).toBe('lb:lb');
  });
});

describe('buildFrontEnd: mod_jk2 wiring', () => {
  it('creates ajp13 workers from channels, routes from tomcatId, silent lbs from group', () => {
    const text = [
      '[channel.socket:app1:8009]',
      'tomcatId=t1',
      'group=lb:blue',
      '[channel.socket:app2:8010]',
      '[ajp13:app2:8010]',
      'route=t2',
      'group=blue',
      '[channel.un:/tmp/sock]',
      '[lb:red]',
      'stickySession=0',
      'worker=ajp13:app2:8010',
      'worker=ajp13:nope',
      '[uri:/x/*]',
      '[uri:/y/*]',
      'worker=ajp13:app1:8009',
    ].join('\n');
    const { fe } = build({ workers2: { 'workers2.properties': text } });
    const jk2 = fe.jk2!;
    expect([...jk2.beans.keys()]).toEqual(['ajp13:app1:8009', 'ajp13:app2:8010', 'ajp13:/tmp/sock']);
    expect(jk2.lbs.get('lb:blue')).toMatchObject({ explicit: false });
    expect(jk2.lbs.get('lb:red')).toMatchObject({ explicit: true });
    const blue = balancer(fe, 'lb:blue');
    expect(blue.members.map((m) => m.name)).toEqual(['ajp13:app1:8009', 'ajp13:app2:8010']);
    const [a1, a2] = blue.members;
    expect([a1!.host.value, a1!.port.value, a1!.route?.value, a1!.routeSource]).toEqual(['app1', 8009, 't1', 'tomcatId']);
    expect(cover(text, a1!.port.span)).toBe('8009');
    expect([a2!.host.value, a2!.port.value, a2!.route?.value, a2!.routeSource]).toEqual(['app2', 8010, 't2', 'route']);
    const red = balancer(fe, 'lb:red');
    expect(red.sticky.value).toBe(false);
    expect(red.members.map((m) => m.name)).toEqual(['ajp13:app2:8010']);
    // The unix channel's worker has no group: it joins the default lb:lb.
    expect(balancer(fe, 'lb:lb').members.map((m) => m.name)).toEqual(['ajp13:/tmp/sock']);
    expect(fe.mounts.filter((m) => m.source === 'jk2-uri').map((m) => [m.path, m.worker.value])).toEqual([
      ['/x/*', 'lb:lb'],
      ['/y/*', 'ajp13:app1:8009'],
    ]);
  });

  it('picks the workers2 file named by JkSet config.file', () => {
    const { fe } = build({
      httpd: { 'conf/httpd.conf': 'JkSet config.file "C:\\web\\Apache2\\conf\\workers2.properties"\n' },
      workers2: { 'old/workers2.properties': '[channel.socket:a:1]\n', 'conf/workers2.properties': '[channel.socket:b:2]\n' },
    });
    expect([...fe.jk2!.beans.keys()]).toEqual(['ajp13:b:2']);
  });
});

// ---------------------------------------------------------------- mod_jk

describe('buildFrontEnd: mod_jk workers.properties', () => {
  const WORKERS = [
    'base=10.0.0',
    'worker.list=lb',
    'worker.list=status , node1',
    'worker.template.type=ajp13',
    'worker.template.port=8009',
    'worker.template.socket_keepalive=true',
    'worker.node1.reference=worker.template',
    'worker.node1.host=$(base).1',
    'worker.node1.route=r1',
    'worker.node2.reference=worker.template',
    'worker.node2.host=$(base).2',
    'worker.node2.port=9009',
    'worker.node2.port=9010',
    'worker.node3.host=$(nowhere)',
    'worker.lb.type=lb',
    'worker.lb.balance_workers=node1, node2',
    'worker.lb.balance_workers=ghost',
    'worker.lb.secret=s3cret',
    'worker.lb.sticky_session=false',
    'worker.lb.session_cookie=MYSESSION',
    'worker.status.type=status',
    'worker.a.b.port=1',
  ].join('\n');
  const { fe } = build({ workers: { 'conf/workers.properties': WORKERS } });
  const jk = fe.jk!;

  it('reads variables, appends lists and overwrites unique keys', () => {
    expect(jk).toBeDefined();
    expect(jk.variables.get('base')?.value).toBe('10.0.0');
    expect(jk.list.map((l) => l.value)).toEqual(['lb', 'status', 'node1']);
    expect(jk.list.map((l) => cover(WORKERS, l.span))).toEqual(['lb', 'status', 'node1']);
    const port = jk.workers.get('node2')!.properties.get('port')!;
    expect(port.value).toBe('9010');
    expect(port.entries.map((e) => e.value)).toEqual(['9009', '9010']);
    expect(port.valueSpan.line).toBe(13);
    const bw = jk.workers.get('lb')!.properties.get('balance_workers')!;
    expect(bw.value).toBe('node1, node2,ghost');
    expect(bw.entries).toHaveLength(2);
  });

  it('substitutes $(var) and records unknown ones', () => {
    expect(jk.workers.get('node1')!.properties.get('host')!.value).toBe('10.0.0.1');
    expect(jk.workers.get('node3')!.properties.get('host')!.value).toBe('$(nowhere)');
    expect(jk.unresolved.map((u) => u.name)).toEqual(['nowhere']);
    expect(cover(WORKERS, jk.unresolved[0]!.span)).toBe('$(nowhere)');
  });

  it('copies referenced properties the worker does not set', () => {
    const n1 = jk.workers.get('node1')!;
    expect(n1.type).toBe('ajp13');
    expect(n1.properties.get('port')).toMatchObject({ value: '8009', inherited: true });
    expect(n1.properties.get('socket_keepalive')?.inherited).toBe(true);
    expect(n1.properties.get('host')?.inherited).toBe(false);
    expect(jk.workers.get('node2')!.properties.get('port')).toMatchObject({ value: '9010', inherited: false });
    expect(n1.span.line).toBe(7);
  });

  it('splits worker names at the last dot', () => {
    expect(jk.workers.has('a.b')).toBe(true);
    expect(jk.workers.get('a.b')!.properties.get('port')?.value).toBe('1');
  });

  it('builds the lb balancer with routes, inherited secret and the undefined member', () => {
    const lb = balancer(fe, 'lb');
    expect(lb.kind).toBe('jk');
    expect(lb.sticky).toMatchObject({ value: false });
    expect(cover(WORKERS, lb.sticky.span)).toBe('false');
    expect(lb.sessionCookie?.value).toBe('MYSESSION');
    expect(lb.secret?.value).toBe('s3cret');
    expect(lb.span.line).toBe(15);
    expect(lb.members.map((m) => m.name)).toEqual(['node1', 'node2', 'ghost']);
    const [n1, n2, ghost] = lb.members;
    expect([n1!.host.value, n1!.port.value, n1!.route?.value, n1!.routeSource]).toEqual(['10.0.0.1', 8009, 'r1', 'route']);
    expect([n2!.host.value, n2!.port.value, n2!.route?.value, n2!.routeSource]).toEqual([
      '10.0.0.2',
      9010,
      'node2',
      'worker-name',
    ]);
    expect(n1!.secret?.value).toBe('s3cret');
    expect(n1!.defined).toBe(true);
    expect(n1!.kind).toBe('jk');
    expect(n1!.protocol).toBe('ajp');
    expect(ghost!.defined).toBe(false);
    expect([ghost!.host.value, ghost!.port.value, ghost!.route?.value]).toEqual(['localhost', 8009, 'ghost']);
    expect(ghost!.host.span).toBeUndefined();
    expect(cover(WORKERS, ghost!.span)).toBe('ghost');
    expect(cover(WORKERS, n2!.route?.span)).toBe('node2');
  });

  it('lists node1 as a direct member only once mounted directly', () => {
    // node1 is in worker.list but also an lb member and not mounted: not direct.
    expect(fe.directMembers.map((m) => m.name)).toEqual([]);
    const mounted = build({
      workers: { 'workers.properties': WORKERS },
      uwm: { 'uriworkermap.properties': '/direct/*=node1\n' },
    }).fe;
    expect(mounted.directMembers.map((m) => m.name)).toEqual(['node1']);
  });

  it('reads sticky_session the way mod_jk does', () => {
    const sticky = (v: string | undefined) => {
      const text = `worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=a\n${v === undefined ? '' : `worker.lb.sticky_session=${v}\n`}`;
      return balancer(build({ workers: { 'workers.properties': text } }).fe, 'lb').sticky.value;
    };
    expect(sticky(undefined)).toBe(true);
    expect(sticky('false')).toBe(false);
    expect(sticky('0')).toBe(false);
    expect(sticky('off')).toBe(false);
    expect(sticky('No')).toBe(false);
    expect(sticky('True')).toBe(true);
    expect(sticky('1')).toBe(true);
    expect(sticky('on')).toBe(true);
    expect(sticky('whatever')).toBe(true);
    expect(jkBool('FALSE', true)).toBe(false);
  });

  it('uses balanced_workers only without balance_workers; jvm_route as a route', () => {
    const text = [
      'worker.list=lb',
      'worker.lb.type=lb',
      'worker.lb.balanced_workers=a,b',
      'worker.a.jvm_route=ja',
      'worker.b.host=backend:9009',
      'worker.lb2.type=lb',
      'worker.lb2.balanced_workers=x',
      'worker.lb2.balance_workers=y',
    ].join('\n');
    const { fe } = build({ workers: { 'workers.properties': text } });
    const lb = balancer(fe, 'lb');
    expect(lb.members.map((m) => m.name)).toEqual(['a', 'b']);
    expect(lb.members[0]!.route).toMatchObject({ value: 'ja' });
    expect(lb.members[0]!.routeSource).toBe('route');
    const b = lb.members[1]!;
    expect([b.host.value, b.port.value]).toEqual(['backend', 9009]);
    expect(cover(text, b.host.span)).toBe('backend');
    expect(cover(text, b.port.span)).toBe('9009');
    expect(balancer(fe, 'lb2').members.map((m) => m.name)).toEqual(['y']);
  });

  it('gives a single-worker setup a direct member and the default list', () => {
    const single = build({
      httpd: { 'httpd.conf': 'JkWorkersFile conf/workers.properties\nJkMount /* ajp13\n' },
      workers: { 'conf/workers.properties': 'worker.ajp13.port=8010\nworker.ajp13.host=127.0.0.1\n' },
    }).fe;
    expect(single.jk!.list).toEqual([{ value: 'ajp13', span: undefined }]);
    expect(single.balancers).toEqual([]);
    expect(single.directMembers.map((m) => [m.name, m.host.value, m.port.value, m.kind])).toEqual([
      ['ajp13', '127.0.0.1', 8010, 'jk'],
    ]);
    // Written in worker.list but never defined: mod_jk still makes it (ajp13 at localhost:8009).
    const undef = build({ workers: { 'workers.properties': 'worker.list=typo\n' } }).fe;
    expect(undef.directMembers.map((m) => [m.name, m.defined, m.host.value, m.port.value])).toEqual([
      ['typo', false, 'localhost', 8009],
    ]);
  });

  it('applies JkWorkerProperty lines before the file, and alone', () => {
    const conf = 'JkWorkerProperty worker.list=n1\nJkWorkerProperty worker.n1.port = 8111\n';
    const alone = build({ httpd: { 'httpd.conf': conf } }).fe;
    expect(alone.jk!.file).toBe(path.posix.join(ROOT, 'httpd.conf'));
    expect(alone.jk!.list.map((l) => l.value)).toEqual(['n1']);
    const p = alone.jk!.workers.get('n1')!.properties.get('port')!;
    expect(p.value).toBe('8111');
    expect(cover(conf, p.valueSpan)).toBe('8111');
    expect(cover(conf, p.keySpan)).toBe('worker.n1.port');
    const both = build({
      httpd: { 'httpd.conf': conf },
      workers: { 'workers.properties': 'worker.list=n2\nworker.n1.port=8222\n' },
    }).fe;
    expect(both.jk!.list.map((l) => l.value)).toEqual(['n1', 'n2']);
    expect(both.jk!.workers.get('n1')!.properties.get('port')!.value).toBe('8222');
  });

  it('stops at reference loops and deep chains without throwing', () => {
    const loop = 'worker.a.reference=worker.b\nworker.b.reference=worker.a\nworker.a.port=1\nworker.b.host=h\n';
    const { fe } = build({ workers: { 'workers.properties': loop } });
    expect(fe.jk!.workers.get('a')!.properties.get('host')?.value).toBe('h');
    expect(fe.jk!.workers.get('b')!.properties.get('port')?.value).toBe('1');
    const chain = Array.from({ length: 40 }, (_, i) => `worker.w${i}.reference=worker.w${i + 1}`).join('\n') + '\nworker.w40.port=7\n';
    const deep = build({ workers: { 'workers.properties': chain } }).fe;
    expect(deep.jk!.workers.get('w39')!.properties.get('port')?.value).toBe('7');
    expect(deep.jk!.workers.get('w0')!.properties.get('port')).toBeUndefined();
  });

  it('turns worker.X.mount into mounts', () => {
    const text = 'worker.list=lb\nworker.lb.type=lb\nworker.lb.balance_workers=a\nworker.lb.mount=/app/* /other/*\n';
    const { fe } = build({ workers: { 'workers.properties': text } });
    const m = fe.mounts.filter((x) => x.source === 'worker-mount');
    expect(m.map((x) => [x.path, x.worker.value])).toEqual([
      ['/app/*', 'lb'],
      ['/other/*', 'lb'],
    ]);
    expect(cover(text, m[0]!.worker.span)).toBe('lb');
  });
});

// ---------------------------------------------------------------- mounts

describe('buildFrontEnd: JkMount and uriworkermap', () => {
  it('reads JkMount globally, in <VirtualHost> and inside <Location>', () => {
    const conf = [
      'JKMount /* loadbalancer',
      '<VirtualHost *:443>',
      '  JkMount /sample/* loadbalancer',
      '  JkUnMount /sample/img/* loadbalancer',
      '</VirtualHost>',
      '<Location /jkmanager/>',
      '    JkMount jkstatus',
      '</Location>',
      'JkMount /x.jsp w;use_server_errors=400',
    ].join('\n');
    const { fe } = build({ httpd: { 'httpd.conf': conf } });
    expect(fe.mounts.map((m) => [m.source, m.path, m.worker.value, m.exclude ?? false])).toEqual([
      ['JkMount', '/*', 'loadbalancer', false],
      ['JkMount', '/sample/*', 'loadbalancer', false],
      ['JkUnMount', '/sample/img/*', 'loadbalancer', true],
      ['JkMount', '/jkmanager/', 'jkstatus', false],
      ['JkMount', '/x.jsp', 'w', false],
    ]);
    expect(cover(conf, fe.mounts[3]!.worker.span)).toBe('jkstatus');
    expect(fe.mounts[1]!.span.line).toBe(3);
    expect(fe.mounts[0]!.file).toBe(path.posix.join(ROOT, 'httpd.conf'));
  });

  it('reads uriworkermap lines, exclusions and disabled rules', () => {
    const uwm = '/*=loadbalancer\n!/images/*=loadbalancer\n-/off/*= lb2 ;reply_timeout=10\n/jkstatus/*=status\n';
    const { fe } = build({ uwm: { 'uriworkermap.properties': uwm } });
    const m = fe.mounts;
    expect(m.map((x) => [x.source, x.path, x.worker.value, x.exclude, x.disabled])).toEqual([
      ['uriworkermap', '/*', 'loadbalancer', false, false],
      ['uriworkermap', '/images/*', 'loadbalancer', true, false],
      ['uriworkermap', '/off/*', 'lb2', false, true],
      ['uriworkermap', '/jkstatus/*', 'status', false, false],
    ]);
    expect(cover(uwm, m[2]!.worker.span)).toBe('lb2');
    expect(mountPattern('-!/a')).toEqual({ path: '/a', exclude: true, disabled: true });
  });

  it('reads only the uriworkermap JkMountFile names when it names one', () => {
    const { fe } = build({
      httpd: { 'httpd.conf': 'JkMountFile conf/uriworkermap.properties\n' },
      uwm: { 'conf/uriworkermap.properties': '/a=w\n', 'old/uriworkermap.properties': '/b=w\n' },
    });
    expect(fe.mounts.map((m) => m.path)).toEqual(['/a']);
  });
});

// ---------------------------------------------------------------- mod_proxy

describe('buildFrontEnd: mod_proxy_balancer', () => {
  const CONF = [
    'LoadModule proxy_balancer_module modules/mod_proxy_balancer.so',
    '<Proxy "balancer://mycluster/">',
    '  BalancerMember "ajp://127.0.0.1:8009/" loadfactor=1 route=tomcat1 secret=abc',
    '  BalancerMember ajp://[::1]:9009 route=tomcat2',
    '  BalancerMember http://node3 Route=n3',
    '  ProxySet lbmethod=byrequests stickysession=JSESSIONID|jsessionid',
    '</Proxy>',
    'ProxyPass /balancer-manager !',
    'ProxyPass /app balancer://mycluster/app nofailover=On',
    'BalancerMember balancer://other ajp://10.0.0.9 route=o1',
    'ProxyPass /other balancer://other/ stickysession=ROUTEID',
    'ProxyPass /direct ajp://backend:8010/direct secret=s',
    'ProxyPassMatch ^/(.*\\.jsp)$ ajp://backend:8010/$1',
    'ProxyPass /empty balancer://nobody/',
    '<Location /loc>',
    '  ProxyPass balancer://mycluster/loc',
    '</Location>',
  ].join('\n');
  const { fe } = build({ httpd: { 'httpd.conf': CONF } });

  it('builds balancers with routed, secret members', () => {
    expect(fe.kinds).toEqual(['proxy']);
    const b = balancer(fe, 'mycluster');
    expect(b.kind).toBe('proxy');
    expect(b.span.line).toBe(2);
    expect(b.members.map((m) => [m.protocol, m.host.value, m.port.value, m.route?.value, m.routeSource])).toEqual([
      ['ajp', '127.0.0.1', 8009, 'tomcat1', 'route'],
      ['ajp', '::1', 9009, 'tomcat2', 'route'],
      ['http', 'node3', 80, 'n3', 'route'],
    ]);
    const [m1, m2] = b.members;
    expect(m1!.name).toBe('ajp://127.0.0.1:8009/');
    expect(m1!.secret?.value).toBe('abc');
    expect(cover(CONF, m1!.host.span)).toBe('127.0.0.1');
    expect(cover(CONF, m1!.port.span)).toBe('8009');
    expect(cover(CONF, m1!.route?.span)).toBe('tomcat1');
    expect(cover(CONF, m1!.secret?.span)).toBe('abc');
    expect(cover(CONF, m2!.host.span)).toBe('::1');
    expect(m1!.span.line).toBe(3);
    expect(b.members[2]!.port.span).toBeUndefined();
  });

  it('takes stickysession from ProxySet and from ProxyPass parameters', () => {
    const b = balancer(fe, 'mycluster');
    expect(b.sticky.value).toBe(true);
    expect(b.sessionCookie?.value).toBe('JSESSIONID|jsessionid');
    expect(cover(CONF, b.sessionCookie?.span)).toBe('JSESSIONID|jsessionid');
    const other = balancer(fe, 'other');
    expect(other.members.map((m) => [m.host.value, m.port.value, m.route?.value])).toEqual([['10.0.0.9', 8009, 'o1']]);
    expect(other.sticky.value).toBe(true);
    expect(other.sessionCookie?.value).toBe('ROUTEID');
    const nobody = balancer(fe, 'nobody');
    expect(nobody.members).toEqual([]);
    expect(nobody.sticky).toEqual({ value: false, span: undefined });
  });

  it('records ProxyPass mounts and ajp:// direct members, skipping exclusions', () => {
    expect(fe.mounts.map((m) => [m.path, m.worker.value, m.target])).toEqual([
      ['/app', 'mycluster', 'balancer://mycluster/app'],
      ['/other', 'other', 'balancer://other/'],
      ['/direct', 'ajp://backend:8010/direct', 'ajp://backend:8010/direct'],
      ['^/(.*\\.jsp)$', 'ajp://backend:8010/$1', 'ajp://backend:8010/$1'],
      ['/empty', 'nobody', 'balancer://nobody/'],
      ['/loc', 'mycluster', 'balancer://mycluster/loc'],
    ]);
    expect(fe.mounts.every((m) => m.source === 'ProxyPass')).toBe(true);
    expect(cover(CONF, fe.mounts[0]!.worker.span)).toBe('mycluster');
    expect(fe.directMembers.map((m) => [m.kind, m.protocol, m.host.value, m.port.value, m.secret?.value])).toEqual([
      ['proxy', 'ajp', 'backend', 8010, 's'],
    ]);
  });

  it('parses URLs', () => {
    expect(parseUrl('https://h')).toMatchObject({ scheme: 'https', host: 'h', port: 443 });
    expect(parseUrl('ajp://u@h:1/x')).toMatchObject({ host: 'h', port: 1 });
    expect(parseUrl('not a url')).toBeUndefined();
  });
});

// ---------------------------------------------------------------- file choice

describe('resolveNamedFile', () => {
  const files = [
    file('/fe/a/conf/workers.properties', 'workers.properties', ''),
    file('/fe/a/backup/workers.properties', 'workers.properties', ''),
    file('/fe/a/conf.d/jk-workers.properties', 'workers.properties', ''),
  ];
  it('resolves exactly, by tail, by base name, or the only file', () => {
    expect(resolveNamedFile('conf/workers.properties', files, ['/fe/a'])).toBe(files[0]);
    expect(resolveNamedFile('/etc/httpd/conf.d/jk-workers.properties', files, ['/fe/a'])).toBe(files[2]);
    expect(resolveNamedFile('/etc/apache2/backup/workers.properties', files, ['/x'])).toBe(files[1]);
    expect(resolveNamedFile('nothing.properties', files, ['/fe/a'])).toBeUndefined();
    expect(resolveNamedFile('nothing.properties', [files[1]!], ['/fe/a'])).toBe(files[1]);
  });

  it('prefers the file JkWorkersFile names, else workers.properties', () => {
    const two = {
      'conf/other.properties': 'worker.list=o\n',
      'conf/workers.properties': 'worker.list=w\n',
    };
    const named = build({ httpd: { 'httpd.conf': 'JkWorkersFile /etc/httpd/conf/other.properties\n' }, workers: two }).fe;
    expect(named.jk!.list.map((l) => l.value)).toEqual(['o']);
    const unnamed = build({ workers: two }).fe;
    expect(unnamed.jk!.list.map((l) => l.value)).toEqual(['w']);
  });
});

// ---------------------------------------------------------------- odd input

describe('buildFrontEnd: odd input never throws', () => {
  it('survives broken files', () => {
    const junk = '<Proxy balancer://\nBalancerMember\nProxyPass\nListen\nJkMount\nJkWorkerProperty\n<Location>\nJkMount w\n';
    const { fe } = build({
      httpd: { 'httpd.conf': junk },
      workers: { 'workers.properties': 'worker.=x\nworker..port=1\n=\n$(=$(\nworker.list=$(a\nworker.x.reference=\n' },
      workers2: { 'workers2.properties': '[\n[:]\n[lb]\ngroup=\nworker=\n[ajp13:]\n[uri:]\ngroup=a:b\n' },
      uwm: { 'uriworkermap.properties': '=\n!\n-=x\n' },
    });
    expect(fe).toBeDefined();
  });
});

// ---------------------------------------------------------------- the real corpus

const CORPUS = '/work/shared/corpus';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function classify(p: string, text: string): FileKind | undefined {
  const base = path.basename(p).toLowerCase();
  if (base.endsWith('.conf')) return 'httpd.conf';
  if (!base.endsWith('.properties')) return undefined;
  if (base.includes('uriworkermap')) return 'uriworkermap.properties';
  if (/^\s*\[[^\]]+\]/m.test(text)) return 'workers2.properties';
  return 'workers.properties';
}

describe('buildFrontEnd: real configurations', () => {
  const sets = (() => {
    try {
      return readdirSync(path.join(CORPUS, 'sets')).map((s) => path.join(CORPUS, 'sets', s));
    } catch {
      return [];
    }
  })();

  it.each(sets.map((s) => [path.basename(s), s]))('builds the front end of %s', (_name, dir) => {
    const files: FrontEndInput = {
      id: dir,
      name: path.basename(dir),
      root: dir,
      httpdConfs: [],
      workersProperties: [],
      workers2Properties: [],
      uriWorkerMaps: [],
      declaredHost: undefined,
    };
    for (const p of walk(dir)) {
      const bytes = readFileSync(p);
      const text = bytes.toString('latin1');
      const kind = classify(p, text);
      if (!kind) continue;
      const f: DiscoveredFile = { path: p, kind, source: decode(p, bytes) };
      if (kind === 'httpd.conf') files.httpdConfs.push(f);
      else if (kind === 'workers.properties') files.workersProperties.push(f);
      else if (kind === 'workers2.properties') files.workers2Properties.push(f);
      else files.uriWorkerMaps.push(f);
    }
    const cache = new ParseCache();
    const fe = buildFrontEnd(files, cache);
    expect(cache.problems.filter((p) => p.message.startsWith('internal error'))).toEqual([]);
    for (const b of fe.balancers) for (const m of b.members) expect(m.span.file.length).toBeGreaterThan(0);
  });

  it('builds every workers.properties in corpus/B', () => {
    let dir: string[] = [];
    try {
      dir = readdirSync(path.join(CORPUS, 'B')).map((n) => path.join(CORPUS, 'B', n));
    } catch {
      return;
    }
    for (const p of dir) {
      const cache = new ParseCache();
      const fe = buildFrontEnd(
        {
          id: p,
          name: path.basename(p),
          root: path.dirname(p),
          httpdConfs: [],
          workersProperties: [{ path: p, kind: 'workers.properties', source: decode(p, readFileSync(p)) }],
          workers2Properties: [],
          uriWorkerMaps: [],
          declaredHost: undefined,
        },
        cache,
      );
      expect(fe.jk, p).toBeDefined();
      expect(cache.problems.filter((x) => x.message.startsWith('internal error'))).toEqual([]);
    }
  });

  it('reads the corpus the way mod_jk would (spot checks)', () => {
    const ed = path.join(CORPUS, 'B', '004-EdSingleton-workers.properties');
    let text: string;
    try {
      text = readFileSync(ed, 'utf8');
    } catch {
      return;
    }
    const fe = buildFrontEnd(
      {
        id: 'ed',
        name: 'ed',
        root: path.dirname(ed),
        httpdConfs: [],
        workersProperties: [file(ed, 'workers.properties', text)],
        workers2Properties: [],
        uriWorkerMaps: [],
        declaredHost: undefined,
      },
      new ParseCache(),
    );
    const lb = balancer(fe, 'loadbalancer');
    expect(lb.sticky.value).toBe(true);
    expect(lb.members.map((m) => [m.name, m.route?.value, m.routeSource])).toEqual([['node1', 'node1', 'route']]);
  });
});
