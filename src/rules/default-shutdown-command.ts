import { isLoopback } from '../model/link.js';
import type { Rule } from './api.js';
import { attr } from './shared/xml.js';

/**
 * An enabled shutdown port (`<Server port>` other than -1) that accepts the well-known
 * command `SHUTDOWN` (written, or the default when `shutdown` is absent). Anyone who can
 * open a TCP connection to that port — every local user and process on that host, and
 * more when `address` is not a loopback address — stops Tomcat by sending one word.
 * `catalina.sh stop` reads the command from the same server.xml, so changing it costs
 * nothing; `port="-1"` disables the port (then stop Tomcat with a signal).
 */
export const defaultShutdownCommand: Rule = {
  meta: {
    id: 'default-shutdown-command',
    severity: 'warning',
    description: 'An enabled shutdown port with the well-known command `SHUTDOWN`',
  },
  check(model, report) {
    for (const node of model.nodes) {
      const sd = node.shutdown;
      if (!sd) continue;
      const port = sd.port.value;
      if (port === -1) continue;
      if (sd.command.value !== 'SHUTDOWN') continue;
      const address = attr(node.serverElement, 'address')?.value.trim();
      const remote = address !== undefined && address !== '' && !address.includes('${') && !isLoopback(address);
      const who = remote ? `anyone who reaches ${address}:${port ?? 8005}` : `any user or process on its host (localhost:${port ?? 8005})`;
      const written = sd.command.span !== undefined;
      report({
        span: sd.command.span ?? node.serverElement.startTagSpan,
        message:
          `${node.name}'s shutdown port accepts ${written ? 'the well-known' : 'the default'} command "SHUTDOWN"${written ? '' : ' (`shutdown` is not set)'}: ` +
          `${who} can stop Tomcat with it. Set \`shutdown\` to a long random string (catalina.sh stop reads it from server.xml), or disable the port with \`port="-1"\`.`,
      });
    }
  },
};
