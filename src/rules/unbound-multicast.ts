import type { TomcatNode } from '../model/types.js';
import { UNKNOWN_HOST, isLoopback, sameHost } from '../model/link.js';
import type { Rule } from './api.js';
import { compareIds, listNames, multicastGroup, pushTo } from './membership-mismatch.js';

/**
 * Nodes of one multicast group that all run on one host, with a membership bound to no
 * interface: the 2006 story (a VPN adapter took the multicast traffic). Nodes are grouped
 * by effective group, then each group's hosts are compared — a group with a node on
 * another host is left alone, since binding it to loopback would cut that node off.
 */

function hostText(node: TomcatNode): string {
  const h = node.host.name;
  if (h === UNKNOWN_HOST || h === '') return 'on one host';
  const fe = /^\(host of (.*)\)$/.exec(h);
  if (fe) return `on one host (${fe[1]} reaches them at a loopback address)`;
  return `on host ${h}`;
}

const MCAST_CLASS = 'org.apache.catalina.tribes.membership.McastService';
const RECEIVER_CLASS = 'org.apache.catalina.tribes.transport.nio.NioReceiver';

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
      : ` and a \`<Receiver className="${RECEIVER_CLASS}" address="127.0.0.1"/>\``;
  if (m.element) return `Add \`bind\`="127.0.0.1" to the <Membership>${receiver}.`;
  const hasChannel = c.element.children.some((e) => e.localName === 'Channel');
  return `Add a \`<Membership className="${MCAST_CLASS}" bind="127.0.0.1"/>\`${receiver} to ${hasChannel ? 'the <Channel>' : 'a <Channel> in the <Cluster>'}.`;
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
        const names = listNames(nodes.map((p) => p.name));
        report({
          span: m.span,
          message:
            `${names} share multicast group ${key}${certain ? ` ${hostText(n)}` : ''}, but ${n.name}'s membership is bound to no interface: on a machine with several ` +
            `network interfaces (a VPN adapter, a laptop off the network) the heartbeats can leave through the wrong one, the nodes never see each other ` +
            `and nothing is replicated while load balancing keeps working. ${suggestion(n)}` +
            `${certain ? '' : ` (Assuming ${names} run on one host; declare hosts with --host to be sure.)`}`,
        });
      }
    }
  },
};
