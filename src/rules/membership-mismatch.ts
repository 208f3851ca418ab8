import type { Balancer, FrontEnd, StaticMember, TomcatNode } from '../model/types.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { type MulticastMembership, isWildcardBind, memberNames, multicastGroup } from './shared/cluster.js';
import { otherGeneration } from './shared/version.js';
import { compareIds, pushTo } from './shared/collections.js';
import { joinNames, ownerAt, spanKey } from './shared/text.js';
import { attr } from './shared/xml.js';

/**
 * True when the node finds its members only through a static list: a StaticMembershipService,
 * or a StaticMembershipInterceptor on a channel started without its multicast membership
 * (`channelStartOptions` without the MBR_RX/MBR_TX bits 4 and 8). With the default
 * `channelStartOptions` (15) the McastService runs beside the interceptor, so the group
 * may still form by multicast and nothing is knowable from the static list alone.
 */
function isPureStatic(node: TomcatNode): boolean {
  const c = node.cluster;
  if (!c || c.membership.kind !== 'static') return false;
  if (c.membership.element?.localName === 'Membership') return true;
  const opts = attr(c.element, 'channelStartOptions')?.value.trim();
  if (opts === undefined || !/^\d+$/.test(opts)) return false;
  return (Number(opts) & 12) === 0;
}

/** The nodes behind each balancer of every front end (resolved, defined members only), in id order. */
function balancerNodes(frontEnds: FrontEnd[]): { frontEnd: FrontEnd; balancer: Balancer; nodes: TomcatNode[] }[] {
  const out: { frontEnd: FrontEnd; balancer: Balancer; nodes: TomcatNode[] }[] = [];
  for (const fe of frontEnds) {
    for (const b of fe.balancers) {
      const seen = new Set<TomcatNode>();
      for (const m of b.members) {
        const n = m.defined ? m.target?.node : undefined;
        if (n) seen.add(n);
      }
      const nodes = [...seen].sort(compareIds);
      out.push({ frontEnd: fe, balancer: b, nodes });
    }
  }
  return out;
}

// ---------------------------------------------------------------- the rule

const DEFAULTED = new Set(['mcastAddr', 'mcastPort', 'Membership', 'address', 'port']);

interface Finding {
  node: TomcatNode;
  span: Span;
  severity: Severity;
  message: string;
  related: RelatedLocation[];
}

function receiverText(node: TomcatNode): string {
  const r = node.cluster!.receiver;
  const a = r.address.value;
  const host = a !== 'auto' && !isWildcardBind(a) ? a : node.host.source !== 'unknown' && !node.host.name.startsWith('(') ? node.host.name : 'its host';
  return `${host}:${r.port.value ?? '?'}`;
}

/** The attribute names that set the group on this node (5.x McastService, 5.5 defaultMode, 6+ McastService). */
function fieldName(node: TomcatNode, field: 'address' | 'port'): string {
  const c = node.cluster!;
  const m = c.membership as MulticastMembership;
  if (c.generation === '5.x') return m.element ? (field === 'address' ? 'mcastAddr' : 'mcastPort') : field === 'address' ? 'service.mcastAddr' : 'service.mcastPort';
  return field;
}

/** Why a node's value is a default: the ignored attribute or element that explains it, else "nothing is written". */
function defaultReason(node: TomcatNode, field: 'address' | 'port'): string {
  const c = node.cluster!;
  const legacy = field === 'address' ? 'mcastAddr' : 'mcastPort';
  const hit = c.ignored.find((i) => i.what === legacy) ?? c.ignored.find((i) => i.what === 'Membership') ?? c.ignored.find((i) => DEFAULTED.has(i.what));
  if (hit) return hit.reason;
  return c.generation === '5.x' && !(c.membership as MulticastMembership).element
    ? 'the default of a bare Tomcat 5.5 <Cluster>'
    : `no ${field} is written, so the default applies`;
}

/** Where the group attributes go on this node. */
function fixText(node: TomcatNode, attrs: string): string {
  const c = node.cluster!;
  const m = c.membership as MulticastMembership;
  if (m.element) return `Set ${attrs} on ${node.name}'s <Membership>`;
  if (c.generation === '5.x') return `Set ${attrs} on ${node.name}'s <Cluster>`;
  return `Add a <Membership className="org.apache.catalina.tribes.membership.McastService"> with ${attrs} to ${node.name}'s <Channel>`;
}

interface Group {
  key: string;
  nodes: TomcatNode[];
  explicit: number;
}

