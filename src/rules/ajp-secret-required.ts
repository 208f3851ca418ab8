import type { Connector } from '../model/types.js';
import type { RelatedLocation, Severity } from '../types.js';
import type { Rule } from './api.js';
import { pushTo } from './shared/collections.js';
import { fileLine } from './shared/text.js';
import { ajpHardenedByDefault } from './shared/version.js';

export const ajpSecretRequired: Rule = {
  meta: {
    id: 'ajp-secret-required',
    severity: 'error',
    description: 'An AJP connector on Tomcat 9.0.31 / 8.5.51 / 7.0.100 or later with no secret while secretRequired is not false: it does not start',
    catalogue: ['SRV-02'],
  },
  check(model, report) {
    for (const node of model.nodes) {
      // Front-end members by the connector they reach, built once per node.
      const forwarders = new Map<Connector, RelatedLocation[]>();
      for (const { frontEnd, member } of model.index.membersByNode.get(node.id) ?? []) {
        const c = member.target?.connector;
        if (!c) continue;
        pushTo(forwarders, c, { span: member.span, message: `${frontEnd.name} forwards here (${fileLine(member.span, frontEnd.root)})` });
      }
      for (const connector of node.connectors) {
        if (connector.protocol !== 'ajp') continue;
        // `secretRequired="false"` (or anything but "true": Java reads it with Boolean.valueOf).
        if (connector.secretRequired && !connector.secretRequired.value) continue;
        const secret = connector.secret?.value;
        if (secret !== undefined && secret !== '') continue;
        const byDefault = ajpHardenedByDefault(node.version);
        // Written out as "true", the attribute exists on this Tomcat (older ones do not know it).
        const explicit = connector.secretRequired?.value === true;
        if (!explicit && byDefault === false) continue;
        const assumed = !explicit && byDefault === undefined;
        const severity: Severity = assumed ? 'warning' : 'error';

        const related: RelatedLocation[] = [...(forwarders.get(connector) ?? [])];
        const forwarded = related.length > 0;
        if (connector.secret?.span) related.push({ span: connector.secret.span, message: 'the empty secret' });

        const why = explicit
          ? '`secretRequired="true"`'
          : `\`secretRequired\` defaults to true (since 9.0.31/8.5.51/7.0.100${assumed ? `; assumed: ${node.name}'s version is unknown` : ''})`;
        const none = secret === '' ? 'an empty `secret`' : 'no `secret`';
        const users = forwarded ? 'requests the front end forwards to it hang' : 'nothing can reach the node over AJP';
        report({
          span: connector.span,
          message:
            `${node.name}'s AJP connector has ${none} while ${why}: it does not start and ${users}. ` +
            `Set \`secret\` here and on the front end, or \`secretRequired="false"\` if only trusted hosts reach the port.`,
          related,
          severity,
        });
      }
    }
  },
};
