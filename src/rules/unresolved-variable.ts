import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import type { PropertyEntry } from '../parsers/syntax.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { FrontEnd, TomcatNode } from '../model/types.js';
import type { Report, Span } from '../types.js';
import type { Rule } from './api.js';

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
    const effect = hit ? tomcatEffect(node, hit.el, hit.attr) : 'Tomcat uses the literal text';
    report({
      span: hit?.attr.span ?? g.span,
      message:
        `${names} is defined neither in conf/catalina.properties nor as a -D option in bin/setenv: ${effect}. ` +
        `Define ${g.names.length === 1 ? 'it' : 'them'} in ${node.name}'s conf/catalina.properties or bin/setenv, or write the value ` +
        `(if the start-up passes -D${g.names[0]}=… some other way, e.g. CATALINA_OPTS in a container, this does not apply).`,
    });
  }
}

function tomcatEffect(node: TomcatNode, el: XmlElement, a: XmlAttribute): string {
  const name = a.name;
  const element = el.localName;
  const literal = `Tomcat keeps the literal "${a.value}"`;
  if (NUMERIC.has(name)) {
    const head = `${literal}, which is not a number, so \`${name}\` is not set (a "failed to set property" warning)`;
    if (element === 'Server' && name === 'port') return `${head} and the shutdown port stays 8005 — on every node that does the same, so co-located nodes collide`;
    if (element === 'Connector' && name === 'port') {
      if (versionAtLeast(node.version, 7) === true) {
        return `${head}: the connector keeps port -1 and does not start ("The connector cannot start since the specified port value of [-1] is invalid")`;
      }
      return `${head}: the connector gets no usable port (on 7.0+ it keeps -1 and does not start)`;
    }
    if (element === 'Receiver' && (name === 'port' || name === 'tcpListenPort')) return `${head} and the receiver uses the default port 4000`;
    if (element === 'Membership' && (name === 'port' || name === 'mcastPort')) return `${head} and the membership uses the default port 45564`;
    return `${head} and its default applies`;
  }
  if (element === 'Engine' && name === 'jvmRoute') {
    return `${literal} as the route: session IDs end in ".${a.value}", which no front-end route matches, so stickiness breaks`;
  }
  if (element === 'Connector' && name === 'address') {
    return `Tomcat cannot resolve the literal "${a.value}" as an address, so \`address\` is not set and the connector listens on its default address (all interfaces; for AJP on 9.0.31/8.5.51/7.0.100+ the loopback address)`;
  }
  if (element === 'Connector' && (name === 'secret' || name === 'requiredSecret')) {
    return `${literal} as the AJP secret: a front end that sends the real secret gets 403`;
  }
  if ((element === 'Membership' || element === 'Receiver') && (name === 'address' || name === 'bind' || name === 'mcastAddr' || name === 'mcastBindAddress' || name === 'tcpListenAddress')) {
    return `${literal} and cannot resolve it as an address when the cluster starts, so the ${element === 'Membership' ? 'membership' : 'receiver'} does not start`;
  }
  return literal;
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
    const directive = entry ? lastSegment(entry.key) : undefined;
    report({
      span: u.span,
      message:
        `\`$(${u.name})\` is not defined in ${fe.name}'s workers file: mod_jk looks for it in httpd's environment next, and if it is not set there the text stays literal — ` +
        `${jkEffect(directive, entry?.key)}. Define \`${u.name}=…\` in the workers file (before its first use), or write the value.`,
    });
  }
}

function jkEffect(directive: string | undefined, fullKey: string | undefined): string {
  switch (directive) {
    case 'port':
      return 'mod_jk 1.2.48–1.2.50 read the port with atoi() as 0, and a load-balancer member with port 0 is set to STOPPED and gets no traffic (a worker used directly cannot connect)';
    case 'host':
      return 'mod_jk cannot resolve the literal host ("can\'t resolve tomcat address") and disables the worker\'s contact, so it gets no traffic';
    case 'route':
    case 'jvm_route':
      return 'the literal becomes the route, which matches no jvmRoute, so stickiness breaks';
    case 'secret':
      return 'the literal is sent as the AJP secret and Tomcat answers 403';
    case 'balance_workers':
    case 'balanced_workers':
    case 'list':
      return 'the literal is taken as a worker name that does not exist';
    case undefined:
      return 'the literal is used';
    default:
      return fullKey && !fullKey.startsWith('worker.') ? `the variable \`${fullKey}\` holds the literal text` : `\`${fullKey ?? directive}\` gets the literal text (a number is read as 0)`;
  }
}

function lastSegment(k: string): string {
  return k.slice(k.lastIndexOf('.') + 1);
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
