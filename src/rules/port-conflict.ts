import type { Connector, FrontEnd, HostRef, ListenerRef, StaticMember, TomcatNode } from '../model/types.js';
import { UNKNOWN_HOST, sameHost } from '../model/link.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { isIpLiteral, isWildcardAddress } from './shared/addresses.js';
import { memberHostMatches } from './shared/cluster.js';
import { compareIds, pushTo } from './shared/collections.js';
import { connectorPortSpan } from './shared/spans.js';
import { assumingHost, capitalize, fileLine, joinNames, onHost } from './shared/text.js';
import { ajpHardenedByDefault } from './shared/version.js';

/**
 * Two listeners on one host that bind one port. Listeners come from the model's
 * `listenersByHost` index (host, then start port); each port's listeners are compared
 * across hosts through `sameHost` (certain, assumed for nodes of unknown host, or not).
 */

type Kind = 'ajp' | 'http' | 'shutdown' | 'receiver' | 'listen';

/** One bind address as a set of possibilities: `any` (all interfaces) or specific addresses; undefined = not knowable. */
type Addr = { any: true } | { any: false; ips: string[] } | undefined;

interface Listener {
  ref: ListenerRef;
  /** The `listenersByHost` key the listener is filed under. */
  bucket: string;
  owner: TomcatNode | FrontEnd;
  node: TomcatNode | undefined;
  host: HostRef;
  kind: Kind;
  /** A receiver that tries the next port when its own is taken (6+ autoBind > 1, 5.x SocketReplicationListener range). */
  movable: boolean;
  /** Alternatives the bind address may be (e.g. an AJP connector of an unknown Tomcat version: all interfaces or loopback). */
  addr: Addr[];
  /** Start order inside the owner: connectors bind at init, then the cluster starts, then the shutdown port. */
  stage: number;
  generation: '5.x' | '6+' | undefined;
}

interface Issue {
  other: Listener;
  severity: Severity;
  type: 'fixed' | 'own' | 'order' | 'static';
  certain: boolean;
  member?: { node: TomcatNode; member: StaticMember };
}

const LOOPBACK = ['127.0.0.1', '::1'];

function parseAddr(raw: string | undefined): Addr {
  if (raw === undefined) return { any: true };
  const a = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (a === '' || isWildcardAddress(a)) return { any: true };
  if (a.includes('${')) return undefined;
  // A Receiver's `auto` is the host's own address (InetAddress.getLocalHost()): the same on one host, unknown against others.
  if (a === 'auto') return { any: false, ips: ['auto'] };
  if (a === 'localhost' || a === 'ip6-localhost') return { any: false, ips: LOOPBACK };
  return { any: false, ips: [a] };
}

function overlapOne(a: Addr, b: Addr): boolean | undefined {
  if (a?.any || b?.any) return true;
  if (!a || !b) return undefined;
  if (a.ips.some((x) => b.ips.includes(x))) return true;
  return a.ips.every(isIpLiteral) && b.ips.every(isIpLiteral) ? false : undefined;
}

/** True when the two listeners surely compete for the port, false when surely not, undefined when unknown. */
function overlap(a: Listener, b: Listener): boolean | undefined {
  let all: boolean | undefined;
  let first = true;
  for (const x of a.addr) {
    for (const y of b.addr) {
      const r = overlapOne(x, y);
      if (first) all = r;
      else if (all !== r) all = undefined;
      first = false;
    }
  }
  return all;
}

function isNode(owner: TomcatNode | FrontEnd): owner is TomcatNode {
  return 'serverXml' in owner;
}

const ajpDefaults = new WeakMap<TomcatNode, Addr[]>();

/** The bind address alternatives of an AJP connector without `address`, once per node. */
function ajpDefaultAddr(node: TomcatNode): Addr[] {
  let a = ajpDefaults.get(node);
  if (!a) {
    const loop = ajpHardenedByDefault(node.version);
    a = loop === true ? [{ any: false, ips: LOOPBACK }] : loop === false ? [{ any: true }] : [{ any: true }, { any: false, ips: LOOPBACK }];
    ajpDefaults.set(node, a);
  }
  return a;
}

/** One shape for every listener (no spreads): this runs once per listener of a whole fleet. */
function makeListener(ref: ListenerRef, bucket: string, node: TomcatNode | undefined, kind: Kind, movable: boolean, addr: Addr[], stage: number): Listener {
  return { ref, bucket, owner: ref.owner, node, host: ref.owner.host, kind, movable, addr, stage, generation: node?.cluster?.generation };
}

