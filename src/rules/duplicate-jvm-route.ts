import type { BalancerMember, FrontEndKind } from '../model/types.js';
import type { Rule } from './api.js';
import { relatedGroups, relationKeys } from './shared/cluster.js';
import { jvmRouteSpan, memberRouteSpan } from './shared/spans.js';
import { fileLine, hasPlaceholder, joinNames, memberLabel, ownerAt } from './shared/text.js';

/**
 * Two nodes of one cluster or balancer with one jvmRoute, and two members of one
 * balancer with one route. Nodes are related through keys (the balancers they are
 * behind, their multicast group, static lists naming each other) and grouped with a
 * union-find per route, so no pair of nodes is compared blindly.
 */

function memberEffect(kind: FrontEndKind): string {
  switch (kind) {
    case 'jk':
      return 'mod_jk refuses to start ("… share the same route … aborting configuration!") and httpd exits';
    case 'proxy':
      return 'httpd accepts it silently and sends every session with that route to the first member, so the other node\'s sessions lose stickiness';
    case 'jk2':
      return 'mod_jk2 sends every session with that route to the first worker, so the other node\'s sessions lose stickiness';
  }
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
      if (nodes.length < 2 || hasPlaceholder(route)) continue;
      const keys = relationKeys(nodes, model.index.membersByNode);
      for (const members of relatedGroups(nodes, keys)) {
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
            span: jvmRouteSpan(n.engine!),
            message:
              `\`jvmRoute\`="${route}" is also the jvmRoute of ${joinNames(earlier.map((e) => ownerAt(e, jvmRouteSpan(e.engine!))))}, ${reason}: ` +
              `session IDs of ${earlier.length > 1 ? 'these nodes' : 'both'} end in ".${route}", so ${behindBalancer ? 'the balancer' : 'a balancer'} cannot keep a session on its node ` +
              `(its sessions move to the other node; without replication each move loses the session). Give ${n.name} a unique \`jvmRoute\` and its balancer member that route.`,
            related: earlier.map((e) => ({ span: jvmRouteSpan(e.engine!), message: `${e.name} uses jvmRoute "${route}" here` })),
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
          if (!m.defined || r === undefined || r === '' || hasPlaceholder(r)) continue;
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
            const span = memberRouteSpan(m);
            const firstSpan = memberRouteSpan(first);
            report({
              span,
              message:
                `Route "${route}" of ${memberLabel(m)} is also the route of ${memberLabel(first)} (${fileLine(firstSpan, fe.root)}) in balancer \`${b.name}\`: ` +
                `${memberEffect(m.kind)}. Set each member's route to the jvmRoute of the Tomcat behind it.`,
              related: [{ span: firstSpan, message: `${first.name} has route "${route}" here` }],
            });
          }
        }
      }
    }
  },
};
