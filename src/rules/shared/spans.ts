/**
 * Where a finding about a model value goes: the attribute or key that sets it when it is
 * written, else the element or line that owns it (the value is then a default).
 */
import type { BalancerMember, Connector, TomcatNode } from '../../model/types.js';
import type { Span } from '../../types.js';

/** The Engine's `jvmRoute`, else the Engine. */
export function jvmRouteSpan(engine: NonNullable<TomcatNode['engine']>): Span {
  return engine.jvmRoute?.span ?? engine.span;
}

/** The Connector's `port`, else the Connector. */
export function connectorPortSpan(connector: Connector): Span {
  return connector.port.span ?? connector.span;
}

/** The Connector's `secret` (or its older names), else the Connector. */
export function connectorSecretSpan(connector: Connector): Span {
  return connector.secret?.span ?? connector.span;
}

/** The member's route as written, else the member's definition. */
export function memberRouteSpan(member: BalancerMember): Span {
  return member.route?.span ?? member.span;
}
