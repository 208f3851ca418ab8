import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import type { PropertyEntry } from '../parsers/syntax.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { FrontEnd, TomcatNode } from '../model/types.js';
import type { Report, Span } from '../types.js';
import type { Rule } from './api.js';
import { lastComponent } from './shared/jk-directives.js';

/**
 * A placeholder that resolves nowhere, so the server uses the literal text:
 * - `${name}` in server.xml or a context file, defined neither in `conf/catalina.properties`
 *   nor as `-Dname=` in `bin/setenv.*` (nor a JVM built-in). Tomcat keeps `${name}`; a
 *   numeric attribute then fails to convert and keeps its default (every node's shutdown
 *   port is 8005 again; a Connector keeps port -1 and does not start).
 * - `$(name)` in workers.properties, defined nowhere in the file. mod_jk then looks in
 *   httpd's environment; if that fails too the text stays literal (mod_jk 1.2.48–1.2.50
 *   read `port=$(AJP_PORT)` with atoi() as 0, and an lb member with port 0 is STOPPED).
 *
 * A node that configures its own Digester property source
 * (`-Dorg.apache.tomcat.util.digester.PROPERTY_SOURCE=…`, e.g. environment variables) can
 * resolve names this tool cannot see: its `${...}` are left alone.
 */
export const unresolvedVariable: Rule = {
  meta: {
    id: 'unresolved-variable',
    severity: 'warning',
    description: '`${...}` in Tomcat files or `$(...)` in workers.properties that resolves nowhere',
    catalogue: ['SRV-09', 'JK-11'],
  },
  check(model, report) {
    for (const node of model.nodes) checkNode(node, report);
    for (const fe of model.frontEnds) checkFrontEnd(fe, report);
  },
};

// ---------------------------------------------------------------- Tomcat

const PROPERTY_SOURCE = 'org.apache.tomcat.util.digester.PROPERTY_SOURCE';

/** Attributes Tomcat converts to a number (int/long setters) on the elements a cluster uses. */
const NUMERIC = new Set([
  'port',
  'portOffset',
  'redirectPort',
  'proxyPort',
  'connectionTimeout',
  'keepAliveTimeout',
  'maxThreads',
  'minSpareThreads',
  'acceptCount',
  'maxConnections',
  'packetSize',
  'maxPostSize',
  'maxParameterCount',
  'autoBind',
  'frequency',
  'dropTime',
  'ttl',
  'soTimeout',
  'selectorTimeout',
  'maxIdleTime',
  'timeout',
  'maxActiveSessions',
  'maxInactiveInterval',
  'processExpiresFrequency',
  'backgroundProcessorDelay',
  'startStopThreads',
  'utilityThreads',
  'mcastPort',
  'mcastFrequency',
  'mcastDropTime',
  'mcastTTL',
  'tcpListenPort',
  'tcpThreadCount',
  'tcpSelectorTimeout',
]);

function checkNode(node: TomcatNode, report: Report): void {
  if (node.unresolved.length === 0 || node.properties.has(PROPERTY_SOURCE)) return;
  const byValue = new Map<string, { el: XmlElement; attr: XmlAttribute }>();
  const roots = new Set<XmlElement>([node.serverElement]);
  for (const c of [...node.contexts, ...node.apps.flatMap((a) => a.contexts)]) roots.add(root(c.element));
  for (const r of roots) {
    const stack = [r];
    while (stack.length > 0) {
      const el = stack.pop()!;
      for (const a of el.attributes) byValue.set(key(a.valueSpan), { el, attr: a });
      stack.push(...el.children);
    }
  }

  // One finding per attribute, naming every unresolved placeholder in it.
  const grouped = new Map<string, { span: Span; names: string[] }>();
  for (const u of node.unresolved) {
    const k = key(u.span);
    const g = grouped.get(k) ?? { span: u.span, names: [] };
    if (!g.names.includes(u.name)) g.names.push(u.name);
    grouped.set(k, g);
  }
  for (const [k, g] of grouped) {
    const hit = byValue.get(k);
    const names = g.names.map((n) => `\`\${${n}}\``).join(', ');
    const effect = hit ? tomcatEffect(node, hit.el, hit.attr) : undefined;
    report({
      span: hit?.attr.span ?? g.span,
      message:
        `${names} is set neither in ${node.name}'s conf/catalina.properties nor by -D in bin/setenv, so Tomcat uses the literal text${effect ? `: ${effect}` : ''}. ` +
        `Define ${g.names.length === 1 ? 'it' : 'them'} there or write the value (unless -D${g.names[0]} comes from elsewhere, e.g. CATALINA_OPTS).`,
    });
  }
}

