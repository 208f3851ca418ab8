import type { XmlAttribute } from '../parsers/syntax.js';
import type { ClusterGeneration } from '../model/types.js';
import type { Rule } from './api.js';
import { loadableClusters } from './shared/cluster.js';

/**
 * Values of a multicast membership that cannot work:
 * - an address outside the multicast ranges (IPv4 224.0.0.0/4, IPv6 ff00::/8):
 *   `MulticastSocket.joinGroup` refuses it ("Not a multicast address"), McastService logs
 *   "Unable to join multicast group" and the cluster's channel does not start;
 * - `dropTime` ≤ `frequency`: a member is dropped before its next heartbeat can arrive,
 *   so membership flaps (members disappear and reappear, replication stalls);
 * - `ttl` above 255: `MulticastSocket.setTimeToLive` throws and membership does not start.
 *
 * Host names, `${...}` placeholders and missing values are left alone (nothing to judge).
 */
export const invalidMulticastAddress: Rule = {
  meta: {
    id: 'invalid-multicast-address',
    severity: 'warning',
    description: 'A membership address outside 224.0.0.0/4, `dropTime` ≤ `frequency`, or a TTL above 255',
    catalogue: ['TC-07'],
  },
  check(model, report) {
    for (const { node, cluster } of loadableClusters(model.nodes)) {
      const m = cluster.membership;
      if (m.kind !== 'multicast') continue;

      const address = m.address.value.trim();
      if (m.address.span && address !== '' && !address.includes('${')) {
        const verdict = multicastVerdict(address);
        if (verdict === false) {
          report({
            span: m.address.span,
            message:
              `${address} is not a multicast address (224.0.0.0–239.255.255.255): McastService cannot join it ` +
              `("Unable to join multicast group"), so ${node.name}'s cluster channel does not start and nothing replicates. ` +
              `Use a group in 224.0.0.0/4 (e.g. the default 228.0.0.4), the same on every node.`,
          });
        }
      }

      const freq = m.frequency;
      const drop = m.dropTime;
      if (freq?.value !== undefined && drop?.value !== undefined && freq.value > 0 && drop.value <= freq.value && (freq.span || drop.span)) {
        const span = drop.span ?? freq.span!;
        const dropText = drop.span ? `\`dropTime\` ${drop.value} ms` : `the default \`dropTime\` ${drop.value} ms`;
        const freqText = freq.span ? `\`frequency\` ${freq.value} ms` : `the default \`frequency\` ${freq.value} ms`;
        report({
          span,
          message:
            `${dropText} is not longer than ${freqText}: members are dropped before their next heartbeat arrives, so ${node.name} sees the group flap ` +
            `(members leave and rejoin, replication stalls). Make \`dropTime\` several heartbeats long (the defaults are 500 ms and 3000 ms).`,
        });
      }

      const ttl = ttlAttribute(m.element?.attributes ?? [], cluster.generation, m.ignoredAttributes);
      if (ttl) {
        const n = Number(ttl.value.trim());
        if (/^\s*-?\d+\s*$/.test(ttl.value) && n > 255) {
          report({
            span: ttl.span,
            message:
              `A multicast TTL of ${n} is out of range (0–255): \`MulticastSocket.setTimeToLive\` throws and ${node.name}'s membership does not start. ` +
              `Use a value from 1 (one subnet) to 255.`,
          });
        }
      }
    }
  },
};

/** The TTL attribute this generation reads: `ttl` (6+; `mcastTTL` too while it is not ignored), `mcastTTL` on 5.x. */
function ttlAttribute(attrs: XmlAttribute[], generation: ClusterGeneration, ignored: string[]): XmlAttribute | undefined {
  const names = generation === '5.x' ? ['mcastTTL'] : ['ttl', 'mcastTTL'];
  let found: XmlAttribute | undefined;
  for (const a of attrs) if (names.includes(a.name) && !ignored.includes(a.name)) found = a;
  return found;
}

/** true: multicast; false: an IP literal that is not; undefined: a host name (not judged). */
export function multicastVerdict(address: string): boolean | undefined {
  const a = address.replace(/^\[|\]$/g, '');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return false;
    return parts[0]! >= 224 && parts[0]! <= 239;
  }
  if (a.includes(':') && /^[0-9a-fA-F:.]+$/.test(a)) return /^ff/i.test(a);
  return undefined;
}
