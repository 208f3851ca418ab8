import type { Connector, TomcatVersion } from '../model/types.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { RelatedLocation, Severity } from '../types.js';
import type { Rule } from './api.js';
import { place } from './missing-distributable.js';

/**
 * Whether an AJP connector requires a secret by default on this version: `secretRequired`
 * (default true) arrived in 9.0.31, 8.5.51 and 7.0.100 (February 2020); 8.0 and older never had
 * it. Undefined when the version does not decide (unknown, or "9.0" without a patch level).
 */
export function secretRequiredByDefault(v: TomcatVersion): boolean | undefined {
  if (versionAtLeast(v, 10) === true || versionAtLeast(v, 9, 0, 31) === true) return true;
  if (versionAtLeast(v, 7, 0, 100) === false) return false;
  if (v.major === 9) return versionAtLeast(v, 9, 0, 31);
  if (v.major === 8) {
    if (v.minor === undefined) return undefined;
    return v.minor < 5 ? false : versionAtLeast(v, 8, 5, 51);
  }
  if (v.major === 7) return versionAtLeast(v, 7, 0, 100);
  return undefined;
}

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
        const list = forwarders.get(c) ?? [];
        list.push({ span: member.span, message: `${frontEnd.name} forwards here (${place(frontEnd.root, member.span)})` });
        forwarders.set(c, list);
      }
      for (const connector of node.connectors) {
        if (connector.protocol !== 'ajp') continue;
        // `secretRequired="false"` (or anything but "true": Java reads it with Boolean.valueOf).
        if (connector.secretRequired && !connector.secretRequired.value) continue;
        const secret = connector.secret?.value;
        if (secret !== undefined && secret !== '') continue;
        const byDefault = secretRequiredByDefault(node.version);
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
          : `\`secretRequired\` defaults to true (Tomcat 9.0.31, 8.5.51, 7.0.100 and later${
              assumed ? `; the Tomcat version of ${node.name} is unknown, so this is assumed` : ''
            })`;
        const none = secret === '' ? 'an empty `secret`' : 'no `secret`';
        const users = forwarded ? 'requests the front end forwards to it hang' : 'nothing can reach the node over AJP';
        report({
          span: connector.span,
          message: `This AJP connector of ${node.name} has ${none} while ${why}: it does not start ("The AJP Connector is configured with secretRequired="true" but the secret attribute is either null or """) and ${users}. Set \`secret\` here and the same secret on the front end, or \`secretRequired="false"\` if the port is reachable only from trusted hosts.`,
          related,
          severity,
        });
      }
    }
  },
};