function toListener(ref: ListenerRef, bucket: string): Listener | undefined {
  const owner = ref.owner;
  if (!isNode(owner)) return makeListener(ref, bucket, undefined, 'listen', false, [parseAddr(ref.address)], 0);
  if (ref.what === 'shutdown') {
    // Tomcat 5.5 binds 127.0.0.1; 6+ the Server `address`, default localhost.
    let raw: string | undefined;
    if (owner.cluster?.generation !== '5.x' && owner.version.generation !== '5.x') {
      for (const a of owner.serverElement.attributes) if (a.name === 'address') raw = a.value;
    }
    return makeListener(ref, bucket, owner, 'shutdown', false, [parseAddr(raw ?? 'localhost')], 2);
  }
  if (ref.what === 'receiver') {
    const r = owner.cluster?.receiver;
    return r ? makeListener(ref, bucket, owner, 'receiver', ref.lastPort > ref.port, [parseAddr(r.address.value)], 1) : undefined;
  }
  const c = connectorBySpan(owner).get(ref.span);
  if (!c) return undefined;
  const addr = c.protocol === 'ajp' && !c.address ? ajpDefaultAddr(owner) : [parseAddr(c.address?.value)];
  return makeListener(ref, bucket, owner, c.protocol, false, addr, 0);
}

const connectorIndex = new WeakMap<TomcatNode, Map<Span, Connector>>();

/** The node's connectors by the span the listener index points at, built once per node. */
function connectorBySpan(node: TomcatNode): Map<Span, Connector> {
  let m = connectorIndex.get(node);
  if (!m) {
    m = new Map();
    for (const c of node.connectors) m.set(connectorPortSpan(c), c);
    connectorIndex.set(node, m);
  }
  return m;
}

/** The first port at or above a start that no listener uses, with jumps remembered (amortised linear). */
class FreePorts {
  private readonly jump = new Map<number, number>();
  constructor(private readonly used: Set<number>) {}

  from(start: number): number | undefined {
    const path: number[] = [];
    let p = start;
    while (p <= 65535 && this.used.has(p)) {
      path.push(p);
      p = this.jump.get(p) ?? p + 1;
    }
    for (const q of path) this.jump.set(q, p);
    return p <= 65535 ? p : undefined;
  }
}

function order(a: Listener, b: Listener): number {
  if (a.owner !== b.owner) return compareIds(a.owner, b.owner);
  return a.stage - b.stage || a.ref.span.line - b.ref.span.line || a.ref.span.column - b.ref.span.column;
}

type Relation = 'certain' | 'assumed' | undefined;

