/**
 * Tomcat 5.x cluster attribute names that 6+ does not apply: ignored-cluster-attribute
 * reports them, unknown-attribute stays out of their way.
 */

/** 5.x Membership names on the tribes McastService: 6.0+ name, and whether it only tunes. */
export const MEMBERSHIP_5X: Record<string, { name: string; tuning?: boolean }> = {
  mcastAddr: { name: 'address' },
  mcastPort: { name: 'port' },
  mcastFrequency: { name: 'frequency' },
  mcastTTL: { name: 'ttl', tuning: true },
  mcastSoTimeout: { name: 'soTimeout', tuning: true },
};

/** 5.x Receiver names on the tribes ReceiverBase. */
export const RECEIVER_5X: Record<string, { name: string; tuning?: boolean }> = {
  tcpListenAddress: { name: 'address' },
  tcpListenPort: { name: 'port' },
  tcpThreadCount: { name: 'maxThreads', tuning: true },
  tcpSelectorTimeout: { name: 'selectorTimeout', tuning: true },
};

const CLUSTER_5X_ATTRS = new Set(['managerClassName', 'useDirtyFlag', 'expireSessionsOnShutdown', 'notifyListenersOnReplication']);
const CLUSTER_5X_PREFIXES = ['manager.', 'service.', 'receiver.', 'sender.', 'valve.', 'listener.'];

/** A 5.x attribute of `<Cluster>` that no 6+ SimpleTcpCluster applies. */
export function isLegacyClusterAttribute(name: string): boolean {
  return CLUSTER_5X_ATTRS.has(name) || CLUSTER_5X_PREFIXES.some((p) => name.startsWith(p));
}

/** A 5.x Membership/Receiver attribute name with a 6.0+ successor (unknown-attribute skips them). */
export function isLegacyMemberAttribute(name: string): boolean {
  return name in MEMBERSHIP_5X || name in RECEIVER_5X;
}