function checkMulticast(balancerName: string, nodes: TomcatNode[], out: Finding[]): void {
  const groups = new Map<string, Group>();
  for (const n of nodes) {
    const g = multicastGroup(n)!;
    const m = g.membership;
    const group = groups.get(g.key) ?? { key: g.key, nodes: [], explicit: 0 };
    group.nodes.push(n);
    group.explicit += (m.address.span ? 1 : 0) + (m.port.span ? 1 : 0);
    groups.set(g.key, group);
  }
  if (groups.size < 2) return;
  // The group most nodes agree on is right; on a tie the one whose values are written (not defaults), then the first node's.
  const ranked = [...groups.values()].sort(
    (a, b) => b.nodes.length - a.nodes.length || b.explicit - a.explicit || compareIds(a.nodes[0]!, b.nodes[0]!),
  );
  const right = ranked[0]!;
  const ref = right.nodes[0]!;
  const refM = multicastGroup(ref)!.membership;
  for (const group of ranked.slice(1)) {
    for (const n of group.nodes) {
      const m = multicastGroup(n)!.membership;
      const addressDiffers = m.address.value.trim().toLowerCase() !== refM.address.value.trim().toLowerCase();
      const field: 'address' | 'port' = addressDiffers ? 'address' : 'port';
      const located = field === 'address' ? m.address : m.port;
      const span = located.span ?? m.span;
      const why = located.span ? '' : ` (${defaultReason(n, field)})`;
      const fixes: string[] = [];
      if (addressDiffers) fixes.push(`\`${fieldName(n, 'address')}\`="${refM.address.value}"`);
      if (m.port.value !== refM.port.value) fixes.push(`\`${fieldName(n, 'port')}\`="${refM.port.value}"`);
      const refSpan = (r: TomcatNode): Span => {
        const rm = multicastGroup(r)!.membership;
        return (field === 'address' ? rm.address.span : rm.port.span) ?? rm.span;
      };
      const others = right.nodes.map((r) => ownerAt(r, refSpan(r)));
      out.push({
        node: n,
        span,
        severity: 'error',
        message:
          `${n.name} joins multicast group ${group.key}${why}, but ${joinNames(others)}, behind balancer \`${balancerName}\`, ` +
          `${right.nodes.length > 1 ? 'join' : 'joins'} ${right.key}: the nodes never meet, nothing replicates and failover loses the session. ` +
          `${fixText(n, joinNames(fixes))}.`,
        related: right.nodes.map((r) => ({ span: refSpan(r), message: `${r.name} joins ${right.key} here` })),
      });
    }
  }
}

/**
 * Static lists are compared node against node (each list against each receiver), which
 * grows with the cube of the group; hand-written static groups are small, so larger ones
 * are left alone.
 */
const MAX_STATIC_GROUP = 64;

