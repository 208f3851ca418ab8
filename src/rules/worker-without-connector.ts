import { isLoopback, memberHost, sameHost } from '../model/link.js';
import type { Balancer, BalancerMember, ClusterModel, Connector, FrontEnd, TomcatNode } from '../model/types.js';
import type { RelatedLocation, Report, Severity } from '../types.js';
import type { Rule } from './api.js';
import { jkBoolCode } from './shared/jk-directives.js';
import { isWildcardAddress } from './shared/addresses.js';
import { connectorPortSpan } from './shared/spans.js';
import { assumingHost, fileLine, hasPlaceholder, joinNames, memberLabel, spanKey } from './shared/text.js';
import { ajpHardenedByDefault } from './shared/version.js';

/**
 * A front-end member whose host:port reaches no connector of the right protocol among
 * the linted nodes, reaches a connector of the other protocol, or reaches a connector
 * whose bind `address` does not accept a connection to the host the member uses.
 *
 * Undefined members (`defined === false`) belong to `undefined-worker`; members whose
 * host:port is ambiguous (several candidates) or unknown are left alone.
 */
export const workerWithoutConnector: Rule = {
  meta: {
    id: 'worker-without-connector',
    severity: 'error',
    description:
      'A front-end member whose host:port reaches no AJP connector of the linted nodes, an HTTP connector, or a connector bound to another address',
    catalogue: ['JK-09', 'SRV-05', 'SRV-04'],
  },
  check(model, report) {
    // A front end linted alone: its backends are simply not here.
    if (model.nodes.length === 0) return;
    const seen = new Set<string>();
    for (const fe of model.frontEnds) {
      const members: { member: BalancerMember; balancer: Balancer | undefined }[] = [
        ...fe.balancers.flatMap((b) => b.members.map((member) => ({ member, balancer: b }))),
        ...fe.directMembers.map((member) => ({ member, balancer: undefined })),
      ];
      for (const { member, balancer } of members) {
        if (!member.defined) continue;
        const port = member.port.value;
        if (port === undefined || port <= 0) continue;
        if (hasPlaceholder(member.host.value) || member.host.value === '') continue;
        if (jkStopped(fe, member)) continue;
        const key = `${member.kind}|${member.name}|${spanKey(member.span)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (member.target) checkTarget(fe, member, balancer, report);
        else if (member.candidates.length === 0) checkNothingThere(model, fe, member, balancer, report);
      }
    }
  },
};

// ---------------------------------------------------------------- a connector was found

function checkTarget(fe: FrontEnd, member: BalancerMember, balancer: Balancer | undefined, report: Report): void {
  const target = member.target!;
  const { node, connector } = target;
  // Resting on "nodes of unknown host share one host": say so, as a warning.
  const assumed = node.host.source === 'unknown';
  const assumption = assumed ? ` (${assumingHost([node.name], hostLabel(member, fe))})` : '';
  const severity: Severity | undefined = assumed ? 'warning' : undefined;
  const what = memberLabel(member, true);
  const conn = `the ${upper(connector.protocol)} connector of ${node.name} (${fileLine(connectorPortSpan(connector), node.root)})`;

  if (connector.protocol !== member.protocol) {
    const span = member.port.span ?? member.host.span ?? member.span;
    const related: RelatedLocation[] = [
      { span: connectorPortSpan(connector), message: `${node.name}'s ${upper(connector.protocol)} connector listens here` },
    ];
    const ajpPorts = node.connectors.filter((c) => c.protocol === member.protocol && c.effectivePort !== undefined && c.effectivePort > 0);
    const better = ajpPorts.length === 1 ? ajpPorts[0]!.effectivePort : undefined;
    let message: string;
    if (member.protocol === 'ajp') {
      const runtime =
        member.kind === 'proxy'
          ? 'mod_proxy_ajp gets an HTTP answer to its AJP packet ("bad signature") and the client gets a 500, not retried on another member'
          : balancer
            ? `${connectorName(member)} ${IN_ERROR}`
            : `${connectorName(member)} puts the worker in error state and the requests it serves fail`;
      const fix =
        better !== undefined
          ? `Use port ${better} (${node.name}'s AJP connector), or make this Connector AJP with \`protocol="AJP/1.3"\``
          : `Point it at an AJP connector, or make this Connector AJP with \`protocol="AJP/1.3"\``;
      message = `${what} connects to port ${member.port.value}, which is ${conn}, not AJP${assumption}: ${runtime}. ${fix}.`;
    } else {
      const fix = better !== undefined ? `Use port ${better} (${node.name}'s HTTP connector), or an \`ajp://\` URL` : 'Use an `ajp://` URL, or point it at an HTTP connector';
      message = `${what} speaks HTTP to port ${member.port.value}, which is ${conn}${assumption}: Tomcat rejects the request ("Invalid message received with signature") and closes the connection. ${fix}.`;
    }
    report({ span, message, related, severity });
    return;
  }

  const verdict = addressVerdict(member, connector, node, fe);
  if (!verdict) return;
  const span = member.host.span ?? member.port.span ?? member.span;
  const related: RelatedLocation[] = [
    {
      span: connector.address?.span ?? connectorPortSpan(connector),
      message: connector.address ? `${node.name}'s connector binds ${connector.address.value}` : `${node.name}'s AJP connector (default address: loopback)`,
    },
  ];
  const runtime = balancer ? `the connection is refused and ${connectorName(member)} ${IN_ERROR}` : 'the connection is refused and the requests it serves fail';
  const message = `${what} connects to ${member.host.value}:${member.port.value}, but ${verdict.why}${assumption}: ${runtime}. ${verdict.fix}.`;
  report({ span, message, related, severity: verdict.severity === 'warning' ? 'warning' : severity });
}

interface Verdict {
  why: string;
  fix: string;
  severity?: Severity;
}

type AddressClass = 'wildcard' | 'loopback4' | 'loopback6' | 'localhost' | 'ip4' | 'ip6' | 'name';

function classify(address: string): AddressClass {
  if (isWildcardAddress(address)) return 'wildcard';
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (a === 'localhost') return 'localhost';
  if (/^127\.\d+\.\d+\.\d+$/.test(a)) return 'loopback4';
  if (a === '::1' || a === '0:0:0:0:0:0:0:1' || a === 'ip6-localhost' || a === 'ip6-loopback') return 'loopback6';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) return 'ip4';
  if (a.includes(':')) return 'ip6';
  return 'name';
}

