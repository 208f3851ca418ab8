import type {
  Balancer,
  BalancerMember,
  ClusterModel,
  Connector,
  FrontEnd,
  HostRef,
  ListenerRef,
  TomcatNode,
} from './types.js';

/** The host every node of unknown host is assumed to share. */
export const UNKNOWN_HOST = '(unknown host)';

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h === 'ip6-localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '0.0.0.0';
}

/** The key a host is filed under in `listenersByHost` (every unknown host shares one). */
export function hostKey(host: HostRef): string {
  return host.source === 'unknown' || host.name === '' ? UNKNOWN_HOST : host.name;
}

/** Where a member's host:port points, as a host reference. Loopback means the front end's own machine. */
export function memberHost(member: BalancerMember, frontEnd: FrontEnd): HostRef {
  const h = member.host.value;
  if (isLoopback(h) || h === '') return frontEnd.host;
  return { name: h, source: 'inferred' };
}

function isAddress(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

/** A front end's machine known only as "where its loopback members run": certain, but nameless. */
export function frontEndHostName(fe: FrontEnd): string {
  return `(host of ${fe.name})`;
}

function isNameless(h: HostRef): boolean {
  return h.source === 'unknown' || h.name === '' || h.name.startsWith('(');
}

export function sameHost(a: HostRef, b: HostRef): boolean | undefined {
  if (a.name === b.name && a.name !== '' && a.source !== 'unknown' && b.source !== 'unknown') return true;
  if (isNameless(a) || isNameless(b)) return undefined;
  if (a.name.toLowerCase() === b.name.toLowerCase()) return true;
  // A host name and an address may be one machine: without DNS there is no telling.
  return isAddress(a.name) === isAddress(b.name) ? false : undefined;
}

/** The connector at a port, preferring the member's protocol. */
function connectorAt(node: TomcatNode, port: number, protocol: 'ajp' | 'http'): Connector | undefined {
  let other: Connector | undefined;
  for (const c of node.connectors) {
    if (c.effectivePort !== port) continue;
    if (c.protocol === protocol) return c;
    other ??= c;
  }
  return other;
}

interface Endpoint {
  host: HostRef;
  port: number;
  members: { frontEnd: FrontEnd; member: BalancerMember }[];
}

/**
 * Resolves hosts, matches every front-end member to the node and connector behind
 * it, and builds the indexes rules look things up in. Members are grouped by
 * endpoint (host:port) and matched through a port index, never pairwise.
 */
export function link(model: ClusterModel): void {
  const { nodes, frontEnds, index } = model;
  for (const fe of frontEnds) {
    if (fe.host.name !== '') continue;
    // Members at loopback run on the front end's machine: nameless, but one machine for sure.
    const loopback = [...fe.balancers.flatMap((b) => b.members), ...fe.directMembers].some((m) => isLoopback(m.host.value));
    fe.host = loopback ? { name: frontEndHostName(fe), source: 'inferred' } : { name: UNKNOWN_HOST, source: 'unknown' };
  }
  for (const n of nodes) {
    index.nodeById.set(n.id, n);
    if (n.host.name === '') n.host = { name: UNKNOWN_HOST, source: 'unknown' };
  }

  // Nodes by connector port, and by port with the node's name, its connector's bind address,
  // or its known host: each endpoint looks its candidates up instead of filtering every node.
  const nodesByPort = new Map<number, TomcatNode[]>();
  const nodesByNamePort = new Map<string, TomcatNode[]>();
  const nodesByAddressPort = new Map<string, TomcatNode[]>();
  const nodesByHostPort = new Map<string, TomcatNode[]>();
  const add = <K>(map: Map<K, TomcatNode[]>, key: K, n: TomcatNode) => {
    const list = map.get(key);
    if (!list) map.set(key, [n]);
    else if (list[list.length - 1] !== n) list.push(n); // nodes come in order: a repeat is the last one
  };
  for (const n of nodes) {
    const name = n.name.toLowerCase();
    const host = n.host.source !== 'unknown' && n.host.name !== '' ? n.host.name.toLowerCase() : undefined;
    for (const c of n.connectors) {
      const port = c.effectivePort;
      if (port === undefined) continue;
      add(nodesByPort, port, n);
      add(nodesByNamePort, `${name}|${port}`, n);
      if (c.address) add(nodesByAddressPort, `${c.address.value.toLowerCase()}|${port}`, n);
      if (host !== undefined) add(nodesByHostPort, `${host}|${port}`, n);
    }
  }

  const endpoints = new Map<string, Endpoint>();
  for (const fe of frontEnds) {
    const all = [...fe.balancers.flatMap((b) => b.members), ...fe.directMembers];
    for (const member of all) {
      const port = member.port.value;
      if (port === undefined) continue;
      const host = memberHost(member, fe);
      const key = `${hostKey(host)}|${member.host.value.toLowerCase()}|${port}`;
      const ep = endpoints.get(key) ?? { host, port, members: [] };
      ep.members.push({ frontEnd: fe, member });
      endpoints.set(key, ep);
    }
  }

  // First pass: narrow each endpoint's candidates by what is certain.
  const pending = new Map<Endpoint, TomcatNode[]>();
  for (const ep of endpoints.values()) {
    // The candidates are the nodes at the port whose host may be the endpoint's. Narrowed, in
    // order, to: the one node named as the member dials it; the one connector bound to exactly
    // the address the member dials; the nodes known to be on the endpoint's host; the one
    // node with a route the members name. The indexes give each step without a scan.
    const compatible = (n: TomcatNode) => sameHost(n.host, ep.host) !== false;
    const written = ep.members[0]!.member.host.value.toLowerCase();
    const byName = (nodesByNamePort.get(`${written}|${ep.port}`) ?? []).filter(compatible);
    const byAddress = byName.length === 1 ? [] : (nodesByAddressPort.get(`${written}|${ep.port}`) ?? []).filter(compatible);
    let candidates: TomcatNode[];
    if (byName.length === 1) {
      candidates = byName;
    } else if (byAddress.length === 1) {
      candidates = byAddress;
    } else {
      const byDeclaredHost = ep.host.source === 'unknown' || ep.host.name === ''
        ? []
        : (nodesByHostPort.get(`${ep.host.name.toLowerCase()}|${ep.port}`) ?? []).filter((n) => sameHost(n.host, ep.host) === true);
      candidates = byDeclaredHost.length >= 1 ? byDeclaredHost : (nodesByPort.get(ep.port) ?? []).filter(compatible);
    }
    if (candidates.length > 1) {
      const routes = new Set(ep.members.map((m) => m.member.route?.value).filter((r): r is string => !!r));
      const byRoute = candidates.filter((n) => n.engine?.jvmRoute && routes.has(n.engine.jvmRoute.value));
      if (byRoute.length === 1) candidates = byRoute;
    }
    pending.set(ep, candidates);
  }
  // Then eliminate: a node matched to one endpoint is not behind a different endpoint of another host.
  const taken = new Map<TomcatNode, Endpoint>();
  let progress = true;
  while (progress) {
    progress = false;
    for (const [ep, candidates] of pending) {
      const free = candidates.filter((n) => {
        const owner = taken.get(n);
        return !owner || owner === ep || (owner.port === ep.port && sameHost(owner.host, ep.host) !== false);
      });
      if (free.length === 1 && candidates.length !== 1) {
        pending.set(ep, free);
        progress = true;
      }
      if (free.length === 1 && !taken.has(free[0]!)) {
        taken.set(free[0]!, ep);
        progress = true;
      }
    }
  }

  const balancerOf = new Map<BalancerMember, Balancer>();
  for (const fe of frontEnds) for (const b of fe.balancers) for (const m of b.members) if (!balancerOf.has(m)) balancerOf.set(m, b);
  for (const [ep, candidates] of pending) {
    const node = candidates.length === 1 ? candidates[0] : undefined;
    for (const { frontEnd, member } of ep.members) {
      member.candidates = candidates;
      if (!node) continue;
      const connector = connectorAt(node, ep.port, member.protocol);
      if (!connector) continue;
      const via = sameHost(node.host, ep.host) === true ? 'host' : 'port-only';
      member.target = { node, connector, via };
      if (node.host.source === 'unknown' && ep.host.source !== 'unknown' && connector.protocol === member.protocol) {
        node.host = { name: ep.host.name, source: 'inferred' };
      }
      const balancer = balancerOf.get(member);
      const list = index.membersByNode.get(node.id) ?? [];
      list.push({ frontEnd, balancer, member });
      index.membersByNode.set(node.id, list);
    }
  }

  for (const n of nodes) {
    const route = n.engine?.jvmRoute?.value;
    if (route) index.nodesByRoute.set(route, [...(index.nodesByRoute.get(route) ?? []), n]);
    for (const l of listenersOf(n)) addListener(model, hostKey(n.host), l);
  }
  for (const fe of frontEnds) {
    for (const l of fe.listens) {
      addListener(model, hostKey(fe.host), {
        owner: fe,
        what: 'listen',
        port: l.port.value,
        lastPort: l.port.value,
        address: l.address,
        span: l.span,
      });
    }
  }
}

function listenersOf(n: TomcatNode): ListenerRef[] {
  const out: ListenerRef[] = [];
  const s = n.shutdown;
  if (s && s.effectivePort !== undefined && s.effectivePort > 0) {
    out.push({ owner: n, what: 'shutdown', port: s.effectivePort, lastPort: s.effectivePort, address: undefined, span: s.port.span ?? s.span });
  }
  for (const c of n.connectors) {
    if (c.effectivePort === undefined || c.effectivePort <= 0) continue;
    out.push({ owner: n, what: 'connector', port: c.effectivePort, lastPort: c.effectivePort, address: c.address?.value, span: c.port.span ?? c.span });
  }
  const r = n.cluster?.receiver;
  if (r && r.port.value !== undefined && r.port.value > 0) {
    const address = r.address.value === 'auto' ? undefined : r.address.value;
    out.push({ owner: n, what: 'receiver', port: r.port.value, lastPort: r.port.value + Math.max(r.autoBind, 1) - 1, address, span: r.port.span ?? r.span });
  }
  return out;
}

function addListener(model: ClusterModel, host: string, l: ListenerRef): void {
  let byPort = model.index.listenersByHost.get(host);
  if (!byPort) {
    byPort = new Map();
    model.index.listenersByHost.set(host, byPort);
  }
  const list = byPort.get(l.port) ?? [];
  list.push(l);
  byPort.set(l.port, list);
}
