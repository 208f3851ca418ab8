import type { TomcatNode } from '../model/types.js';
import { isLoopback, sameHost } from '../model/link.js';
import type { Rule } from './api.js';
import { multicastGroup } from './shared/cluster.js';
import { compareIds, pushTo } from './shared/collections.js';
import { assumingHost, capitalize, joinNames, onHost } from './shared/text.js';

/**
 * Nodes of one multicast group that all run on one host, with a membership bound to no
 * interface: the 2006 story (a VPN adapter took the multicast traffic). Nodes are grouped
 * by effective group, then each group's hosts are compared — a group with a node on
 * another host is left alone, since binding it to loopback would cut that node off.
 */

/** Binding membership and receiver to loopback, in this node's generation and layout. */
function suggestion(node: TomcatNode): string {
  const c = node.cluster!;
  const m = c.membership;
  if (m.kind !== 'multicast') return '';
  const r = c.receiver.address.value.trim();
  const receiverLoopback = r !== '0.0.0.0' && isLoopback(r);
  if (c.generation === '5.x') {
    if (!m.element) {
      return `Add \`service.mcastBindAddress\`="127.0.0.1"${receiverLoopback ? '' : ' and `receiver.tcpListenAddress`="127.0.0.1"'} to the <Cluster>.`;
    }
    return `Add \`mcastBindAddress\`="127.0.0.1" to the <Membership>${receiverLoopback ? '' : ' and `tcpListenAddress`="127.0.0.1" to the <Receiver>'}.`;
  }
  const receiver = receiverLoopback
    ? ''
    : c.receiver.element
      ? ' and `address`="127.0.0.1" to the <Receiver>'
      : ' and a NioReceiver <Receiver> with `address`="127.0.0.1"';
  if (m.element) return `Add \`bind\`="127.0.0.1" to the <Membership>${receiver}.`;
  const hasChannel = c.element.children.some((e) => e.localName === 'Channel');
  return `Add a McastService <Membership> with \`bind\`="127.0.0.1"${receiver} to ${hasChannel ? 'the <Channel>' : 'a <Channel> in the <Cluster>'}.`;
}

export const unboundMulticast: Rule = {
  meta: {
    id: 'unbound-multicast',
    severity: 'warning',
    description: 'Co-located nodes using multicast membership with no bind address (the 2006 VPN story)',
    catalogue: ['TC-09'],
  },
  check(model, report) {
    const groups = new Map<string, TomcatNode[]>();
    for (const n of [...model.nodes].sort(compareIds)) {
      const g = multicastGroup(n);
      if (g) pushTo(groups, g.key, n);
    }
    for (const [key, nodes] of groups) {
      if (nodes.length < 2) continue;
      if (nodes.every((n) => n.cluster!.membership.kind !== 'multicast' || n.cluster!.membership.bind !== undefined)) continue;
      // Distinct hosts of the group: every pair on one machine (certain), maybe (assumed), or not.
      const hosts = [...new Map(nodes.map((n) => [n.host.name, n.host])).values()];
      let certain = true;
      let split = false;
      for (let i = 0; i < hosts.length && !split; i++) {
        for (let j = i; j < hosts.length && !split; j++) {
          const s = i === j ? (hosts[i]!.source === 'unknown' ? undefined : true) : sameHost(hosts[i]!, hosts[j]!);
          if (s === false) split = true;
          if (s !== true) certain = false;
        }
      }
      if (split) continue;
      for (const n of nodes) {
        const c = n.cluster!;
        const m = c.membership;
        if (m.kind !== 'multicast' || m.bind !== undefined) continue;
        const others = joinNames(nodes.filter((p) => p !== n).map((p) => p.name));
        report({
          span: m.span,
          message:
            `${n.name}'s multicast membership (${key}, shared with ${others}${certain ? ` ${onHost(n.host)}` : ''}) is bound to no interface: ` +
            `heartbeats may leave through another interface (a VPN adapter, say), and then the nodes never meet and nothing replicates. ` +
            `${suggestion(n)}${certain ? '' : ` ${capitalize(assumingHost(nodes.map((p) => p.name)))}.`}`,
        });
      }
    }
  },
};
