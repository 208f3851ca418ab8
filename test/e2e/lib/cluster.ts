// Runs one rendered scenario for real: two Tomcats and one httpd inside a fresh network
// namespace, the same probe sequence for every scenario, then everything stopped by PID
// and the namespace deleted. What the probe saw is returned as data; the test decides.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpAgent, type HttpResponse } from './http.js';
import { APACHE_BIN, CATALINA_HOME } from './install.js';
import { Netns } from './netns.js';
import { httpPort, NODES, PORTS, type NodeName } from './render.js';
import { Managed, poll, run, sleep } from './sys.js';

export type LogName = 'tomcat1' | 'tomcat2' | 'httpd' | 'mod_jk' | 'access';

export interface Hit {
  via: 'httpd' | NodeName;
  status: number;
  error?: string;
  node?: string;
  jvmRoute?: string;
  session?: string;
  isNew?: boolean;
  manager?: string;
  attrs: Record<string, string>;
  ms: number;
}

export interface NodeState {
  /** up: reached "Server startup" and still running when the probe began. */
  state: 'up' | 'exited' | 'timeout';
  reachedStartup: boolean;
  startupMs?: number;
  exitCode?: number | null;
}

export interface Observation {
  nodes: Record<NodeName, NodeState>;
  httpd: NodeState;
  /** The last line of `apache2 -t -f httpd.conf`, run before httpd starts. */
  configTest: string;
  /** Each node logged "Replication member added". */
  membership: Record<NodeName, boolean>;
  lb: Hit[];
  /** Per node: a visitor whose session was born there, six requests through httpd. */
  sticky: Partial<Record<NodeName, Hit[]>>;
  replication: { via: Hit; direct: Hit[]; replicated: boolean; from?: NodeName; to?: NodeName } | { skipped: string };
  /** outcome: a status other than 200, 0 when no answer came in time. */
  failover: { before?: Hit; stopped?: NodeName; after?: Hit; outcome: 'survives' | 'lost' | number | 'skipped' };
  /** mod_jk status worker (mime=prop) before the failover, and after it. */
  jk: Record<string, string>;
  jkAfter: Record<string, string>;
  logs: Record<LogName, string>;
  /** The logs as they were just before the failover's stop (undefined when no failover was tried). */
  logsBeforeFailover: Record<LogName, string> | undefined;
  ms: Record<string, number>;
}

const JVM_OPTS = [
  '-Xms64m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Djava.net.preferIPv4Stack=true',
  '-Djava.security.egd=file:/dev/./urandom',
];

/** Per request through httpd; a connector that accepts but never answers makes requests hang this long. */
const REQUEST_MS = 3_000;

const STARTUP_LINE = /Server startup in \[\d+\] milliseconds/;
const MEMBER_ADDED = /Replication member added/;

function read(path: string): string {
  try {
    return existsSync(path) ? readFileSync(path, 'utf8') : '';
  } catch {
    return '';
  }
}

export function parseBody(res: HttpResponse, via: Hit['via']): Hit {
  const hit: Hit = { via, status: res.status, attrs: {}, ms: res.ms };
  if (res.error) hit.error = res.error;
  if (res.status !== 200) return hit;
  for (const line of res.body.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const k = line.slice(0, eq).trim();
    const v = line.slice(eq + 1).trim();
    if (k === 'node') hit.node = v;
    else if (k === 'jvmRoute') hit.jvmRoute = v;
    else if (k === 'session') hit.session = v;
    else if (k === 'new') hit.isNew = v === 'true';
    else if (k === 'manager') hit.manager = v;
    else if (k.startsWith('attr.')) hit.attrs[k.slice(5)] = v;
  }
  return hit;
}

/** A browser: keeps the JSESSIONID cookie the servers hand out. */
class Client {
  cookie: string | undefined;
  constructor(private readonly agent: HttpAgent) {}

