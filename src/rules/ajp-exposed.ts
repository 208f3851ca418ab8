import { versionAtLeast } from '../model/tomcat.js';
import type { TomcatVersion } from '../model/types.js';
import type { Rule } from './api.js';
import { describeVersion } from './cluster-class-version.js';

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
      const loopbackDefault = ajpDefaultsToLoopback(node.version);
      for (const c of node.connectors) {
        if (c.protocol !== 'ajp') continue;
        const port = c.port.value;
        if (port === undefined || port <= 0) continue;
        if (c.secret && c.secret.value !== '') continue;

        const address = c.address?.value.trim();
        let open: 'default' | 'explicit' | undefined;
        if (address === undefined) open = loopbackDefault === false ? 'default' : undefined;
        else if (isWildcard(address)) open = 'explicit';
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
            ? `has no \`address\`, and on ${describeVersion(node)} an AJP connector then listens on all interfaces (loopback became the default only in 9.0.31, 8.5.51 and 7.0.100)`
            : `listens on all interfaces (\`address="${address}"\`)`;
        const secret = optedOut ? ' and `secretRequired="false"` turns the secret check off' : ' and requires no secret';
        report({
          span: open === 'explicit' && c.address?.span ? c.address.span : c.span,
          message:
            `${node.name}'s AJP connector on port ${port} ${where}${secret}: anyone who can reach the port can send requests Tomcat trusts ` +
            `(a forged client address, and reading the web application's files on releases before the Ghostcat fix, CVE-2020-1938). ` +
            `Bind it to the address the front end uses (e.g. \`address="127.0.0.1"\` when httpd runs on the same host) and set a \`secret\` shared with the front end.`,
        });
      }
    }
  },
};

/** The AJP connector's default address became loopback in 9.0.31, 8.5.51 and 7.0.100; undefined when the version does not decide. */
export function ajpDefaultsToLoopback(v: TomcatVersion): boolean | undefined {
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

function isWildcard(address: string): boolean {
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return a === '0.0.0.0' || a === '::' || a === '0:0:0:0:0:0:0:0' || a === '::0' || a === '*';
}
