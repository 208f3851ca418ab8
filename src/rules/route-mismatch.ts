import { subSpan } from '../model/frontend.js';
import type { BalancerMember, ClusterModel, FrontEnd, TomcatNode } from '../model/types.js';
import type { Span } from '../types.js';
import type { Rule } from './api.js';
import { relatedGroups, relationKeys } from './shared/cluster.js';
import { jvmRouteSpan } from './shared/spans.js';
import { assumingHost, hasPlaceholder, memberLabel, ownerAt } from './shared/text.js';

/**
 * A sticky balancer's member whose route differs from the jvmRoute of the Tomcat
 * behind it. The session ID ends in `.<jvmRoute>`; the balancer looks for a member
 * with that route, finds none, and balances the request like a new one.
 *
 * Left to other rules: nodes without jvmRoute (`missing-jvm-route`), non-sticky
 * balancers (`sticky-session-off`), members that reach no connector or the wrong
 * protocol (`worker-without-connector`), undefined members (`undefined-worker`), and
 * nodes whose jvmRoute a related node (one balancer, one cluster group) copied
 * (`duplicate-jvm-route`). Unrelated nodes that happen to share a jvmRoute are judged
 * here like any other.
 */
export const routeMismatch: Rule = {
  meta: {
    id: 'route-mismatch',
    severity: 'error',
    description: "A sticky balancer member whose route (jk route or worker name, jk2 route/tomcatId, mod_proxy route=) differs from the jvmRoute of the Tomcat behind it",
    catalogue: ['JK-08', 'JK2-02', 'PXB-01'],
  },
  check(model, report) {
    const copied = copiedRoutes(model);
    for (const fe of model.frontEnds) {
      for (const balancer of fe.balancers) {
        if (!balancer.sticky.value) continue;
        for (const member of balancer.members) {
          if (!member.defined) continue;
          const target = member.target;
          if (!target || target.connector.protocol !== member.protocol) continue;
          const node = target.node;
          const jvmRoute = node.engine?.jvmRoute;
          if (!jvmRoute || jvmRoute.value.includes('${')) continue;
          const route = member.route?.value ?? '';
          if (hasPlaceholder(route)) continue;
          if (route === jvmRoute.value) continue;
          if (jkDomainMatches(fe, member, jvmRoute.value)) continue;
          // A jvmRoute copied to a related node is duplicate-jvm-route's mistake, not this member's.
          if (copied(node, jvmRoute.value)) continue;
          // Two mod_jk members with one route: mod_jk refuses to start, and duplicate-jvm-route reports it.
          if (member.kind === 'jk' && balancer.members.some((m) => m !== member && m.route?.value === route)) continue;

          const assumed = node.host.source === 'unknown';
          const assumption = assumed ? ` (${assumingHost([node.name], "the front end's machine")})` : '';
          const survives =
            member.kind === 'proxy'
              ? 'replication masks it, but an update made while the session hops can be lost'
              : 'without replication each move loses the session';
          const place = placeToEdit(member, jvmRoute.value);
          // Offer the other direction only for a route someone wrote (not a default taken from a name).
          const written = member.routeSource === 'route' || member.routeSource === 'tomcatId';
          const message =
            `${describe(member)}, but ${ownerAt(node, jvmRouteSpan(node.engine!))} behind it has jvmRoute "${jvmRoute.value}"${assumption}: ` +
            `balancer \`${balancer.name}\` never matches its sessions, so they leave ${node.name} for other nodes (${survives}). ${place.fix}` +
            (written ? `, or set \`jvmRoute="${route}"\` on ${node.name}'s Engine.` : '.');
          report({
            span: place.span,
            message,
            related: [{ span: jvmRouteSpan(node.engine!), message: `${node.name}'s jvmRoute` }],
            severity: assumed ? 'warning' : undefined,
          });
        }
      }
    }
  },
};

/**
 * Whether a node's jvmRoute is also the jvmRoute of a node related to it (behind one
 * balancer, in one multicast group or static list: `duplicate-jvm-route`'s finding). The
 * groups of each shared route are computed once, when a member first asks.
 */
function copiedRoutes(model: ClusterModel): (node: TomcatNode, route: string) => boolean {
  const byRoute = new Map<string, Set<TomcatNode>>();
  return (node, route) => {
    let copies = byRoute.get(route);
    if (!copies) {
      const nodes = model.index.nodesByRoute.get(route) ?? [];
      copies = new Set(nodes.length < 2 ? [] : relatedGroups(nodes, relationKeys(nodes, model.index.membersByNode)).filter((g) => g.length > 1).flat());
      byRoute.set(route, copies);
    }
    return copies.has(node);
  };
}

/** The member's route and where it comes from. */
function describe(member: BalancerMember): string {
  const route = member.route?.value;
  const who = memberLabel(member, true);
  switch (member.kind) {
    case 'jk':
      return member.routeSource === 'route' ? `${who} has route "${route}"` : `${who} has no \`route\`, so its route is its name`;
    case 'jk2':
      return member.routeSource === 'route' || member.routeSource === 'tomcatId'
        ? `${who} has ${member.routeSource} "${route}"`
        : `${who} has no \`route\`/\`tomcatId\`, so its route is "${route}"`;
    default:
      return route ? `${who} has \`route=${route}\`` : `${who} has no \`route=\``;
  }
}

/** Where the user edits, and what to write there. */
function placeToEdit(member: BalancerMember, jvmRoute: string): { span: Span; fix: string } {
  const written = member.route?.span;
  switch (member.kind) {
    case 'jk': {
      if (member.routeSource === 'route' && written) return { span: written, fix: `Set it to \`${jvmRoute}\`` };
      // The worker's first `worker.<name>.` key: narrow to the name.
      const span = subSpan(member.span, 'worker.'.length, member.name.length);
      return { span, fix: `Add \`worker.${member.name}.route=${jvmRoute}\` (or rename the worker to \`${jvmRoute}\`)` };
    }
    case 'jk2':
      if ((member.routeSource === 'route' || member.routeSource === 'tomcatId') && written) {
        return { span: written, fix: `Set it to \`${jvmRoute}\`` };
      }
      return { span: member.span, fix: `Add \`route=${jvmRoute}\` to \`[${member.name}]\`` };
    default:
      if (member.route && written) return { span: written, fix: `Set \`route=${jvmRoute}\`` };
      return { span: member.span, fix: `Add \`route=${jvmRoute}\` to the BalancerMember` };
  }
}

/**
 * mod_jk falls back to domains: a session route whose part before the first '.' names
 * a member's `domain` goes to a member of that domain (`find_best_bydomain`).
 */
function jkDomainMatches(fe: FrontEnd, member: BalancerMember, jvmRoute: string): boolean {
  if (member.kind !== 'jk') return false;
  const props = fe.jk?.workers.get(member.name)?.properties;
  let domain = props?.get('domain')?.value.trim();
  if (!domain) {
    const route = member.route?.value ?? '';
    const dot = route.indexOf('.');
    if (dot > 0) domain = route.slice(0, dot);
  }
  if (!domain) return false;
  const dot = jvmRoute.indexOf('.');
  return (dot < 0 ? jvmRoute : jvmRoute.slice(0, dot)) === domain;
}