  async get(via: Hit['via'], query = '', opts: { keepCookie?: boolean; timeoutMs?: number } = {}): Promise<Hit> {
    const port = via === 'httpd' ? PORTS.HTTPD_PORT : httpPort(via);
    const res = await this.agent.get(`http://127.0.0.1:${port}/app/index.jsp${query}`, this.cookie ? `JSESSIONID=${this.cookie}` : undefined, opts.timeoutMs);
    if (!opts.keepCookie) {
      for (const c of res.setCookie) {
        const m = c.match(/^JSESSIONID=([^;]+)/);
        if (m?.[1]) this.cookie = m[1];
      }
    }
    return parseBody(res, via);
  }
}

class TomcatProcess {
  proc: Managed | undefined;
  startedAt = 0;
  readonly logFile: string;
  constructor(readonly name: NodeName, readonly base: string) {
    this.logFile = join(base, 'logs', 'console.log');
  }

  start(ns: Netns): void {
    const [cmd, args] = ns.wrap(join(CATALINA_HOME, 'bin', 'catalina.sh'), ['run']);
    this.startedAt = Date.now();
    this.proc = new Managed(this.name, cmd, args, {
      logFile: this.logFile,
      cwd: this.base,
      env: {
        PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
        LANG: 'C.UTF-8',
        CATALINA_HOME,
        CATALINA_BASE: this.base,
        CATALINA_TMPDIR: join(this.base, 'temp'),
        CATALINA_OPTS: [...JVM_OPTS, `-De2e.node=${this.name}`].join(' '),
      },
    });
  }

  log(): string {
    return read(this.logFile);
  }

  /** Bounded: until "Server startup in", the JVM's exit, or the timeout. */
  async waitStarted(timeoutMs: number): Promise<NodeState> {
    const proc = this.proc;
    if (!proc) throw new Error('not started');
    const r = await poll(() => (STARTUP_LINE.test(this.log()) ? 'up' : proc.running ? undefined : 'exited'), timeoutMs, 150);
    const reachedStartup = STARTUP_LINE.test(this.log());
    return {
      state: r === 'up' ? 'up' : r === 'exited' ? 'exited' : 'timeout',
      reachedStartup,
      startupMs: Date.now() - this.startedAt,
      ...(proc.running ? {} : { exitCode: proc.exitCode }),
    };
  }
}

export interface RunOptions {
  root: string;
  nsName: string;
  log: (line: string) => void;
}

