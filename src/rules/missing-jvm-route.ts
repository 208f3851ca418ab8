import type { Balancer, BalancerMember, FrontEnd } from '../model/types.js';
import type { RelatedLocation, Span } from '../types.js';
import type { Rule } from './api.js';
import { memberRouteSpan } from './shared/spans.js';
import { fileLine, memberLabel } from './shared/text.js';

/**
 * A node behind a sticky balancer (with at least two members) whose Engine has no
 * jvmRoute: its session IDs carry no `.route` suffix, so the balancer cannot keep a
 * session on it. One finding per node, however many members point at it.
 *
 * A jvmRoute that exists only inside an XML comment is no jvmRoute (comments are not
 * in the model); the message points at such a comment when there is one. Before
 * Tomcat 10.1 the model already takes the `jvmRoute` system property into account.
 */
export const missingJvmRoute: Rule = {
  meta: {
    id: 'missing-jvm-route',
    severity: 'error',
    description: 'A node behind a sticky balancer whose Engine has no jvmRoute (one only in a comment counts as none)',
    catalogue: ['SRV-06'],
  },
  check(model, report) {
    for (const node of model.nodes) {
      const engine = node.engine;
      if (!engine || engine.jvmRoute) continue;
      const entries = (model.index.membersByNode.get(node.id) ?? []).filter(
        (e): e is { frontEnd: FrontEnd; balancer: Balancer; member: BalancerMember } =>
          e.balancer !== undefined &&
          e.balancer.sticky.value &&
          e.balancer.members.length >= 2 &&
          e.member.defined &&
          e.member.target?.connector.protocol === e.member.protocol,
      );
      if (entries.length === 0) continue;

      const first = entries[0]!;
      const routes = [...new Set(entries.map((e) => e.member.route?.value).filter((r): r is string => !!r && !r.includes('$(')))];
      const suggestion =
        routes.length === 1 ? `Add \`jvmRoute="${routes[0]}"\` to the Engine (the route ${first.frontEnd.name} expects)` : 'Add a `jvmRoute` equal to the member\'s route to the Engine';
      const names = [...new Set(entries.map((e) => `\`${e.balancer.name}\``))];
      const balancers = `${names.length > 1 ? 'balancers' : 'balancer'} ${names.join(', ')}`;
      const commented = commentedJvmRoute(model.comments.get(node.serverXml) ?? []);
      const sysprop = node.properties.get('jvmRoute');
      const inComment = commented
        ? ` (the one at line ${commented.line} is inside a comment)`
        : sysprop
          ? ` (the \`jvmRoute\` system property${sysprop.span ? ` at ${fileLine(sysprop.span, node.root)}` : ''} is ignored since Tomcat 10.1.0-M17)`
          : '';
      const consequence = node.cluster
        ? 'replication keeps the sessions, but stickiness is gone'
        : `${node.name} has no \`<Cluster>\`, so every switch loses the session`;
      const assumed = node.host.source === 'unknown';
      const assumption = assumed ? ` (assuming ${node.name} is the Tomcat behind it; declare hosts with --host to be sure)` : '';

      const related: RelatedLocation[] = entries.slice(0, 4).map((e) => ({
        span: memberRouteSpan(e.member),
        message: `${memberLabel(e.member)} of balancer \`${e.balancer.name}\` (${fileLine(e.member.span, e.frontEnd.root)})`,
      }));
      report({
        span: engine.element.startTagSpan,
        message:
          `${node.name}'s Engine has no \`jvmRoute\`${inComment}, but sticky ${balancers} of ${first.frontEnd.name} ${names.length > 1 ? 'send' : 'sends'} to it${assumption}: ` +
          `its session IDs carry no route, so their requests alternate between nodes (${consequence}). ${suggestion}.`,
        related,
        severity: assumed ? 'warning' : undefined,
      });
    }
  },
};

function commentedJvmRoute(comments: { text: string; span: Span }[]): Span | undefined {
  for (const c of comments) if (/<Engine\b[^>]*\bjvmRoute\s*=/.test(c.text)) return c.span;
  return undefined;
}