function checkStatic(balancerName: string, nodes: TomcatNode[], out: Finding[]): void {
  if (nodes.length > MAX_STATIC_GROUP) return;
  // Each list's members by port; a member whose port is unknown may name anyone.
  const membersByPort = new Map<TomcatNode, Map<number, StaticMember[]>>();
  const open = new Set<TomcatNode>();
  for (const a of nodes) {
    const byPort = new Map<number, StaticMember[]>();
    const m = a.cluster!.membership;
    for (const member of m.kind === 'static' ? m.members : []) {
      const p = member.port.value;
      if (p === undefined) open.add(a);
      else pushTo(byPort, p, member);
    }
    membersByPort.set(a, byPort);
  }
  /** Whether a's list names b's receiver; true also when the files do not tell. */
  const names = (a: TomcatNode, b: TomcatNode): boolean => {
    const port = b.cluster!.receiver.port.value;
    if (port === undefined || open.has(a)) return true;
    return (membersByPort.get(a)!.get(port) ?? []).some((member) => memberNames(a, member, b) !== false);
  };
  const named = new Map<TomcatNode, Set<TomcatNode>>();
  for (const a of nodes) named.set(a, new Set(nodes.filter((b) => b !== a && names(a, b))));
  for (const a of nodes) {
    const missing: { b: TomcatNode; bothWrong: boolean }[] = [];
    for (const b of nodes) {
      if (b === a || named.get(a)!.has(b)) continue;
      if (!named.get(b)!.has(a)) {
        // Both lists are wrong: one problem, reported once at the later node.
        if (compareIds(a, b) > 0) missing.push({ b, bothWrong: true });
      } else {
        missing.push({ b, bothWrong: false });
      }
    }
    if (missing.length === 0) continue;
    const m = a.cluster!.membership;
    const errors = missing.filter((x) => x.bothWrong);
    const warnings = missing.filter((x) => !x.bothWrong);
    const parts: string[] = [];
    if (errors.length > 0) {
      parts.push(
        `${a.name}'s static member list names no receiver of ${joinNames(errors.map((x) => `${x.b.name} (${receiverText(x.b)})`))}, ` +
          `and ${errors.length > 1 ? 'their lists do' : `${errors[0]!.b.name}'s list does`} not name ${a.name}'s (${receiverText(a)}) either, ` +
          `behind balancer \`${balancerName}\`: they form no group, nothing replicates and failover loses the session`,
      );
    }
    if (warnings.length > 0) {
      parts.push(
        `${a.name}'s static member list does not name the receiver of ${joinNames(warnings.map((x) => `${x.b.name} (${receiverText(x.b)})`))}` +
          ` behind balancer \`${balancerName}\`; ${warnings.length > 1 ? 'their lists name' : `${warnings[0]!.b.name}'s list names`} ${a.name}, so the group still forms (Tomcat 10.1 replicated every session this way), but only through ${warnings.length > 1 ? 'those lists' : 'that one list'}`,
      );
    }
    out.push({
      node: a,
      span: m.span,
      severity: errors.length > 0 ? 'error' : 'warning',
      message:
        `${parts.join('. Also, ')}. Add a \`<Member>\` for ${joinNames(missing.map((x) => `${x.b.name}'s receiver (${receiverText(x.b)})`))} to ${a.name}'s list` +
        `${errors.map((x) => `, and one for ${a.name}'s receiver (${receiverText(a)}) to ${x.b.name}'s list`).join('')}.`,
      related: missing.map((x) => ({ span: x.b.cluster!.membership.span, message: `${x.b.name}'s membership (receiver ${receiverText(x.b)})` })),
    });
  }
}

function checkKinds(balancerName: string, multicast: TomcatNode[], statics: TomcatNode[], out: Finding[]): void {
  if (multicast.length === 0 || statics.length === 0) return;
  const first = [...multicast, ...statics].sort(compareIds)[0]!;
  const staticWrong = statics.length < multicast.length || (statics.length === multicast.length && !statics.includes(first));
  const wrong = staticWrong ? statics : multicast;
  const right = staticWrong ? multicast : statics;
  const rightKind = staticWrong ? 'multicast membership' : 'a static member list';
  for (const n of wrong) {
    out.push({
      node: n,
      span: n.cluster!.membership.span,
      severity: 'error',
      message:
        `${n.name} finds its cluster members ${staticWrong ? 'only through a static member list' : 'only by multicast'}, while ${joinNames(right.map((r) => ownerAt(r, r.cluster!.membership.span)))}, ` +
        `behind balancer \`${balancerName}\`, ${right.length > 1 ? 'use' : 'uses'} ${rightKind}: they do not form one group, so sessions are not replicated between them. ` +
        `Use the same kind of membership on every node.`,
      related: right.map((r) => ({ span: r.cluster!.membership.span, message: `${r.name} uses ${rightKind} here` })),
    });
  }
}

export const membershipMismatch: Rule = {
  meta: {
    id: 'membership-mismatch',
    severity: 'error',
    description:
      'Nodes behind one balancer that do not share one effective membership group (multicast address and port after defaults; static lists that do not name each other)',
    catalogue: ['TC-06'],
  },
  check(model, report) {
    const found: Finding[] = [];
    for (const { balancer, nodes } of balancerNodes(model.frontEnds)) {
      // A cluster of the other generation never loads (cluster-class-version): it has no group at all.
      const clustered = nodes.filter((n) => n.cluster && !otherGeneration(n, n.cluster.generation));
      if (clustered.length < 2) continue;
      const multicast = clustered.filter((n) => multicastGroup(n) !== undefined);
      const statics = clustered.filter(isPureStatic);
      checkKinds(balancer.name, multicast, statics, found);
      checkMulticast(balancer.name, multicast, found);
      checkStatic(balancer.name, statics, found);
    }
    // A node behind several balancers with the same peers is reported once per place.
    const seen = new Set<string>();
    for (const f of found) {
      const key = `${f.node.id}|${spanKey(f.span)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({ span: f.span, message: f.message, severity: f.severity, related: f.related });
    }
  },
};
