import type { Balancer, BalancerMember, FrontEnd, FrontEndKind, TomcatNode } from '../model/types.js';
import type { Span } from '../types.js';
import type { Rule } from './api.js';
import { compareIds, fileLine, listNames, memberNames, multicastGroup, pushTo, where } from './membership-mismatch.js';

/**
 * Two nodes of one cluster or balancer with one jvmRoute, and two members of one
 * balancer with one route. Nodes are related through keys (the balancers they are
 * behind, their multicast group, static lists naming each other) and grouped with a
 * union-find per route, so no pair of nodes is compared blindly.
 */

function unresolved(value: string): boolean {
  return value.includes('${') || value.includes('$(');
}

function routeSpan(node: TomcatNode): Span {
  return node.engine!.jvmRoute!.span ?? node.engine!.span;
}

/**
 * Why nodes of one route belong together, as keys two related nodes share: the balancers
 * they are behind, their multicast group, a static list of one naming the other's
 * receiver. Computed only for the nodes of one route (usually none, or two).
 */
function relationKeys(
  nodes: TomcatNode[],
  membersByNode: Map<string, { frontEnd: FrontEnd; balancer: Balancer | undefined }[]>,
): Map<TomcatNode, Map<string, string>> {
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

function memberEffect(kind: FrontEndKind): string {
  switch (kind) {
    case 'jk':
      return 'mod_jk refuses to start ("… share the same route … aborting configuration!") and httpd exits';
    case 'proxy':
      return 'httpd accepts it silently, but the first member with that route receives every request of a session routed there, so the other node loses its sessions\' stickiness';
    case 'jk2':
      return 'mod_jk2 sends every session with that route to the first worker that has it, so the other node loses its sessions\' stickiness';
  }
}

function memberLabel(m: BalancerMember): string {
  return m.kind === 'proxy' ? `BalancerMember ${m.name}` : `worker \`${m.name}\``;
}

export const duplicateJvmRoute: Rule = {
  meta: {
    id: 'duplicate-jvm-route',
    severity: 'error',
    description: 'Two nodes of one cluster or balancer with the same effective jvmRoute, or two members of one balancer with the same route',
    catalogue: ['SRV-07', 'JK-07'],
  },
  check(model, report) {
    // ---- nodes: one jvmRoute on two related nodes
    for (const [route, nodes] of model.index.nodesByRoute) {
      if (nodes.length < 2 || unresolved(route)) continue;
      const sorted = [...nodes].sort(compareIds);
      const keys = relationKeys(sorted, model.index.membersByNode);
      // Union-find over the nodes of this route, joined by shared keys.
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
      const components = new Map<number, TomcatNode[]>();
      sorted.forEach((n, i) => pushTo(components, find(i), n));
      for (const members of components.values()) {
        if (members.length < 2) continue;
        for (let i = 1; i < members.length; i++) {
          const n = members[i]!;
          const earlier = members.slice(0, i);
          // The strongest reason shared with an earlier node: a balancer, else a group.
          const mine = keys.get(n) ?? new Map<string, string>();
          const shared = earlier.flatMap((e) => [...(keys.get(e)?.keys() ?? [])].filter((k) => mine.has(k)));
          const why = (shared.find((k) => k.startsWith('b|')) ?? shared.find((k) => k.startsWith('g|')) ?? shared[0]);
          const reason = why ? mine.get(why)! : 'in one cluster';
          const behindBalancer = why?.startsWith('b|') ?? false;
          report({
            span: routeSpan(n),
            message:
              `\`jvmRoute\`="${route}" is also the jvmRoute of ${listNames(earlier.map((e) => where(e, routeSpan(e))))}, ${reason}: ` +
              `session IDs of ${earlier.length > 1 ? 'these nodes' : 'both nodes'} end in ".${route}", so ${behindBalancer ? 'the balancer' : 'a balancer in front of them'} cannot keep a session on the node that created it ` +
              `(requests alternate; with replication sessions survive, without it every switch loses the session). Give ${n.name} a unique \`jvmRoute\` and its balancer member the same route.`,
            related: earlier.map((e) => ({ span: routeSpan(e), message: `${e.name} uses jvmRoute "${route}" here` })),
          });
        }
      }
    }

    // ---- balancer members: one route on two members of one balancer
    for (const fe of model.frontEnds) {
      for (const b of fe.balancers) {
        const byRoute = new Map<string, BalancerMember[]>();
        for (const m of b.members) {
          const r = m.route?.value;
          if (!m.defined || r === undefined || r === '' || unresolved(r)) continue;
          const list = byRoute.get(r) ?? [];
          if (list.some((x) => x.name === m.name)) continue; // the same worker listed twice
          if (list.length === 0) byRoute.set(r, list);
          list.push(m);
        }
        for (const [route, members] of byRoute) {
          if (members.length < 2) continue;
          const first = members[0]!;
          for (const m of members.slice(1)) {
            // mod_proxy and mod_jk2 only mis-route; when the member's own node has another jvmRoute, route-mismatch says it.
            const jvmRoute = m.target?.node.engine?.jvmRoute?.value;
            if (m.kind !== 'jk' && jvmRoute !== undefined && jvmRoute !== route) continue;
            const span = m.route?.span ?? m.span;
            const firstSpan = first.route?.span ?? first.span;
            report({
              span,
              message:
                `Route "${route}" of ${memberLabel(m)} is also the route of ${memberLabel(first)} (${fileLine(fe, firstSpan)}) in balancer \`${b.name}\`: ` +
                `${memberEffect(m.kind)}. Set each member's route to the jvmRoute of the Tomcat behind it.`,
              related: [{ span: firstSpan, message: `${first.name} has route "${route}" here` }],
            });
          }
        }
      }
    }
  },
};
