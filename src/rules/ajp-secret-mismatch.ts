import type { Balancer, BalancerMember, Connector, FrontEnd, TomcatNode } from '../model/types.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { connectorSecretSpan } from './shared/spans.js';
import { capitalize, fileLine, hasPlaceholder, joinNames, memberLabel, ownerAt, spanKey } from './shared/text.js';

/** How the user names the secret on this kind of front end. */
function secretName(member: BalancerMember): string {
  switch (member.kind) {
    case 'jk':
      return `\`worker.${member.name}.secret\` (or \`secret\` on its lb worker)`;
    case 'jk2':
      return `\`secretkey\` on \`[${member.name}]\``;
    default:
      return '`secret=` on the BalancerMember or ProxyPass (httpd 2.4.42 or later)';
  }
}

interface Pending {
  fe: FrontEnd;
  member: BalancerMember;
  /** The mod_jk lb whose `secret` the member inherits (and which is reported), if so. */
  lb: Balancer | undefined;
  members: Set<BalancerMember>;
  span: Span;
  missing: boolean;
  targets: Map<Connector, TomcatNode>;
  assumed: boolean;
}

export const ajpSecretMismatch: Rule = {
  meta: {
    id: 'ajp-secret-mismatch',
    severity: 'error',
    description: 'An AJP connector that requires a secret the front end does not send, or sends differently',
    catalogue: ['SRV-03', 'PXB-03'],
  },
  check(model, report) {
    const pending = new Map<string, Pending>();
    for (const fe of model.frontEnds) {
      // Each member's balancer, once (a member list may be long: never search it per member).
      const balancerOf = new Map<BalancerMember, Balancer>();
      for (const b of fe.balancers) for (const m of b.members) if (!balancerOf.has(m)) balancerOf.set(m, b);
      const members = new Set<BalancerMember>([...balancerOf.keys(), ...fe.directMembers]);
      for (const member of members) {
        // Undefined workers belong to undefined-worker; HTTP members send no AJP secret.
        if (!member.defined || member.protocol !== 'ajp' || !member.target) continue;
        const { node, connector, via } = member.target;
        if (connector.protocol !== 'ajp') continue;
        const required = connector.secret?.value;
        // Tomcat checks the secret only when it is set and not empty (AjpProcessor).
        if (required === undefined || required === '' || hasPlaceholder(required)) continue;
        const sent = member.secret?.value;
        if (sent !== undefined && hasPlaceholder(sent)) continue;
        if (sent === required) continue;
        const missing = sent === undefined || sent === '';
        // Report where the front end is edited: the secret it sends, else the member's definition.
        const span = !missing && member.secret?.span ? member.secret.span : member.span;
        const key = `${spanKey(span)}|${missing}`;
        const assumed = via === 'port-only' && node.host.source === 'unknown';
        // mod_jk members without their own secret inherit the lb's (the same located value).
        const own = balancerOf.get(member);
        const lb = own?.secret !== undefined && member.secret === own.secret ? own : undefined;
        const p = pending.get(key);
        if (p) {
          p.targets.set(connector, node);
          p.members.add(member);
          p.assumed &&= assumed;
        } else {
          pending.set(key, { fe, member, lb, members: new Set([member]), span, missing, targets: new Map([[connector, node]]), assumed });
        }
      }
    }

    for (const p of pending.values()) {
      const targets = [...p.targets].map(([connector, node]) => ({ node, connector }));
      const related: RelatedLocation[] = targets.map(({ node, connector }) => {
        const span = connectorSecretSpan(connector);
        return { span, message: `the secret of ${node.name}'s AJP connector (${fileLine(span, node.root)})` };
      });
      const nodes = joinNames(targets.map(({ node, connector }) => ownerAt(node, connectorSecretSpan(connector))));
      const connectors = targets.length > 1 ? 'the AJP connectors of' : 'the AJP connector of';
      const inheritors = joinNames([...p.members].map((m) => `\`${m.name}\``));
      const sender = p.lb
        ? `the \`secret\` of lb worker \`${p.lb.name}\` (inherited by ${inheritors})`
        : `the AJP secret ${memberLabel(p.member)} sends`;
      const what = p.missing
        ? `${memberLabel(p.member, true)} sends no AJP secret, but ${connectors} ${nodes} ${targets.length > 1 ? 'require' : 'requires'} one`
        : `${capitalize(sender)} differs from the \`secret\` of ${connectors} ${nodes}`;
      // Observed with mod_proxy_ajp (httpd 2.4.71): the member stays "Init Ok" and httpd logs nothing.
      const quiet = p.member.kind === 'proxy' ? ' (silently: the member stays "Init Ok")' : '';
      const effect = `Tomcat answers every request forwarded there with 403${quiet}`;
      const target = p.lb ? `\`worker.${p.lb.name}.secret\`` : secretName(p.member);
      const fix = p.missing ? `Set ${target} to the connector's \`secret\`.` : `Make ${target} equal to the connector's \`secret\`.`;
      let message = `${what}: ${effect}. ${fix}`;
      let severity: Severity | undefined;
      if (p.assumed) {
        severity = 'warning';
        message += ` (Matched by port only, assuming ${joinNames([...new Set(targets.map((t) => t.node.name))])} and ${p.fe.name} run on one host; declare hosts with --host to be sure.)`;
      }
      report({ span: p.span, message, related, ...(severity ? { severity } : {}) });
    }
  },
};
