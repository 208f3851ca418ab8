import type { FrontEnd, JkConfig, TomcatNode } from '../model/types.js';
import type { Report } from '../types.js';
import type { Rule } from './api.js';
import { jkBoolCode } from './shared/jk-directives.js';
import { fileLine, joinNames } from './shared/text.js';

/**
 * mod_jk `sticky_session_force=true`:
 * - while `sticky_session` is false it does nothing (mod_jk reads the session route
 *   only for sticky balancers), so the configuration says something it does not do;
 * - on a sticky balancer in front of nodes that replicate sessions it defeats failover:
 *   when the session's node is down, mod_jk rejects the request instead of using a replica.
 */
export const stickyForceWithoutSticky: Rule = {
  meta: {
    id: 'sticky-force-without-sticky',
    severity: 'warning',
    description:
      'mod_jk sticky_session_force=true while sticky_session is false (no effect), or in front of replicating nodes (defeats failover)',
    catalogue: ['JK-12'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) if (fe.jk) checkJk(fe, fe.jk, report);
  },
};

function checkJk(fe: FrontEnd, jk: JkConfig, report: Report): void {
  for (const balancer of fe.balancers) {
    if (balancer.kind !== 'jk') continue;
    const def = jk.workers.get(balancer.name);
    const force = def?.properties.get('sticky_session_force');
    if (!def || !force || !jkBoolCode(force.value, false)) continue;
    const sticky = def.properties.get('sticky_session');
    const isSticky = jkBoolCode(sticky?.value, true);
    if (!isSticky && sticky) {
      report({
        span: force.keySpan,
        message:
          `\`sticky_session_force=${force.value}\` has no effect on \`${balancer.name}\`: \`sticky_session=${sticky.value}\` (${fileLine(sticky.keySpan)}) makes mod_jk ignore the session route, so requests are balanced as if there were no session. ` +
          'Remove `sticky_session_force`, or set `sticky_session=true` if requests of one session must stay on one node.',
        related: [{ span: sticky.valueSpan, message: `\`sticky_session\` of \`${balancer.name}\`` }],
      });
      continue;
    }
    if (!isSticky) continue;
    // Replication behind every resolved member: failover would keep the session.
    const nodes: TomcatNode[] = [];
    for (const m of balancer.members) {
      const node = m.target?.node;
      if (node && !nodes.includes(node)) nodes.push(node);
    }
    if (nodes.length < 2 || balancer.members.some((m) => m.target === undefined)) continue;
    if (!nodes.every((n) => n.cluster !== undefined && n.apps.some((a) => a.distributable))) continue;
    const names = joinNames(nodes.map((n) => n.name));
    report({
      span: force.keySpan,
      message:
        `\`sticky_session_force=${force.value}\` on \`${balancer.name}\` defeats failover: when a session's node is down or stopped, mod_jk answers with an error (503 in 1.2.50's code; the docs say 500) instead of using another member, although ${names} replicate sessions. ` +
        'Remove it (the default `false` fails over to the replica).',
    });
  }
}
