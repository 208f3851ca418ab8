import { relative, sep } from 'node:path';
import { subSpan } from '../model/frontend.js';
import type { BalancerMember, FrontEnd } from '../model/types.js';
import type { Span } from '../types.js';
import type { Rule } from './api.js';

/**
 * A sticky balancer's member whose route differs from the jvmRoute of the Tomcat
 * behind it. The session ID ends in `.<jvmRoute>`; the balancer looks for a member
 * with that route, finds none, and balances the request like a new one.
 *
 * Left to other rules: nodes without jvmRoute (`missing-jvm-route`), non-sticky
 * balancers (`sticky-session-off`), members that reach no connector or the wrong
 * protocol (`worker-without-connector`), undefined members (`undefined-worker`).
 */
export const routeMismatch: Rule = {
  meta: {
    id: 'route-mismatch',
    severity: 'error',
    description: "A sticky balancer member whose route (jk route or worker name, jk2 route/tomcatId, mod_proxy route=) differs from the jvmRoute of the Tomcat behind it",
    catalogue: ['JK-08', 'JK2-02', 'PXB-01'],
  },
  check(model, report) {
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
          if (route.includes('$(') || route.includes('${')) continue;
          if (route === jvmRoute.value) continue;
          if (jkDomainMatches(fe, member, jvmRoute.value)) continue;
          // A jvmRoute copied to another node is duplicate-jvm-route's mistake, not this member's.
          if ((model.index.nodesByRoute.get(jvmRoute.value)?.length ?? 0) > 1) continue;
          // Two mod_jk members with one route: mod_jk refuses to start, and duplicate-jvm-route reports it.
          if (member.kind === 'jk' && balancer.members.some((m) => m !== member && m.route?.value === route)) continue;

          const assumed = node.host.source === 'unknown';
          const nodeAt = `${node.name} (${where(jvmRoute.span ?? node.engine!.span, node.root)})`;
          const lb = `balancer \`${balancer.name}\``;
          const session = `session IDs from ${node.name} end in ".${jvmRoute.value}"`;
          const survives =
            member.kind === 'proxy'
              ? 'without session replication every switch loses the session; replication masks it, but an update made while the session hops can still be lost'
              : 'with session replication the session survives, without it every switch loses it';
          const runtime = `${lb} finds no member with that route, so requests of one session alternate between nodes (${survives})`;
          const assumption = assumed ? ` (assuming ${node.name} runs on the front end's machine; declare hosts with --host to be sure)` : '';
          const place = placeToEdit(fe, member, jvmRoute.value);
          const message =
            `${describe(member)}${route ? ' differs from' : ''} the jvmRoute "${jvmRoute.value}" of ${nodeAt} behind it${assumption}: ` +
            `${session} and ${runtime}. ${place.fix}` +
            (route ? `, or set \`jvmRoute="${route}"\` on ${node.name}'s Engine.` : '.');
          report({
            span: place.span,
            message,
            related: [{ span: jvmRoute.span ?? node.engine!.span, message: `${node.name}'s jvmRoute` }],
            severity: assumed ? 'warning' : undefined,
          });
        }
      }
    }
  },
};

function describe(member: BalancerMember): string {
  const route = member.route?.value;
  switch (member.kind) {
    case 'jk':
      return member.routeSource === 'route'
        ? `Worker \`${member.name}\` has route "${route}", which`
        : `Worker \`${member.name}\` has no \`route\`, so its route is its name "${member.name}", which`;
    case 'jk2':
      return member.routeSource === 'route' || member.routeSource === 'tomcatId'
        ? `jk2 worker \`${member.name}\` has ${member.routeSource} "${route}", which`
        : `jk2 worker \`${member.name}\` has no \`route\`/\`tomcatId\`, so its route is its name "${route}", which`;
    default:
      return route
        ? `Member \`${member.name}\` has \`route=${route}\`, which`
        : `Member \`${member.name}\` has no \`route=\`, so it never matches`;
  }
}

/** Where the user edits, and what to write there. */
function placeToEdit(fe: FrontEnd, member: BalancerMember, jvmRoute: string): { span: Span; fix: string } {
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
      return { span: member.span, fix: `Add \`route=${jvmRoute}\` (or \`tomcatId=${jvmRoute}\`) to \`[${member.name}]\`` };
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

function where(span: Span, root: string): string {
  const rel = relative(root, span.file).split(sep).join('/');
  const shown = rel === '' || rel.startsWith('..') ? span.file.split(sep).pop() ?? span.file : rel;
  return `${shown}:${span.line}`;
}
