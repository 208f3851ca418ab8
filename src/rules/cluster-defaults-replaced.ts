import type { ClassRef, ClusterConfig, TomcatNode } from '../model/types.js';
import type { RelatedLocation } from '../types.js';
import type { Rule } from './api.js';
import { loadableClusters } from './shared/cluster.js';
import { simpleName } from './shared/xml.js';

/**
 * `SimpleTcpCluster` adds its default valves (JvmRouteBinderValve + ReplicationValve) only
 * when no `<Valve>` is configured, and its default ClusterSessionListener only when no
 * `<ClusterListener>` is configured (6+: and the manager is a DeltaManager; 5.5: in its
 * default mode). Configuring one custom valve or listener therefore drops the defaults:
 * - valves without a ReplicationValve: session changes are never sent at the end of a request;
 * - listeners without a ClusterSessionListener under DeltaManager: session messages arrive
 *   and are never handed to the manager.
 * Either way nothing replicates, and failover loses the session.
 *
 * A valve or listener of a non-Tomcat class may extend the Tomcat one: then the finding is
 * only a warning that says so.
 */
export const clusterDefaultsReplaced: Rule = {
  meta: {
    id: 'cluster-defaults-replaced',
    severity: 'error',
    description: 'Custom cluster Valves without ReplicationValve, or custom ClusterListeners without ClusterSessionListener under DeltaManager',
    catalogue: ['TC-11'],
  },
  check(model, report) {
    for (const { node, cluster } of loadableClusters(model.nodes)) {
      checkValves(node, cluster, report);
      checkListeners(node, cluster, report);
    }
  },
};

function checkValves(node: TomcatNode, cluster: ClusterConfig, report: Parameters<Rule['check']>[1]): void {
  const valves = cluster.valves.filter((v) => v.className.value !== '');
  if (valves.length === 0 || valves.some((v) => isClass(v, 'ReplicationValve'))) return;
  const custom = valves.filter((v) => !isTomcatClass(v));
  const first = valves[0]!;
  const pkg = cluster.generation === '5.x' ? 'org.apache.catalina.cluster.tcp' : 'org.apache.catalina.ha.tcp';
  const maybe = custom.length > 0 ? ` (unless \`${classOf(custom[0]!)}\` extends it)` : '';
  report({
    span: first.span,
    message:
      `${node.name}'s cluster has ${valves.length === 1 ? 'a custom `<Valve>`' : `${valves.length} custom valves`} but no ReplicationValve${maybe}: ` +
      `Tomcat adds its default valves only when none is configured, so session changes are never sent and failover loses the session. ` +
      `Add \`<Valve className="${pkg}.ReplicationValve"/>\`${cluster.generation === '6+' && !valves.some((v) => isClass(v, 'JvmRouteBinderValve')) ? ' (and a `JvmRouteBinderValve` for sticky failover)' : ''}.`,
    related: related(valves.slice(1)),
    severity: custom.length > 0 ? 'warning' : undefined,
  });
}

function checkListeners(node: TomcatNode, cluster: ClusterConfig, report: Parameters<Rule['check']>[1]): void {
  const listeners = cluster.listeners.filter((l) => l.className.value !== '');
  if (listeners.length === 0 || listeners.some((l) => isClass(l, 'ClusterSessionListener'))) return;
  if (simpleName(cluster.manager.value) !== 'DeltaManager') return;
  const custom = listeners.filter((l) => !isTomcatClass(l));
  const first = listeners[0]!;
  const pkg = cluster.generation === '5.x' ? 'org.apache.catalina.cluster.session' : 'org.apache.catalina.ha.session';
  const manager = cluster.manager.span ? 'DeltaManager' : 'the default DeltaManager';
  const maybe = custom.length > 0 ? ` (unless \`${classOf(custom[0]!)}\` extends it)` : '';
  const rel = related(listeners.slice(1));
  if (cluster.manager.span) rel.push({ span: cluster.manager.span, message: 'the DeltaManager that needs it' });
  report({
    span: first.span,
    message:
      `${node.name}'s cluster has ${listeners.length === 1 ? 'a custom `<ClusterListener>`' : `${listeners.length} custom cluster listeners`} but no ClusterSessionListener${maybe}, and uses ${manager}: ` +
      `Tomcat adds it only when no listener is configured, so session messages reach the node but never its manager: nothing replicates. ` +
      `Add \`<ClusterListener className="${pkg}.ClusterSessionListener"/>\`.`,
    related: rel,
    severity: custom.length > 0 ? 'warning' : undefined,
  });
}

function related(refs: ClassRef[]): RelatedLocation[] {
  return refs.slice(0, 4).map((r) => ({ span: r.span, message: `also \`${classOf(r)}\`` }));
}

function isClass(ref: ClassRef, simple: string): boolean {
  return simpleName(ref.className.value) === simple;
}

function isTomcatClass(ref: ClassRef): boolean {
  return ref.className.value.trim().startsWith('org.apache.catalina.');
}

function classOf(ref: ClassRef): string {
  return simpleName(ref.className.value);
}