/** Whether the AJP connector listens on loopback only when no `address` is written. */
function ajpDefaultLoopback(node: TomcatNode, connector: Connector): boolean | undefined {
  const verdict = ajpHardenedByDefault(node.version);
  if (verdict !== undefined) return verdict;
  // `secretRequired` and `secret` exist only in the releases that also made the address loopback.
  if (connector.element.attributes.some((a) => a.name === 'secretRequired' || a.name === 'secret')) return true;
  return undefined;
}

function addressVerdict(member: BalancerMember, connector: Connector, node: TomcatNode, fe: FrontEnd): Verdict | undefined {
  const h = classify(member.host.value);
  // A member at 0.0.0.0 reaches whatever the OS maps it to: do not guess.
  if (h === 'wildcard') return undefined;
  const written = connector.address?.value;
  const at = connector.address?.span ? ` (${fileLine(connector.address.span, node.root)})` : '';
  if (written !== undefined) {
    if (hasPlaceholder(written) || written.trim() === '') return undefined;
    const a = classify(written);
    if (a === 'wildcard') return undefined;
    const listens = `${node.name}'s connector listens only on ${written}${at}`;
    if (a === 'loopback4' || a === 'localhost') {
      if (h === 'loopback4' || h === 'localhost') return undefined;
      if (h === 'loopback6') {
        if (a === 'localhost') return undefined; // depends on how Java resolves localhost
        return { why: listens, fix: `Use host 127.0.0.1, or set the Connector's \`address="::1"\`` };
      }
      return {
        why: `${listens}, which a connection to ${member.host.value} never reaches`,
        fix: `Set the Connector's \`address\` to ${member.host.value} (or 0.0.0.0 with a \`secret\`), or run the front end on ${node.name}'s machine and use 127.0.0.1`,
      };
    }
    if (a === 'loopback6') {
      if (h === 'loopback6') return undefined;
      if (h === 'localhost') {
        // mod_jk takes the IPv4 address of a name unless prefer_ipv6; mod_proxy tries every address.
        if (member.kind !== 'jk' || jkPreferIpv6(fe, member)) return undefined;
        return {
          why: `${listens}, and mod_jk connects to localhost's IPv4 address unless \`prefer_ipv6\` is set (fine if "localhost" is ::1 only)`,
          fix: `Use host ::1 or set \`worker.${member.name}.prefer_ipv6=true\`, or set the Connector's \`address="127.0.0.1"\``,
          severity: 'warning',
        };
      }
      if (h === 'loopback4') {
        return { why: `${listens}, the IPv6 loopback, not on ${member.host.value}`, fix: `Set the Connector's \`address="127.0.0.1"\` (or use host ::1 on the front end)` };
      }
      return {
        why: `${listens}, which a connection to ${member.host.value} never reaches`,
        fix: `Set the Connector's \`address\` to ${member.host.value} (or 0.0.0.0 with a \`secret\`)`,
      };
    }
    // A specific non-loopback address.
    if (h === 'loopback4' || h === 'loopback6' || h === 'localhost') {
      return {
        why: `${listens}, not on the loopback address`,
        fix: `Connect to ${written} instead of ${member.host.value}, or set the Connector's \`address\` to a loopback address (or remove it)`,
      };
    }
    if ((a === 'ip4' || a === 'ip6') && (h === 'ip4' || h === 'ip6') && written.trim().toLowerCase() !== member.host.value.trim().toLowerCase()) {
      return {
        why: `${listens}, not on ${member.host.value}`,
        fix: `Connect to ${written}, or set the Connector's \`address\` to ${member.host.value} (or 0.0.0.0 with a \`secret\`)`,
      };
    }
    return undefined;
  }
  // No address written: HTTP connectors and old AJP connectors listen everywhere.
  if (connector.protocol !== 'ajp') return undefined;
  if (h === 'loopback4' || h === 'loopback6' || h === 'localhost') return undefined;
  if (isLoopback(member.host.value)) return undefined;
  if (ajpDefaultLoopback(node, connector) !== true) return undefined;
  const version = node.version.version ? `Tomcat ${node.version.version}` : 'this Tomcat';
  return {
    why: `${node.name}'s AJP connector has no \`address\`, so on ${version} it listens on loopback only (the default since 9.0.31/8.5.51/7.0.100)`,
    fix: `Set \`address\` on the Connector (${fileLine(connector.span, node.root)}) to one the front end reaches (e.g. "0.0.0.0" with a \`secret\`)`,
  };
}