function isAddressName(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/**
 * How two host buckets relate: certain (one machine), assumed (rests on the unknown-host
 * assumption) or undefined (different machines). Computed once per pair of buckets, never
 * per pair of listeners.
 */
class Buckets {
  private readonly hosts = new Map<string, HostRef>();
  private readonly cache = new Map<string, Map<string, Relation>>();

  add(bucket: string, host: HostRef): void {
    if (!this.hosts.has(bucket)) this.hosts.set(bucket, host);
  }

  names(): string[] {
    return [...this.hosts.keys()];
  }

  /**
   * For every bucket, the buckets that may be the same machine (itself included). Grouped,
   * not compared pairwise: two named hosts are different machines unless their names match
   * case-insensitively, except a name against an address, and a nameless host (unknown, or
   * "the front end's machine") may be any. `relation` then decides each candidate exactly.
   */
  relatedBuckets(): Map<string, string[]> {
    const nameless: string[] = [];
    const addresses: string[] = [];
    const names: string[] = [];
    const byLower = new Map<string, string[]>();
    for (const [bucket, host] of this.hosts) {
      if (bucket === UNKNOWN_HOST || host.source === 'unknown' || host.name === '' || host.name.startsWith('(')) {
        nameless.push(bucket);
        continue;
      }
      (isAddressName(host.name) ? addresses : names).push(bucket);
      const lower = host.name.toLowerCase();
      pushTo(byLower, lower, bucket);
    }
    const all = this.names();
    const out = new Map<string, string[]>();
    for (const [bucket, host] of this.hosts) {
      const candidates = nameless.includes(bucket)
        ? all
        : [...new Set([...(byLower.get(host.name.toLowerCase()) ?? []), ...nameless, ...(isAddressName(host.name) ? names : addresses)])];
      out.set(bucket, candidates.filter((b) => this.relation(bucket, b) !== undefined));
    }
    return out;
  }

  relation(a: string, b: string): Relation {
    if (a === b) return a === UNKNOWN_HOST ? 'assumed' : 'certain';
    let row = this.cache.get(a);
    if (!row) this.cache.set(a, (row = new Map()));
    if (row.has(b)) return row.get(b);
    const s = sameHost(this.hosts.get(a)!, this.hosts.get(b)!);
    const rel: Relation = a === UNKNOWN_HOST || b === UNKNOWN_HOST ? (s === false ? undefined : 'assumed') : s === true ? 'certain' : s === undefined ? 'assumed' : undefined;
    row.set(b, rel);
    return rel;
  }

  /** Listeners on one machine as `l`: the same owner is always certain. */
  between(a: Listener, b: Listener): Relation {
    return a.owner === b.owner ? 'certain' : this.relation(a.bucket, b.bucket);
  }
}

function label(l: Listener): string {
  switch (l.kind) {
    case 'ajp':
      return 'AJP connector';
    case 'http':
      return 'HTTP connector';
    case 'shutdown':
      return 'shutdown port';
    case 'receiver':
      return 'cluster Receiver';
    case 'listen':
      return '`Listen`';
  }
}

/** What happens to a node whose bind of this listener fails (design.md, "What real servers did"), as a predicate. */
function predicate(l: Listener): string {
  switch (l.kind) {
    case 'ajp':
      return 'runs without its AJP connector, so httpd sends all traffic to the other nodes and failover gives 503';
    case 'http':
      return 'runs without its HTTP connector';
    case 'shutdown':
      return 'starts, then exits with a BindException';
    case 'receiver':
      return l.generation === '5.x'
        ? 'runs without its cluster receiver ("Unable to start cluster listener") and gets no replicated sessions'
        : 'cannot start its cluster ("Unable to start cluster") and the JVM exits';
    case 'listen':
      return 'does not start ("could not bind to address")';
  }
}

function subject(l: Listener): string {
  return l.kind === 'listen' ? `httpd (${l.owner.name})` : l.owner.name;
}

function effect(l: Listener): string {
  return `${subject(l)} ${predicate(l)}`;
}

function hostPhrase(l: Listener, others: Listener[], certain: boolean): string {
  if (others.every((o) => o.owner === l.owner) || !certain) return '';
  return ` ${onHost(l.host, 'the same host')}`;
}

/** The sentence a finding resting on the unknown-host assumption ends with. */
function assumption(l: Listener, others: Listener[], certain: boolean): string {
  if (certain) return '';
  const names = [...new Set([...others.map((o) => o.owner.name), l.owner.name])].sort((a, b) => compareIds({ id: a }, { id: b }));
  return ` ${capitalize(assumingHost(names))}.`;
}

/** `tomcat2's HTTP connector port 8080`, `tomcat2's shutdown port 8005`. */
function portOf(l: Listener): string {
  const what = label(l);
  return `${l.owner.name}'s ${what}${what.endsWith('port') ? '' : ' port'} ${l.ref.port}`;
}

function attrName(l: Listener): string {
  return l.kind === 'receiver' && l.generation === '5.x' ? 'tcpListenPort' : 'port';
}

export const portConflict: Rule = {
  meta: {
    id: 'port-conflict',
    severity: 'error',
    description:
      'Two listeners on one host bind one port: shutdown port, Connector ports, httpd Listen, or a cluster Receiver that cannot move to another port',
    catalogue: ['SRV-01', 'TC-10'],
  },
  check(model, report) {
    // Every listener once, grouped by start port (the index is keyed by host, then port).
    const byPort = new Map<number, Listener[]>();
    const byBucket = new Map<string, Listener[]>();
    const buckets = new Buckets();
    for (const [bucket, ports] of model.index.listenersByHost) {
      for (const [port, refs] of ports) {
        for (const ref of refs) {
          const l = toListener(ref, bucket);
          if (!l) continue;
          buckets.add(bucket, l.host);
          pushTo(byBucket, bucket, l);
          pushTo(byPort, port, l);
        }
      }
    }

    // Static members by port, for receivers that may move away from a port a static list names.
    const staticByPort = new Map<number, { node: TomcatNode; member: StaticMember }[]>();
    for (const n of model.nodes) {
      const m = n.cluster?.membership;
      if (m?.kind !== 'static') continue;
      for (const member of m.members) {
        if (member.port.value === undefined) continue;
        pushTo(staticByPort, member.port.value, { node: n, member });
      }
    }

    const issues = new Map<Listener, Issue[]>();
    const add = (l: Listener, issue: Issue) => pushTo(issues, l, issue);

    // Buckets that may be the same machine as each bucket (itself included), computed once.
    const relatedBuckets = buckets.relatedBuckets();

    for (const [port, listeners] of byPort) {
      if (listeners.length < 2) continue;
      listeners.sort(order);
      // Per bucket, in start order, so each listener meets only listeners that may share its machine.
      const position = new Map<Listener, number>();
      const inBucket = new Map<string, Listener[]>();
      listeners.forEach((l, i) => {
        position.set(l, i);
        pushTo(inBucket, l.bucket, l);
      });
      const oneBucket = inBucket.size === 1;
      for (const later of listeners) {
        const at = position.get(later)!;
        let earlierOnes: Listener[];
        if (oneBucket) earlierOnes = listeners.slice(0, at);
        else {
          earlierOnes = [];
          for (const b of relatedBuckets.get(later.bucket) ?? [later.bucket]) {
            for (const e of inBucket.get(b) ?? []) {
              if (position.get(e)! >= at) break;
              earlierOnes.push(e);
            }
          }
          earlierOnes.sort((x, y) => position.get(x)! - position.get(y)!);
        }
        for (const earlier of earlierOnes) {
          const rel = buckets.between(earlier, later);
          if (!rel || overlap(earlier, later) !== true) continue;
          const certain = rel === 'certain';
          if (!earlier.movable && !later.movable) {
            add(later, { other: earlier, severity: certain ? 'error' : 'warning', type: earlier.owner === later.owner ? 'own' : 'fixed', certain });
          } else if (earlier.movable !== later.movable) {
            if (earlier.owner === later.owner) {
              // Inside one node the order is known: a receiver that starts first takes the port.
              if (earlier.movable) add(later, { other: earlier, severity: 'error', type: 'own', certain: true });
            } else {
              add(later, { other: earlier, severity: 'warning', type: 'order', certain });
            }
          } else {
            // Both can move: the second one takes the next free port. It only matters to a static list naming this port.
            const target = later.node!;
            const naming = (staticByPort.get(port) ?? []).find(
              (s) => s.node !== target && memberHostMatches(s.node, s.member, target) !== false,
            );
            if (naming) add(later, { other: earlier, severity: 'warning', type: 'static', certain, member: naming });
          }
        }
      }
    }

    // Movable receivers whose whole range is taken: simulate each host in id order.
    const exhausted = new Map<Listener, { severity: Severity; occupants: Listener[] }>();
    /** Where each movable receiver ends up when the nodes start in id order. */
    const boundAt = new Map<Listener, number>();
    const related = (bucket: string, certainOnly: boolean): Listener[] =>
      (relatedBuckets.get(bucket) ?? [bucket]).flatMap((b) => {
        const rel = buckets.relation(bucket, b);
        return rel === 'certain' || (!certainOnly && rel === 'assumed') ? (byBucket.get(b) ?? []) : [];
      });
    for (const bucket of buckets.names()) {
      if (!(byBucket.get(bucket) ?? []).some((l) => l.movable)) continue;
      for (const certainOnly of bucket === UNKNOWN_HOST ? [false] : [true, false]) {
        const world = related(bucket, certainOnly);
        const movers = world.filter((l) => l.movable).sort(order);
        const taken = new Map<number, Listener[]>();
        for (const l of world) if (!l.movable) pushTo(taken, l.ref.port, l);
        for (const r of movers) {
          let bound = false;
          const occupants: Listener[] = [];
          for (let p = r.ref.port; p <= r.ref.lastPort && !bound; p++) {
            const blockers = (taken.get(p) ?? []).filter((o) => overlap(o, r) === true && buckets.between(o, r) !== undefined);
            if (blockers.length === 0) {
              pushTo(taken, p, r);
              if (!boundAt.has(r) && (certainOnly || bucket === UNKNOWN_HOST)) boundAt.set(r, p);
              bound = true;
            } else occupants.push(...blockers);
          }
          if (bound) continue;
          const severity: Severity = certainOnly ? 'error' : 'warning';
          const prev = exhausted.get(r);
          if (!prev || (prev.severity === 'warning' && severity === 'error')) exhausted.set(r, { severity, occupants });
        }
      }
    }

    // Suggest a port nobody on the host uses.
    const freeByBucket = new Map<string, FreePorts>();
    const freePort = (l: Listener): number | undefined => {
      let free = freeByBucket.get(l.bucket);
      if (!free) {
        const used = new Set<number>();
        for (const o of related(l.bucket, false)) {
          used.add(o.ref.port);
          const at = boundAt.get(o);
          if (at !== undefined) used.add(at);
        }
        freeByBucket.set(l.bucket, (free = new FreePorts(used)));
      }
      return free.from(l.ref.port + 1);
    };

    const reported = [...new Set([...issues.keys(), ...exhausted.keys()])].sort(order);
    for (const l of reported) {
      const span: Span = l.ref.span;
      const ex = exhausted.get(l);
      if (ex) {
        const occ = [...new Set(ex.occupants)];
        const certain = ex.severity === 'error';
        report({
          span,
          severity: ex.severity,
          message:
            `${l.owner.name}'s cluster Receiver may take ports ${l.ref.port}–${l.ref.lastPort}, and every one of them is bound by another listener` +
            `${hostPhrase(l, occ, certain)} (${joinNames(occ.map((o) => `${o.owner.name}'s ${label(o)} at ${boundAt.get(o) ?? o.ref.port}`))}): when it starts last, ${effect(l)}. ` +
            `Give it a free range (e.g. \`${attrName(l)}\`="${freePort(l) ?? l.ref.lastPort + 1}") or a larger \`autoBind\`.${assumption(l, occ, certain)}`,
          related: occ.map((o) => {
            const at = boundAt.get(o) ?? o.ref.port;
            return { span: o.ref.span, message: `${o.owner.name}'s ${label(o)} binds ${at}${at !== o.ref.port ? ` (moved up from ${o.ref.port})` : ''}` };
          }),
        });
        continue;
      }
      const list = issues.get(l)!;
      const worst = list.some((i) => i.severity === 'error') ? 'error' : 'warning';
      const main = list.find((i) => i.severity === worst)!;
      const others = [...new Set(list.filter((i) => i.severity === worst).map((i) => i.other))];
      const port = l.ref.port;
      const free = freePort(l);
      const moveTo = free === undefined ? '' : l.kind === 'listen' ? ` (e.g. \`Listen ${free}\`)` : ` (e.g. \`${attrName(l)}\`="${free}")`;
      const related: RelatedLocation[] = others.map((o) => ({ span: o.ref.span, message: `${o.owner.name}'s ${label(o)} binds ${port} here` }));
      const otherText = joinNames(others.map((o) => `${o.owner === l.owner ? 'its own' : `${o.owner.name}'s`} ${label(o)} (${fileLine(o.ref.span, o.owner.root)})`));
      let message: string;
      const tail = assumption(l, others, main.certain);
      switch (main.type) {
        case 'own':
          message =
            `${portOf(l)} is also bound by ${otherText}: ${subject(l)} ${predicate(l).replace(/its (HTTP|AJP)/, 'this $1')}. ` +
            `Move it to another port${moveTo}.`;
          break;
        case 'fixed': {
          const o = main.other;
          const consequence =
            o.kind === l.kind && o.generation === l.generation
              ? `whichever ${l.kind === 'listen' ? 'server' : 'node'} starts second ${predicate(l)}`
              : `if ${subject(l)} starts second, it ${predicate(l)}; if ${subject(o)} does, it ${predicate(o)}`;
          const pin = l.kind === 'receiver' && l.generation === '6+' ? `, or remove \`autoBind\` so the Receiver can take the next free port` : '';
          message = `${portOf(l)} is also bound by ${otherText}${hostPhrase(l, others, main.certain)}: ${consequence}. Move it to a free port${moveTo}${pin}.${tail}`;
          break;
        }
        case 'order': {
          const o = main.other;
          const mover = l.movable ? l : o;
          const fixed = l.movable ? o : l;
          message =
            `${portOf(l)} is also ${o.movable ? 'where' : 'bound by'} ${otherText}${o.movable ? ' starts looking for a free port' : ''}${hostPhrase(l, others, main.certain)}: ` +
            `${mover.owner.name}'s Receiver moves to the next free port when ${port} is taken, but if ${mover.owner.name} starts first, ${effect(fixed)}. ` +
            `Give one of them another port${l === fixed ? moveTo : ''}.${tail}`;
          break;
        }
        case 'static': {
          const s = main.member!;
          related.push({ span: s.member.port.span ?? s.member.span, message: `${s.node.name}'s static member names port ${port}` });
          message =
            `${portOf(l)} is also where ${otherText} starts${hostPhrase(l, others, main.certain)}: the second to start moves to the next free port, ` +
            `but ${s.node.name}'s static member (${fileLine(s.member.span, s.node.root)}) names ${port} and may reach the wrong node. ` +
            `Give each Receiver its own port${moveTo} and list that port.${tail}`;
          break;
        }
      }
      report({ span, severity: worst, message, related });
    }
  },
};
