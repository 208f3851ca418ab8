import type { Rule } from './api.js';
import { isWildcardAddress } from './shared/addresses.js';
import { ajpHardenedByDefault, describeVersion } from './shared/version.js';

/**
 * An AJP connector that listens on every interface and does not require a secret
 * (Ghostcat, CVE-2020-1938): whoever reaches the port can send AJP requests that Tomcat
 * trusts — forged remote addresses and authenticated users, and on unpatched versions
 * reading any file of the web application.
 *
 * "Every interface": `address` absent where that is the default (before 9.0.31, 8.5.51,
 * 7.0.100, which made the loopback address the default), or written as `0.0.0.0` / `::`.
 * "No required secret": no non-empty `secret` (`requiredSecret` up to 10.1,
 * `request.secret` up to 6.0). On 9.0.31/8.5.51/7.0.100+ such a connector only starts with
 * `secretRequired="false"`; otherwise it does not start at all (`ajp-secret-required`).
 * Unknown versions are left alone unless the text alone decides.
 */
export const ajpExposed: Rule = {
  meta: {
    id: 'ajp-exposed',
    severity: 'warning',
    description: 'An AJP connector open on all interfaces without a required secret (Ghostcat, CVE-2020-1938)',
    catalogue: ['SRV-02'],
  },
  check(model, report) {
    for (const node of model.nodes) {
      const loopbackDefault = ajpHardenedByDefault(node.version);
      for (const c of node.connectors) {
        if (c.protocol !== 'ajp') continue;
        const port = c.port.value;
        if (port === undefined || port <= 0) continue;
        if (c.secret && c.secret.value !== '') continue;

        const address = c.address?.value.trim();
        let open: 'default' | 'explicit' | undefined;
        if (address === undefined) open = loopbackDefault === false ? 'default' : undefined;
        else if (isWildcardAddress(address)) open = 'explicit';
        if (!open) continue;

        // Since 9.0.31/8.5.51/7.0.100 a connector without secret starts only with secretRequired="false".
        const optedOut = c.secretRequired !== undefined && c.secretRequired.value === false;
        if (!optedOut && loopbackDefault !== false) {
          // New version (or unknown): without an explicit secretRequired="false" the connector
          // does not start (ajp-secret-required), or we cannot tell whether it would.
          continue;
        }

        const where =
          open === 'default'
            ? `has no \`address\`, which on ${describeVersion(node)} means all interfaces,`
            : `listens on all interfaces (\`address="${address}"\`)`;
        const secret = optedOut ? ' and `secretRequired="false"` turns the secret check off' : ' and requires no secret';
        report({
          span: open === 'explicit' && c.address?.span ? c.address.span : c.span,
          message:
            `${node.name}'s AJP connector on port ${port} ${where}${secret}: anyone who reaches the port can forge requests Tomcat trusts (Ghostcat, CVE-2020-1938). ` +
            `Set \`address\` (e.g. "127.0.0.1") and a \`secret\` shared with the front end.`,
        });
      }
    }
  },
};