// ---------------------------------------------------------------- nothing listens there

function checkNothingThere(model: ClusterModel, fe: FrontEnd, member: BalancerMember, balancer: Balancer | undefined, report: Report): void {
  const host = memberHost(member, fe);
  // Nodes known to run where the member points, and nodes that might (unknown host).
  const certain: TomcatNode[] = [];
  const possible: TomcatNode[] = [];
  for (const n of model.nodes) {
    const same = sameHost(n.host, host);
    if (same === true) certain.push(n);
    else if (same === undefined) possible.push(n);
  }
  const nodes = certain.length > 0 ? certain : possible;
  // Every node is known to run elsewhere: a backend that was not linted.
  if (nodes.length === 0) return;
  // A connector whose port is not known (`${...}` unresolved) might be the one: do not guess.
  if ([...certain, ...possible].some((n) => n.connectors.some(unknownPort))) return;
  // A node whose server.xml could not be read is not in the model; it might be the one too.
  if (model.files.some((f) => f.kind === 'server.xml' && !model.nodes.some((n) => n.serverXml === f.path))) return;
  const assumed = certain.length === 0;
  const place = hostLabel(member, fe);
  // Connectors of the right protocol that no member of this front end reaches yet: what was probably meant.
  const taken = new Set<Connector>();
  for (const m of [...fe.balancers.flatMap((b) => b.members), ...fe.directMembers]) if (m.target) taken.add(m.target.connector);
  const listeners = [...certain, ...possible].flatMap((n) =>
    n.connectors
      .filter((c) => c.protocol === member.protocol && c.effectivePort !== undefined && c.effectivePort > 0 && !taken.has(c))
      .map((c) => ({ node: n, connector: c })),
  );
  const related: RelatedLocation[] = listeners.slice(0, 4).map(({ node, connector }) => ({
    span: connectorPortSpan(connector),
    message: `${node.name}'s ${upper(connector.protocol)} connector listens on ${connector.effectivePort}`,
  }));
  const proto = upper(member.protocol);
  const names = nodes.map((n) => n.name);
  const scope = assumed
    ? `no linted Tomcat has an ${proto} connector on port ${member.port.value} (${assumingHost(names, place)})`
    : possible.length > 0
      ? `no linted Tomcat that runs or may run on ${place} (${joinNames([...certain, ...possible].map((n) => n.name))}) has an ${proto} connector on port ${member.port.value}`
      : `no linted Tomcat on ${place} (${joinNames(names)}) has an ${proto} connector on port ${member.port.value}`;
  const runtime = balancer ? `${connectorName(member)} ${IN_ERROR}` : 'the connection is refused and the requests it serves fail';
  let fix: string;
  const only = listeners.length === 1 ? listeners[0] : undefined;
  if (only) fix = `Did you mean port ${only.connector.effectivePort} (${only.node.name}, ${fileLine(connectorPortSpan(only.connector), only.node.root)})? Fix the port here or the Connector's port`;
  else if (listeners.length === 0) fix = `Fix the port here, or add an ${proto} Connector on port ${member.port.value} to the Tomcat behind it`;
  else fix = `Point it at one of the ${proto} connectors no member uses yet (${listeners.map((l) => `${l.node.name}:${l.connector.effectivePort}`).join(', ')}), or fix the Connector's port`;
  report({
    span: member.port.span ?? member.host.span ?? member.span,
    message: `${memberLabel(member, true)} connects to ${member.host.value}:${member.port.value}, but ${scope}: ${runtime}. ${fix}.`,
    related,
    severity: assumed ? 'warning' : undefined,
  });
}

