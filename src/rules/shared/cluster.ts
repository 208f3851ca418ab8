/**
 * Cluster membership as the cross-node rules see it: the `<Cluster>` elements of a
 * server, the effective multicast group, whether a static member names a node's
 * receiver, and which nodes are related (one balancer, one group, one static list).
 */
import { isLoopback, sameHost } from '../../model/link.js';
import type { Balancer, ClusterConfig, FrontEnd, Membership, StaticMember, TomcatNode } from '../../model/types.js';
import type { XmlElement } from '../../parsers/syntax.js';
import { isIpLiteral, isWildcardAddress } from './addresses.js';
import { compareIds, pushTo } from './collections.js';
import { otherGeneration } from './version.js';

/** Every `<Cluster>` of the server: Engine level and Host level. */
export function clusterElements(server: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const service of server.children.filter((c) => c.localName === 'Service')) {
    for (const engine of service.children.filter((c) => c.localName === 'Engine')) {
      for (const c of engine.children) {
        if (c.localName === 'Cluster') out.push(c);
        if (c.localName === 'Host') for (const h of c.children) if (h.localName === 'Cluster') out.push(h);
      }
    }
  }
  return out;
}

/**
 * Each node's cluster that its Tomcat can load. A cluster of the other generation does
 * not load at all (`cluster-class-version` reports it): rules about what a cluster
 * contains stay out of its way.
 */
export function* loadableClusters(nodes: readonly TomcatNode[]): Generator<{ node: TomcatNode; cluster: ClusterConfig }> {
  for (const node of nodes) {
    const cluster = node.cluster;
    if (cluster && !otherGeneration(node, cluster.generation)) yield { node, cluster };
  }
}

export type MulticastMembership = Extract<Membership, { kind: 'multicast' }>;

/** The effective multicast group of a node (`228.0.0.4:45564`), or undefined when not multicast or not knowable. */
export function multicastGroup(node: TomcatNode): { key: string; membership: MulticastMembership } | undefined {
  const m = node.cluster?.membership;
  if (!m || m.kind !== 'multicast') return undefined;
  const address = m.address.value.trim().toLowerCase();
  const port = m.port.value;
  if (address === '' || address.includes('${') || port === undefined) return undefined;
  return { key: `${address}:${port}`, membership: m };
}

/** A receiver bound to every interface (an empty `address` too). */
export function isWildcardBind(address: string): boolean {
  return address.trim() === '' || isWildcardAddress(address);
}

/**
 * Whether a static member's host can be `target`'s receiver host, as seen from `naming`
 * (the node whose list holds the member): true when certain, false when certainly not,
 * undefined when the files do not tell.
 */
export function memberHostMatches(naming: TomcatNode, member: StaticMember, target: TomcatNode): boolean | undefined {
  const r = target.cluster?.receiver;
  if (!r) return false;
  const h = member.host.value.trim().toLowerCase();
  if (h === '' || h.includes('${')) return undefined;
  const bound = r.address.value.trim().toLowerCase();
  const boundSpecific = bound !== 'auto' && !isWildcardBind(bound) && !bound.includes('${');
  if (boundSpecific && h === bound) return true;
  if (isLoopback(h)) {
    const rel = naming === target ? true : sameHost(naming.host, target.host);
    if (rel === false) return false;
    if (boundSpecific && !isLoopback(bound) && isIpLiteral(bound)) return false;
    return rel === true && (isWildcardBind(bound) || (boundSpecific && isLoopback(bound))) ? true : undefined;
  }
  if (boundSpecific && isIpLiteral(bound) && isIpLiteral(h)) return false;
  const targetHost = target.host.source === 'unknown' ? '' : target.host.name.toLowerCase();
  if (targetHost !== '' && targetHost === h) return true;
  return undefined;
}

/** Whether `member` (in `naming`'s static list) names `target`'s receiver: host and exact port. */
export function memberNames(naming: TomcatNode, member: StaticMember, target: TomcatNode): boolean | undefined {
  const port = target.cluster?.receiver.port.value;
  if (port === undefined || member.port.value === undefined) return undefined;
  if (member.port.value !== port) return false;
  return memberHostMatches(naming, member, target);
}

// ---------------------------------------------------------------- related nodes

/** Balancer entries of the model index, by node id. */
type MembersByNode = Map<string, { frontEnd: FrontEnd; balancer: Balancer | undefined }[]>;

/**
 * Why nodes belong together, as keys two related nodes share, each with a text for
 * messages: the balancers they are behind (`b|…`), their multicast group (`g|…`), a static
 * list of one naming the other's receiver (`s|…`). Meant for a few nodes at a time (the
 * nodes of one jvmRoute), never the whole fleet.
 */
export function relationKeys(nodes: TomcatNode[], membersByNode: MembersByNode): Map<TomcatNode, Map<string, string>> {
  const keys = new Map<TomcatNode, Map<string, string>>();
  const add = (n: TomcatNode, key: string, text: string) => {
    const m = keys.get(n) ?? new Map<string, string>();
    m.set(key, text);
    keys.set(n, m);
  };
  const byReceiverPort = new Map<number, TomcatNode[]>();
  for (const n of nodes) {
    for (const e of membersByNode.get(n.id) ?? []) {
      if (e.balancer) add(n, `b|${e.frontEnd.id}|${e.balancer.name}`, `both behind balancer \`${e.balancer.name}\` (${e.frontEnd.name})`);
    }
    const g = multicastGroup(n);
    if (g) add(n, `g|${g.key}`, `in the same cluster group ${g.key}`);
    const p = n.cluster?.receiver.port.value;
    if (p !== undefined) pushTo(byReceiverPort, p, n);
  }
  // Static lists: a node that names another's receiver shares a group with it.
  for (const a of nodes) {
    const m = a.cluster?.membership;
    if (m?.kind !== 'static') continue;
    for (const member of m.members) {
      if (member.port.value === undefined) continue;
      for (const b of byReceiverPort.get(member.port.value) ?? []) {
        if (b === a || memberNames(a, member, b) !== true) continue;
        const [x, y] = [a, b].sort(compareIds);
        const key = `s|${x!.id}|${y!.id}`;
        add(a, key, 'in one static cluster');
        add(b, key, 'in one static cluster');
      }
    }
  }
  return keys;
}

/**
 * The nodes split into groups of related nodes (joined through shared `relationKeys`,
 * transitively), each group and the groups in id order. A node related to no other is a
 * group of one.
 */
export function relatedGroups(nodes: TomcatNode[], keys: Map<TomcatNode, Map<string, string>>): TomcatNode[][] {
  const sorted = [...nodes].sort(compareIds);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const firstWithKey = new Map<string, number>();
  sorted.forEach((n, i) => {
    for (const key of keys.get(n)?.keys() ?? []) {
      const j = firstWithKey.get(key);
      if (j === undefined) firstWithKey.set(key, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, TomcatNode[]>();
  sorted.forEach((n, i) => pushTo(groups, find(i), n));
  return [...groups.values()];
}