export async function runCluster(opts: RunOptions): Promise<Observation> {
  const { root, log } = opts;
  const ms: Record<string, number> = {};
  const t0 = Date.now();
  const tomcats: Record<NodeName, TomcatProcess> = {
    tomcat1: new TomcatProcess('tomcat1', join(root, 'tomcat1')),
    tomcat2: new TomcatProcess('tomcat2', join(root, 'tomcat2')),
  };
  const apacheDir = join(root, 'apache');
  const ns = await Netns.create(opts.nsName);
  let httpd: Managed | undefined;
  let agent: HttpAgent | undefined;
  let obs: Observation;
  try {
    // What `apache2 -t` says first: it checks httpd.conf, but does it read workers.properties?
    const [tcmd, targs] = ns.wrap(APACHE_BIN, ['-t', '-f', join(apacheDir, 'conf', 'httpd.conf')]);
    const t = await run(tcmd, targs, { timeoutMs: 20_000, cwd: apacheDir, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
    const configTest = `${t.stdout}${t.stderr}`.trim().split('\n').pop() ?? '';
    const [hcmd, hargs] = ns.wrap(APACHE_BIN, ['-f', join(apacheDir, 'conf', 'httpd.conf'), '-DFOREGROUND']);
    httpd = new Managed('httpd', hcmd, hargs, {
      logFile: join(apacheDir, 'logs', 'stdout.log'),
      cwd: apacheDir,
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' },
    });
    agent = new HttpAgent(ns, join(root, 'agent.log'));

    // httpd first (it starts in milliseconds), then the Tomcats one after the other:
    // two DeltaManagers that start together can each drop the other's "get all sessions"
    // request, and one node then waits stateTransferTimeout (60 s) before it serves.

    const nodes = {} as Record<NodeName, NodeState>;
    for (const name of NODES) {
      tomcats[name].start(ns);
      nodes[name] = await tomcats[name].waitStarted(60_000);
      log(`${name}: ${nodes[name].state} after ${nodes[name].startupMs} ms`);
    }
    ms.startup = Date.now() - t0;

    const httpdProc = httpd;
    const httpdUp = await poll(async () => ((await ns.listeningPorts()).includes(PORTS.HTTPD_PORT) ? true : httpdProc.running ? undefined : false), 15_000, 200);
    const httpdState: NodeState = { state: httpdUp ? 'up' : httpdProc.running ? 'timeout' : 'exited', reachedStartup: !!httpdUp, ...(httpdProc.running ? {} : { exitCode: httpdProc.exitCode }) };

    // Membership: bounded wait, longer than McastService's frequency + dropTime when both nodes are up.
    const bothUp = NODES.every((n) => nodes[n].state === 'up');
    const membershipOf = (): Record<NodeName, boolean> => ({
      tomcat1: MEMBER_ADDED.test(tomcats.tomcat1.log()),
      tomcat2: MEMBER_ADDED.test(tomcats.tomcat2.log()),
    });
    if (bothUp) await poll(() => (Object.values(membershipOf()).every(Boolean) ? true : undefined), 5_000, 250);
    const membership = membershipOf();
    // A node may have come up and then died (a shutdown port that cannot be bound does that).
    await sleep(300);
    for (const name of NODES) {
      const p = tomcats[name].proc;
      if (p && !p.running && nodes[name].state === 'up') nodes[name] = { ...nodes[name], state: 'exited', exitCode: p.exitCode };
    }
    ms.membership = Date.now() - t0 - ms.startup;

    const jkStatus = async (): Promise<Record<string, string>> => {
      const res = await agent!.get(`http://127.0.0.1:${PORTS.HTTPD_PORT}/jkstatus?mime=prop&cmd=list`, undefined, 5_000);
      const out: Record<string, string> = {};
      for (const line of res.body.split('\n')) {
        const m = line.match(/^worker\.([\w-]+)\.(state|activation|route|address)=(.*)$/);
        if (m) out[`${m[1]}.${m[2]}`] = m[3] ?? '';
      }
      return out;
    };

    // Load balancing: fresh visitors, no cookie.
    const t1 = Date.now();
    const lb: Hit[] = [];
    for (let i = 0; i < 6; i++) lb.push(await new Client(agent).get('httpd', '', { timeoutMs: REQUEST_MS }));

    /**
     * A visitor with a session and one attribute, set in a second request. An attribute set in
     * the request that creates the session was missing on the other node, the session itself
     * there, 2 times in about 60: DeltaManager sends "session created" and the request's delta
     * as two messages, and the receiving node handles them on two receiver threads (its FINE
     * log shows it), so the delta can be handled first and dropped (DeltaManager says so only
     * at FINE: "No session with ID ... exists to receive delta"). That is Tomcat's behaviour
     * with the default asynchronous channelSendOptions="8", not a scenario's fault.
     */
    const visitorWith = async (attr: string): Promise<{ c: Client; first: Hit; set: Hit } | undefined> => {
      const v = await freshVisitor('');
      if (!v) return undefined;
      await sleep(300);
      const set = await v.c.get('httpd', `?set=${attr}`, { timeoutMs: REQUEST_MS });
      return set.status === 200 ? { ...v, set } : undefined;
    };

    /** A new visitor whose first request (through httpd) is answered with 200, by `node` if given. */
    const freshVisitor = async (query: string, node?: NodeName): Promise<{ c: Client; first: Hit } | undefined> => {
      const until = Date.now() + 15_000;
      for (let i = 0; i < 12 && Date.now() < until; i++) {
        const c = new Client(agent!);
        const first = await c.get('httpd', query, { timeoutMs: REQUEST_MS });
        if (first.status === 200 && (!node || first.node === node)) return { c, first };
      }
      return undefined;
    };

    // Stickiness: for each node, a visitor whose session was born there makes six requests.
    // tomcat2 (where the scenarios put their fault) goes first, while mod_jk's per-worker
    // request counters are still even: a request whose route matches no worker goes to the
    // worker with the lowest count, so a visitor that follows six sticky requests to tomcat1
    // would be sent to tomcat2 six times in a row and look sticky when it is not.
    const sticky: Observation['sticky'] = {};
    for (const node of [...NODES].reverse()) {
      if (!lb.some((h) => h.status === 200 && h.node === node)) continue; // it answers no fresh request
      const v = await freshVisitor('?set=visit=0', node);
      if (!v) continue;
      const hits = [v.first];
      for (let i = 1; i < 6; i++) hits.push(await v.c.get('httpd', `?set=visit=${i}`, { timeoutMs: REQUEST_MS }));
      sticky[node] = hits;
    }
    ms.lbSticky = Date.now() - t1;

    // Replication: set an attribute through httpd, read it on the other node's own HTTP port.
    const t2 = Date.now();
    let replication: Observation['replication'];
    {
      const v = await visitorWith('replicated=yes');
      const from = NODES.find((n) => n === v?.set.node);
      const to = NODES.find((n) => n !== from);
      if (!v || !from || !to) replication = { skipped: 'no fresh request got a 200 through httpd' };
      else if (nodes[to].state !== 'up') replication = { skipped: `${to} is not up` };
      else {
        const direct: Hit[] = [];
        let replicated = false;
        for (let i = 0; i < 4 && !replicated; i++) {
          await sleep(300);
          const hit = await v.c.get(to, '', { keepCookie: true, timeoutMs: REQUEST_MS });
          direct.push(hit);
          replicated = hit.status === 200 && hit.attrs.replicated === 'yes' && hit.isNew === false;
        }
        replication = { via: v.set, direct, replicated, from, to };
      }
    }
    ms.replication = Date.now() - t2;

    const jk = await jkStatus();

    // Failover: a visitor with a session; stop the node that serves it; ask again.
    const t3 = Date.now();
    let failover: Observation['failover'];
    let logsBeforeFailover: Record<LogName, string> | undefined;
    {
      const v = await visitorWith('failover=kept');
      const stopped = NODES.find((n) => n === v?.set.node);
      if (!v || !stopped) failover = { outcome: 'skipped' };
      else {
        await sleep(500); // let the async replication message land
        logsBeforeFailover = readLogs(root);
        await tomcats[stopped].proc?.stop(15_000);
        const after = await v.c.get('httpd', '', { timeoutMs: 10_000 });
        const outcome: Observation['failover']['outcome'] =
          after.status === 200 ? (after.attrs.failover === 'kept' && after.isNew === false ? 'survives' : 'lost') : after.status;
        failover = { before: v.set, stopped, after, outcome };
      }
    }
    ms.failover = Date.now() - t3;
    const jkAfter = await jkStatus();

    obs = { nodes, httpd: httpdState, configTest, membership, lb, sticky, replication, failover, jk, jkAfter, logs: {} as Record<LogName, string>, logsBeforeFailover, ms };
  } finally {
    const t4 = Date.now();
    await Promise.all([agent?.close(), httpd?.stop(8_000), ...NODES.map((n) => tomcats[n].proc?.stop(8_000))]);
    await ns.delete();
    ms.teardown = Date.now() - t4;
    ms.total = Date.now() - t0;
  }
  // Read after every process has stopped: the logs are complete.
  obs.logs = readLogs(root);
  return obs;
}

export function readLogs(root: string): Record<LogName, string> {
  const apacheDir = join(root, 'apache');
  return {
    tomcat1: read(join(root, 'tomcat1', 'logs', 'console.log')),
    tomcat2: read(join(root, 'tomcat2', 'logs', 'console.log')),
    httpd: read(join(apacheDir, 'logs', 'error.log')) + read(join(apacheDir, 'logs', 'stdout.log')),
    mod_jk: read(join(apacheDir, 'logs', 'mod_jk.log')),
    access: read(join(apacheDir, 'logs', 'access.log')),
  };
}