// ---------------------------------------------------------------- helpers

/** A port that is neither a number nor disabled/random: unresolved `${...}` or a bad offset. */
function unknownPort(c: Connector): boolean {
  if (c.effectivePort !== undefined) return false;
  return c.port.value === undefined || c.port.value > 0;
}

/** What a balancer does with a member it cannot use (design.md, "What real servers did"). */
const IN_ERROR = 'puts the member in error, so all traffic goes to the other members and failover to this node gives 503';

function upper(protocol: 'ajp' | 'http'): string {
  return protocol === 'ajp' ? 'AJP' : 'HTTP';
}

function connectorName(member: BalancerMember): string {
  return member.kind === 'jk2' ? 'mod_jk2' : member.kind === 'jk' ? 'mod_jk' : 'mod_proxy';
}

function hostLabel(member: BalancerMember, fe: FrontEnd): string {
  return isLoopback(member.host.value) ? `${fe.name}'s machine` : member.host.value;
}

/** mod_jk's `activation=S` / deprecated `stopped=true`: a member that never gets traffic. */
function jkStopped(fe: FrontEnd, member: BalancerMember): boolean {
  if (member.kind !== 'jk') return false;
  const props = fe.jk?.workers.get(member.name)?.properties;
  const activation = props?.get('activation')?.value.trim().toUpperCase();
  if (activation !== undefined && activation.startsWith('S')) return true;
  return jkBoolCode(props?.get('stopped')?.value.trim(), false);
}

function jkPreferIpv6(fe: FrontEnd, member: BalancerMember): boolean {
  return jkBoolCode(fe.jk?.workers.get(member.name)?.properties.get('prefer_ipv6')?.value.trim(), false);
}