/** What the literal `${...}` text does in this attribute; undefined when nothing more is known. */
function tomcatEffect(node: TomcatNode, el: XmlElement, a: XmlAttribute): string | undefined {
  const name = a.name;
  const element = el.localName;
  if (NUMERIC.has(name)) {
    const head = `\`${name}\` is not a number and stays unset`;
    if (element === 'Server' && name === 'port') return `${head}, so the shutdown port stays 8005 (co-located nodes doing the same collide)`;
    if (element === 'Connector' && name === 'port') {
      if (versionAtLeast(node.version, 7) === true) return `${head}, so the connector keeps port -1 and does not start`;
      return `${head}: the connector gets no usable port (on 7.0+ it keeps -1 and does not start)`;
    }
    if (element === 'Receiver' && (name === 'port' || name === 'tcpListenPort')) return `${head}, so the receiver uses the default port 4000`;
    if (element === 'Membership' && (name === 'port' || name === 'mcastPort')) return `${head}, so the membership uses the default port 45564`;
    return `${head} (its default applies)`;
  }
  if (element === 'Engine' && name === 'jvmRoute') {
    return `session IDs end in ".${a.value}", which no front-end route matches, so stickiness breaks`;
  }
  if (element === 'Connector' && name === 'address') {
    return '`address` cannot be resolved and stays unset, so the connector listens on its default address (all interfaces; AJP on 9.0.31/8.5.51/7.0.100+: loopback)';
  }
  if (element === 'Connector' && (name === 'secret' || name === 'requiredSecret')) {
    return 'it becomes the AJP secret, so a front end that sends the real one gets 403';
  }
  if ((element === 'Membership' || element === 'Receiver') && (name === 'address' || name === 'bind' || name === 'mcastAddr' || name === 'mcastBindAddress' || name === 'tcpListenAddress')) {
    return `it cannot be resolved as an address, so the ${element === 'Membership' ? 'membership' : 'receiver'} does not start`;
  }
  return undefined;
}

function root(el: XmlElement): XmlElement {
  let r = el;
  while (r.parent) r = r.parent;
  return r;
}

// ---------------------------------------------------------------- mod_jk

function checkFrontEnd(fe: FrontEnd, report: Report): void {
  const jk = fe.jk;
  if (!jk || jk.unresolved.length === 0) return;
  const entries: PropertyEntry[] = jk.entries ?? jk.document.entries;
  for (const u of jk.unresolved) {
    const entry = entries.find((e) => contains(e.valueSpan, u.span));
    const effect = jkEffect(entry ? lastComponent(entry.key) : undefined, entry?.key);
    report({
      span: u.span,
      message:
        `\`$(${u.name})\` is not defined in ${fe.name}'s workers file, so unless httpd's environment sets it, mod_jk uses the literal text` +
        `${effect ? `: ${effect}` : ''}. Define \`${u.name}=…\` in the file before its first use, or write the value.`,
    });
  }
}

function jkEffect(directive: string | undefined, fullKey: string | undefined): string | undefined {
  switch (directive) {
    case 'port':
      return 'the port reads as 0 (mod_jk 1.2.48–1.2.50), and a balancer member with port 0 is STOPPED and gets no traffic (a worker used directly cannot connect)';
    case 'host':
      return 'mod_jk cannot resolve the host ("can\'t resolve tomcat address") and the worker gets no traffic';
    case 'route':
    case 'jvm_route':
      return 'it becomes the route, which matches no jvmRoute, so stickiness breaks';
    case 'secret':
      return 'it is sent as the AJP secret and Tomcat answers 403';
    case 'balance_workers':
    case 'balanced_workers':
    case 'list':
      return 'it is taken as a worker name that does not exist';
    case undefined:
      return undefined;
    default:
      return fullKey && !fullKey.startsWith('worker.') ? `the variable \`${fullKey}\` holds it` : `\`${fullKey ?? directive}\` gets it (a number reads as 0)`;
  }
}

function contains(outer: Span, inner: Span): boolean {
  if (outer.file !== inner.file) return false;
  const after = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const before = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return after && before;
}

function key(span: Span): string {
  return `${span.file}:${span.line}:${span.column}:${span.endLine}:${span.endColumn}`;
}
