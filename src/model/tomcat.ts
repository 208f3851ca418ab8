/**
 * One Tomcat node: server.xml, context files, web.xml files, catalina.properties and
 * setenv read together into a `TomcatNode` with effective values.
 *
 * Version and dialect differences are resolved here, once (domain-rules §1.1–1.3):
 * Tomcat 5.x `org.apache.catalina.cluster.*` against 6+ `ha`/`tribes`, the 5.x attribute
 * names that 6.0/7.0 still map and 8.0+ silently ignore, the defaults of every piece.
 *
 * Pure: reads only the inputs discovery handed over (never the file system) and never
 * throws on odd input — a missing or non-numeric value becomes `undefined`.
 */
import type { Span } from '../types.js';
import type { DiscoveredFile, TomcatInput } from '../discover/types.js';
import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import { LineIndex } from '../parsers/source.js';
import type { ParseCache } from './parse-cache.js';
import type {
  ClassRef,
  ClusterConfig,
  ClusterGeneration,
  Connector,
  ContextScope,
  ContextSource,
  Located,
  Membership,
  Receiver,
  ShutdownPort,
  StaticMember,
  TomcatNode,
  TomcatVersion,
  WebApp,
} from './types.js';

// ---------------------------------------------------------------- constants

export const DEFAULT_MCAST_ADDRESS = '228.0.0.4';
export const DEFAULT_MCAST_PORT = 45564;
export const DEFAULT_MCAST_FREQUENCY = 500;
export const DEFAULT_MCAST_DROP_TIME = 3000;
export const DEFAULT_RECEIVER_ADDRESS = 'auto';
export const DEFAULT_RECEIVER_PORT = 4000;
export const DEFAULT_RECEIVER_AUTOBIND = 100;
export const DEFAULT_SHUTDOWN_PORT = 8005;
export const DEFAULT_SHUTDOWN_COMMAND = 'SHUTDOWN';

export const CLUSTER_CLASS_5X = 'org.apache.catalina.cluster.tcp.SimpleTcpCluster';
export const CLUSTER_CLASS_6 = 'org.apache.catalina.ha.tcp.SimpleTcpCluster';
export const DELTA_MANAGER_5X = 'org.apache.catalina.cluster.session.DeltaManager';
export const DELTA_MANAGER_6 = 'org.apache.catalina.ha.session.DeltaManager';

/** 5.5 "defaultMode" (a Cluster without Membership/Receiver children): TC55 cluster-howto. */
const DEFAULT_MODE_5X = { address: '228.0.0.4', port: 8012, frequency: 1000, dropTime: 30000, receiverPort: 8015, receiverMaxPort: 8019 };

/** JVM and Tomcat properties that are always defined at run time (never "unresolved"). */
const BUILTIN_PROPERTIES = new Set([
  'catalina.base',
  'catalina.home',
  'catalina.useNaming',
  'user.dir',
  'user.home',
  'user.name',
  'java.io.tmpdir',
  'java.home',
  'java.version',
  'java.vendor',
  'java.class.path',
  'java.library.path',
  'file.separator',
  'line.separator',
  'path.separator',
  'file.encoding',
  'os.name',
  'os.arch',
  'os.version',
]);

/** 5.x McastService names that the tribes McastService maps on 6.0/7.0 and no longer knows from 8.0. */
const LEGACY_MEMBERSHIP: Record<string, 'address' | 'port' | 'frequency' | 'ttl' | 'soTimeout'> = {
  mcastAddr: 'address',
  mcastPort: 'port',
  mcastFrequency: 'frequency',
  mcastTTL: 'ttl',
  mcastSoTimeout: 'soTimeout',
};
const LEGACY_MEMBERSHIP_DEFAULT: Record<string, string> = {
  mcastAddr: `the default ${DEFAULT_MCAST_ADDRESS} applies`,
  mcastPort: `the default ${DEFAULT_MCAST_PORT} applies`,
  mcastFrequency: `the default ${DEFAULT_MCAST_FREQUENCY} ms applies`,
  mcastTTL: 'the default TTL applies',
  mcastSoTimeout: 'the default socket timeout applies',
};
/** 5.x Receiver names that 6.0/7.0 map (deprecated aliases in ReceiverBase) and 8.0+ ignore. */
const LEGACY_RECEIVER: Record<string, 'address' | 'port' | 'maxThreads' | 'selectorTimeout'> = {
  tcpListenAddress: 'address',
  tcpListenPort: 'port',
  tcpThreadCount: 'maxThreads',
  tcpSelectorTimeout: 'selectorTimeout',
};
const LEGACY_RECEIVER_DEFAULT: Record<string, string> = {
  tcpListenAddress: `the default address "${DEFAULT_RECEIVER_ADDRESS}" applies`,
  tcpListenPort: `the default port ${DEFAULT_RECEIVER_PORT} applies`,
  tcpThreadCount: 'the default thread count applies',
  tcpSelectorTimeout: 'the default selector timeout applies',
};
/** 5.x Cluster attributes (and 5.5 defaultMode prefixes) the 6+ SimpleTcpCluster has no property for from 8.0. */
const LEGACY_CLUSTER_ATTRS = new Set(['managerClassName', 'useDirtyFlag', 'expireSessionsOnShutdown', 'notifyListenersOnReplication']);
const LEGACY_CLUSTER_PREFIXES = ['manager.', 'service.', 'receiver.', 'sender.', 'valve.', 'listener.'];

// ---------------------------------------------------------------- public API

/**
 * Builds the node, or undefined when server.xml has no usable root (its parse problems
 * are in the cache already) or the root is not `<Server>`.
 */
export function buildTomcatNode(input: TomcatInput, cache: ParseCache): TomcatNode | undefined {
  const doc = cache.xml(input.serverXml);
  const server = doc.root;
  if (!server || server.localName !== 'Server') return undefined;

  const root = normPath(input.root);
  const vars = new Variables(root);
  for (const f of input.setenv) readSetenv(f, vars);
  if (input.catalinaProperties) readJavaProperties(input.catalinaProperties, vars);

  // Context files and web.xml files, parsed once; only usable roots count.
  const contextDocs = input.contextFiles
    .map((file) => ({ file, root: cache.xml(file).root }))
    .filter((c): c is { file: DiscoveredFile; root: XmlElement } => c.root?.localName === 'Context');
  const metaDocs = input.metaInfContexts
    .map((m) => ({ file: m.file, appDir: m.appDir, root: cache.xml(m.file).root }))
    .filter((c): c is { file: DiscoveredFile; appDir: string; root: XmlElement } => c.root?.localName === 'Context');
  const webDocs = input.webXmls
    .map((w) => ({ file: w.file, appDir: w.appDir, root: cache.xml(w.file).root }))
    .filter((c): c is { file: DiscoveredFile; appDir: string; root: XmlElement } => c.root !== undefined);

  const unresolved: TomcatNode['unresolved'] = [];
  for (const el of [server, ...contextDocs.map((c) => c.root), ...metaDocs.map((c) => c.root)]) {
    collectUnresolved(el, vars, unresolved);
  }

  const get = (el: XmlElement | undefined, name: string): Attr | undefined => (el ? readAttr(el, name, vars) : undefined);

  const version = inferVersion(input, server, webDocs.map((w) => w.root), get);

  // Ports.
  const offsetAttr = get(server, 'portOffset');
  const offsetValue = offsetAttr ? parseIntStrict(offsetAttr.value) : undefined;
  const portOffset: Located<number> = { value: offsetValue ?? 0, span: offsetAttr?.span };
  const offset = portOffsetApplies(version) === false ? 0 : portOffset.value;
  const withOffset = (port: number | undefined): number | undefined =>
    port !== undefined && port > 0 ? port + offset : undefined;

  const shutdown = buildShutdown(server, get, withOffset);

  const services = childrenNamed(server, 'Service');
  const connectors: Connector[] = [];
  for (const service of services) {
    for (const c of childrenNamed(service, 'Connector')) connectors.push(buildConnector(c, input.serverXml.path, version, get, withOffset));
  }

  // Engine of the first Service.
  const engineEl = services[0] ? childNamed(services[0], 'Engine') : undefined;
  let engine: TomcatNode['engine'];
  if (engineEl) {
    const routeAttr = get(engineEl, 'jvmRoute');
    let jvmRoute: Located<string> | undefined =
      routeAttr && routeAttr.value.trim() !== '' ? { value: routeAttr.value, span: routeAttr.span } : undefined;
    // Before 10.1.0-M17 an Engine without the attribute took the `jvmRoute` system property.
    if (!routeAttr && versionAtLeast(version, 10, 1) !== true) {
      const prop = vars.known.get('jvmRoute');
      if (prop && prop.value.trim() !== '') jvmRoute = prop;
    }
    engine = { name: get(engineEl, 'name')?.value ?? '', jvmRoute, element: engineEl, span: engineEl.startTagSpan };
  }

  // Cluster: Engine level, else the first Host-level one.
  let cluster: ClusterConfig | undefined;
  if (engineEl) {
    const engineCluster = childNamed(engineEl, 'Cluster');
    if (engineCluster) cluster = buildCluster(engineCluster, 'engine', version, get);
    else {
      for (const host of childrenNamed(engineEl, 'Host')) {
        const hostCluster = childNamed(host, 'Cluster');
        if (hostCluster) {
          cluster = buildCluster(hostCluster, 'host', version, get);
          break;
        }
      }
    }
  }

  const { apps, contexts } = buildApps(input, root, server, contextDocs, metaDocs, webDocs, get);

  return {
    id: input.id,
    name: input.name,
    root: input.root,
    serverXml: input.serverXml.path,
    host: { name: input.declaredHost ?? '', source: input.declaredHost ? 'declared' : 'unknown' },
    version,
    portOffset,
    shutdown,
    connectors,
    engine,
    cluster,
    apps,
    contexts,
    properties: vars.known,
    unresolved,
    serverElement: server,
  };
}

/**
 * Whether the version is at least major.minor.patch: true/false when the evidence decides,
 * undefined when it does not (unknown version, or "9.0" asked about 9.0.31).
 */
export function versionAtLeast(v: TomcatVersion, major: number, minor = 0, patch = 0): boolean | undefined {
  const target = [major, minor, patch];
  const known = [v.major, v.minor, v.patch];
  for (let i = 0; i < 3; i++) {
    const k = known[i];
    const t = target[i]!;
    if (k === undefined) {
      if (i > 0 && target.slice(i).every((x) => x === 0)) return true;
      break;
    }
    if (k > t) return true;
    if (k < t) return false;
    if (i === 2) return true;
  }
  const lo = parseBound(v.atLeast);
  if (lo && compareTriples(fillBound(lo, 0), target) >= 0) return true;
  const hi = parseBound(v.atMost);
  if (hi && compareTriples(fillBound(hi, Infinity), target) < 0) return false;
  return undefined;
}

/** The node's Tomcat generation: from its version, else from its cluster's class names. */
export function effectiveGeneration(node: Pick<TomcatNode, 'version' | 'cluster'>): ClusterGeneration | undefined {
  const v = node.version;
  if (v.generation) return v.generation;
  if (v.major !== undefined) return v.major <= 5 ? '5.x' : '6+';
  return node.cluster?.generation;
}

/** `${name}` references in a value (name as written, default part removed). */
export function variableNames(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(/\$\{([^}]*)\}/g)) out.push(splitDefault(m[1] ?? '').name);
  return out;
}

// ---------------------------------------------------------------- variables

class Variables {
  readonly known = new Map<string, Located<string>>();
  constructor(readonly root: string) {}

  lookup(name: string): string | undefined {
    const k = this.known.get(name);
    if (k) return k.value;
    if (name === 'catalina.base' || name === 'catalina.home') return this.root;
    return undefined;
  }

  isDefined(name: string): boolean {
    return this.known.has(name) || BUILTIN_PROPERTIES.has(name);
  }

  /** Tomcat's `IntrospectionUtils.replaceProperties`: unknown names stay literal. */
  substitute(value: string, depth = 0): string {
    if (!value.includes('${')) return value;
    let out = '';
    let i = 0;
    while (i < value.length) {
      const start = value.indexOf('${', i);
      if (start < 0) break;
      const end = value.indexOf('}', start + 2);
      if (end < 0) break;
      out += value.slice(i, start);
      const { name, fallback } = splitDefault(value.slice(start + 2, end));
      const found = this.lookup(name);
      if (found !== undefined) out += depth < 5 ? this.substitute(found, depth + 1) : found;
      else if (!this.isDefined(name) && fallback !== undefined) out += fallback;
      else out += value.slice(start, end + 1);
      i = end + 1;
    }
    return out + value.slice(i);
  }
}

function splitDefault(inner: string): { name: string; fallback: string | undefined } {
  const sep = inner.indexOf(':-');
  if (sep < 0) return { name: inner, fallback: undefined };
  return { name: inner.slice(0, sep), fallback: inner.slice(sep + 2) };
}

function collectUnresolved(top: XmlElement, vars: Variables, out: TomcatNode['unresolved']): void {
  const stack = [top];
  while (stack.length > 0) {
    const el = stack.pop()!;
    for (const a of el.attributes) {
      if (!a.value.includes('${')) continue;
      for (const m of a.value.matchAll(/\$\{([^}]*)\}/g)) {
        const { name, fallback } = splitDefault(m[1] ?? '');
        if (!vars.isDefined(name) && fallback === undefined) out.push({ name, span: a.valueSpan });
      }
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
}

/** `-Dname=value` / `-Dname="value"` in bin/setenv.sh or setenv.bat. Later definitions win. */
function readSetenv(file: DiscoveredFile, vars: Variables): void {
  const text = file.source.text;
  const index = new LineIndex(file.source.file, text);
  const re = /(^|[\s"'(=])-D([A-Za-z_][\w.-]*)=(?:\\"([^"\\]*)\\"|"([^"]*)"|'([^']*)'|([^\s"']*))/g;
  for (let line = 0; line < index.lineCount; line++) {
    const start = index.lineStarts[line]!;
    const next = index.lineStarts[line + 1] ?? text.length;
    const body = text.slice(start, next).replace(/[\r\n]+$/, '');
    const trimmed = body.trimStart();
    if (trimmed.startsWith('#') || /^@?rem(\s|$)/i.test(trimmed) || trimmed.startsWith('::')) continue;
    for (const m of body.matchAll(re)) {
      const name = m[2]!;
      const value = m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
      const from = start + m.index + m[1]!.length;
      const to = start + m.index + m[0].length;
      vars.known.set(name, { value, span: index.span(from, to) });
    }
  }
}

/**
 * conf/catalina.properties as `java.util.Properties.load` reads it: `#`/`!` comment lines,
 * `key=value`, `key:value` or `key value`, backslash continuations and escapes.
 * Read here rather than through the mod_jk-style properties parser, whose rules differ.
 */
function readJavaProperties(file: DiscoveredFile, vars: Variables): void {
  const text = file.source.text;
  const index = new LineIndex(file.source.file, text);
  let line = 0;
  while (line < index.lineCount) {
    const lineStart = index.lineStarts[line]!;
    // Gather one logical line (continuations end with an odd number of backslashes).
    let logical = '';
    let endOffset = lineStart;
    let first = true;
    for (;;) {
      const s = index.lineStarts[line]!;
      const e = contentEnd(text, index, line);
      let body = text.slice(s, e);
      if (!first) body = body.replace(/^[ \t\f]+/, '');
      line++;
      const trailing = /\\+$/.exec(body)?.[0].length ?? 0;
      const isComment = first && /^[ \t\f]*[#!]/.test(body);
      first = false;
      if (trailing % 2 === 1 && !isComment && line < index.lineCount) {
        logical += body.slice(0, -1);
        endOffset = e;
        continue;
      }
      logical += body;
      endOffset = e;
      break;
    }
    const lead = /^[ \t\f]*/.exec(logical)![0].length;
    const rest = logical.slice(lead);
    if (rest === '' || rest.startsWith('#') || rest.startsWith('!')) continue;
    let k = 0;
    let key = '';
    while (k < rest.length) {
      const c = rest[k]!;
      if (c === '\\' && k + 1 < rest.length) {
        key += rest.slice(k, k + 2);
        k += 2;
        continue;
      }
      if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') break;
      key += c;
      k++;
    }
    let v = k;
    while (v < rest.length && /[ \t\f]/.test(rest[v]!)) v++;
    if (v < rest.length && (rest[v] === '=' || rest[v] === ':')) v++;
    while (v < rest.length && /[ \t\f]/.test(rest[v]!)) v++;
    const name = unescapeJava(key);
    if (name === '') continue;
    const keyStart = lineStart + lead;
    vars.known.set(name, { value: unescapeJava(rest.slice(v)), span: index.span(keyStart, Math.max(keyStart, endOffset)) });
  }
}

function contentEnd(text: string, index: LineIndex, line: number): number {
  const next = index.lineStarts[line + 1];
  if (next === undefined) return text.length;
  let end = next;
  if (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 13) end--;
  return end;
}

function unescapeJava(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c === 'f' ? '\f' : c;
  });
}

// ---------------------------------------------------------------- attribute access

interface Attr {
  /** Value after `${}` substitution. */
  value: string;
  attr: XmlAttribute;
  /** `name="value"` as a whole. */
  span: Span;
}

type Get = (el: XmlElement | undefined, name: string) => Attr | undefined;

function readAttr(el: XmlElement, name: string, vars: Variables): Attr | undefined {
  const attr = el.attributes.find((a) => a.name === name);
  if (!attr) return undefined;
  return { value: vars.substitute(attr.value), attr, span: attr.span };
}

function located(a: Attr | undefined): Located<string> | undefined {
  return a ? { value: a.value, span: a.span } : undefined;
}

function locatedInt(a: Attr | undefined, fallback: number | undefined): Located<number | undefined> {
  return a ? { value: parseIntStrict(a.value), span: a.span } : { value: fallback, span: undefined };
}

/** Java `Boolean.valueOf`: only "true" (any case) is true. */
function locatedBool(a: Attr | undefined): Located<boolean> | undefined {
  return a ? { value: /^true$/i.test(a.value), span: a.span } : undefined;
}

function parseIntStrict(s: string): number | undefined {
  const t = s.trim();
  if (!/^[+-]?\d{1,10}$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

function childrenNamed(el: XmlElement, localName: string): XmlElement[] {
  return el.children.filter((c) => c.localName === localName);
}

function childNamed(el: XmlElement | undefined, localName: string): XmlElement | undefined {
  return el?.children.find((c) => c.localName === localName);
}

function classRef(el: XmlElement, get: Get): ClassRef {
  const a = get(el, 'className');
  return { className: a ? { value: a.value, span: a.span } : { value: '', span: undefined }, element: el, span: el.startTagSpan };
}

function endsWithClass(className: string | undefined, simpleName: string): boolean {
  return className !== undefined && (className === simpleName || className.endsWith('.' + simpleName));
}

// ---------------------------------------------------------------- version

type Triple = [number, number | undefined, number | undefined];
interface Range {
  lo: Triple | undefined;
  hi: Triple | undefined;
}
interface Evidence extends Range {
  what: string;
}

function parseBound(s: string | undefined): Triple | undefined {
  const m = s ? /^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(s) : null;
  if (!m) return undefined;
  return [Number(m[1]), m[2] === undefined ? undefined : Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
}

function fillBound(t: Triple, fill: number): number[] {
  return [t[0], t[1] ?? fill, t[2] ?? fill];
}

function compareTriples(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function boundText(t: Triple): string {
  return t.filter((x) => x !== undefined).join('.');
}

function intersect(a: Range, b: Range): Range | undefined {
  const lo = !a.lo ? b.lo : !b.lo ? a.lo : compareTriples(fillBound(a.lo, 0), fillBound(b.lo, 0)) >= 0 ? a.lo : b.lo;
  const hi =
    !a.hi ? b.hi : !b.hi ? a.hi : compareTriples(fillBound(a.hi, Infinity), fillBound(b.hi, Infinity)) <= 0 ? a.hi : b.hi;
  if (lo && hi && compareTriples(fillBound(lo, 0), fillBound(hi, Infinity)) > 0) return undefined;
  return { lo, hi };
}

const at = (s: string): Triple => parseBound(s)!;

/** Listener and other class names in server.xml whose presence bounds the version. */
const CLASS_HINTS: { className: string; lo?: string; hi?: string; what: string }[] = [
  { className: 'org.apache.catalina.core.AprLifecycleListener', lo: '5.5', what: 'AprLifecycleListener (5.5+)' },
  { className: 'org.apache.catalina.core.JreMemoryLeakPreventionListener', lo: '6.0', what: 'JreMemoryLeakPreventionListener (6.0+)' },
  { className: 'org.apache.catalina.core.ThreadLocalLeakPreventionListener', lo: '6.0', what: 'ThreadLocalLeakPreventionListener (6.0+)' },
  { className: 'org.apache.catalina.security.SecurityListener', lo: '7.0', what: 'SecurityListener (7.0+)' },
  { className: 'org.apache.catalina.startup.VersionLoggerListener', lo: '7.0', what: 'VersionLoggerListener (7.0.60+/8.0+)' },
  { className: 'org.apache.catalina.mbeans.ServerLifecycleListener', hi: '6.0', what: 'ServerLifecycleListener (removed in 7.0)' },
  { className: 'org.apache.catalina.core.JasperListener', hi: '7.0', what: 'JasperListener (removed in 8.0)' },
  { className: 'org.apache.coyote.http11.Http11Nio2Protocol', lo: '8.0', what: 'Http11Nio2Protocol (8.0+)' },
  { className: 'org.apache.coyote.ajp.AjpNio2Protocol', lo: '8.0', what: 'AjpNio2Protocol (8.0+)' },
  { className: 'org.apache.coyote.http2.Http2Protocol', lo: '8.5', what: 'Http2Protocol (8.5+)' },
];

function inferVersion(input: TomcatInput, server: XmlElement, webRoots: XmlElement[], get: Get): TomcatVersion {
  if (input.declaredVersion !== undefined && input.declaredVersion.trim() !== '') {
    const written = input.declaredVersion.trim();
    const t = parseBound(written);
    return finish(t ? { lo: t, hi: t } : { lo: undefined, hi: undefined }, 'declared', `declared ${written}`, written);
  }

  // Sources in priority order; a later one only narrows what the earlier ones allow.
  const tiers: Evidence[][] = [releaseNotesEvidence(input.layoutHints.releaseNotes), jarEvidence(input.layoutHints.jarNames)];
  const files: Evidence[] = [];
  const cluster: Evidence[] = [];
  const stack = [server];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const el = stack.pop()!;
    for (const name of ['className', 'protocol']) {
      const cls = el.attributes.find((a) => a.name === name)?.value;
      if (!cls || seen.has(cls)) continue;
      seen.add(cls);
      const hint = CLASS_HINTS.find((h) => h.className === cls);
      if (hint) files.push({ lo: hint.lo ? at(hint.lo) : undefined, hi: hint.hi ? at(hint.hi) : undefined, what: hint.what });
      if (cls.startsWith('org.apache.catalina.cluster.') && !cluster.some((c) => c.hi)) {
        cluster.push({ lo: at('5.0'), hi: at('5.5'), what: '5.x cluster classes in server.xml' });
      } else if ((cls.startsWith('org.apache.catalina.ha.') || cls.startsWith('org.apache.catalina.tribes.')) && !cluster.some((c) => c.lo?.[0] === 6)) {
        cluster.push({ lo: at('6.0'), hi: undefined, what: 'ha/tribes cluster classes in server.xml (6+)' });
      }
    }
    stack.push(...el.children);
  }
  if (get(server, 'portOffset')) files.push({ lo: at('8.5.76'), hi: undefined, what: 'Server portOffset (9.0.13+/8.5.76+)' });
  for (const w of webRoots) {
    const ns = w.attributes.find((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:'))?.value ?? '';
    if (/jakarta\.ee\/xml\/ns\/jakartaee/.test(ns)) {
      files.push({ lo: at('10.0'), hi: undefined, what: 'Jakarta EE namespace in web.xml (10.0+)' });
      break;
    }
  }
  tiers.push(files, cluster);

  let range: Range = { lo: undefined, hi: undefined };
  const used: string[] = [];
  for (const tier of tiers) {
    // Evidence inside one tier must agree; a tier that contradicts what is known is dropped.
    let tierRange: Range | undefined = { lo: undefined, hi: undefined };
    for (const e of tier) tierRange = tierRange && intersect(tierRange, e);
    if (!tierRange || tier.length === 0) continue;
    const next = intersect(range, tierRange);
    if (!next) continue;
    range = next;
    used.push(...tier.map((e) => e.what));
  }
  if (!range.lo && !range.hi) return finish(range, 'unknown', undefined, undefined);
  return finish(range, 'inferred', used.join('; '), undefined);
}

function releaseNotesEvidence(text: string | undefined): Evidence[] {
  const m = text ? /(?:Apache|Jakarta)?\s*Tomcat\s+Version\s+(\d+)\.(\d+)(?:\.(\d+))?/i.exec(text) : null;
  if (!m) return [];
  const t: Triple = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  return [{ lo: t, hi: t, what: `RELEASE-NOTES (${boundText(t)})` }];
}

function jarEvidence(jarNames: string[]): Evidence[] {
  const out: Evidence[] = [];
  const add = (e: Evidence) => {
    if (!out.some((o) => o.what === e.what)) out.push(e);
  };
  for (const raw of jarNames) {
    const j = raw.replace(/\\/g, '/');
    const base = j.slice(j.lastIndexOf('/') + 1);
    const exact = /^(?:lib|bin)\/(?:tomcat|catalina)[\w-]*?-(\d+)\.(\d+)\.(\d+)\.jar$/.exec(j);
    if (exact) {
      const t: Triple = [Number(exact[1]), Number(exact[2]), Number(exact[3])];
      add({ lo: t, hi: t, what: j });
    } else if (/^server\/lib\//.test(j) || base === 'catalina-cluster.jar' || /^common\/lib\//.test(j)) {
      add({ lo: at('5.0'), hi: at('5.5'), what: `${j} (5.x layout)` });
    } else if (/^lib\/catalina-(ha|tribes)\.jar$/.test(j) || j === 'lib/catalina.jar') {
      add({ lo: at('6.0'), hi: undefined, what: `${j} (6+)` });
    } else if (/^lib\/jakartaee-migration/.test(j)) {
      add({ lo: at('10.0'), hi: undefined, what: `${j} (10.0+)` });
    } else if (j === 'lib/jaspic-api.jar') {
      add({ lo: at('8.5'), hi: undefined, what: `${j} (8.5+)` });
    } else if (j === 'lib/websocket-api.jar' || j === 'lib/tomcat-websocket.jar') {
      add({ lo: at('7.0'), hi: undefined, what: `${j} (7.0+)` });
    }
  }
  return out;
}

function finish(range: Range, source: TomcatVersion['source'], evidence: string | undefined, written: string | undefined): TomcatVersion {
  const { lo, hi } = range;
  let major: number | undefined;
  let minor: number | undefined;
  let patch: number | undefined;
  if (lo && hi && lo[0] === hi[0]) {
    major = lo[0];
    if (lo[1] !== undefined && lo[1] === hi[1]) {
      minor = lo[1];
      if (lo[2] !== undefined && lo[2] === hi[2]) patch = lo[2];
    }
  }
  // A 5.x bound (5.0–5.5) fixes the major version only.
  let version: string | undefined = written;
  if (version === undefined && major !== undefined && minor !== undefined) version = patch !== undefined ? `${major}.${minor}.${patch}` : `${major}.${minor}`;
  let generation: ClusterGeneration | undefined;
  if (lo && lo[0] >= 6) generation = '6+';
  else if (hi && hi[0] <= 5) generation = '5.x';
  else if (major !== undefined) generation = major <= 5 ? '5.x' : '6+';
  const exact = major !== undefined && minor !== undefined;
  return {
    version,
    major,
    minor,
    patch,
    source,
    evidence,
    generation,
    atLeast: !exact && lo ? boundText(lo) : undefined,
    atMost: !exact && hi ? boundText(hi) : undefined,
  };
}

/** Server@portOffset exists from 9.0.13 and 8.5.76; older versions ignore the attribute. */
function portOffsetApplies(v: TomcatVersion): boolean | undefined {
  if (v.major === 8 && v.minor === 5) return versionAtLeast(v, 8, 5, 76);
  if (v.major === 9) return versionAtLeast(v, 9, 0, 13);
  return versionAtLeast(v, 8, 5);
}

/** True when 6+ tribes no longer accepts the 5.x attribute names (no setters from 8.0); undefined = unknown. */
function legacyNamesIgnored(v: TomcatVersion): boolean | undefined {
  return versionAtLeast(v, 8, 0);
}

// ---------------------------------------------------------------- ports and connectors

function buildShutdown(server: XmlElement, get: Get, withOffset: (p: number | undefined) => number | undefined): ShutdownPort {
  const portAttr = get(server, 'port');
  const port = locatedInt(portAttr, DEFAULT_SHUTDOWN_PORT);
  const cmdAttr = get(server, 'shutdown');
  return {
    port,
    effectivePort: withOffset(port.value),
    command: cmdAttr ? { value: cmdAttr.value, span: cmdAttr.span } : { value: DEFAULT_SHUTDOWN_COMMAND, span: undefined },
    span: portAttr?.span ?? server.startTagSpan,
  };
}

function buildConnector(
  el: XmlElement,
  file: string,
  version: TomcatVersion,
  get: Get,
  withOffset: (p: number | undefined) => number | undefined,
): Connector {
  const protocolAttr = get(el, 'protocol') ?? get(el, 'protocolHandlerClassName');
  const classAttr = get(el, 'className');
  const isAjp = (s: string | undefined) =>
    s !== undefined && (/^AJP\//i.test(s.trim()) || /\.ajp\./i.test(s) || /JkCoyoteHandler$/.test(s) || /(^|\.)Ajp\w*(Protocol|Connector)$/.test(s));
  const protocol: Connector['protocol'] = isAjp(protocolAttr?.value) || isAjp(classAttr?.value) ? 'ajp' : 'http';
  const port = locatedInt(get(el, 'port'), undefined);

  // `secret` (9.0.31/8.5.51/7.0.100+), `requiredSecret` (until 10.1), `request.secret` (up to 6.0).
  let secret = located(get(el, 'secret'));
  if (!secret && versionAtLeast(version, 11) !== true) secret = located(get(el, 'requiredSecret'));
  if (!secret && versionAtLeast(version, 7) !== true) secret = located(get(el, 'request.secret'));

  return {
    protocol,
    protocolAttr: located(protocolAttr),
    port,
    effectivePort: withOffset(port.value),
    address: located(get(el, 'address')),
    secret,
    secretRequired: locatedBool(get(el, 'secretRequired')),
    element: el,
    file,
    span: el.startTagSpan,
  };
}

// ---------------------------------------------------------------- cluster

function buildCluster(el: XmlElement, level: 'engine' | 'host', version: TomcatVersion, get: Get): ClusterConfig {
  const classAttr = get(el, 'className');
  const versionGen = version.generation ?? (version.major !== undefined ? (version.major <= 5 ? '5.x' : '6+') : undefined);
  let generation: ClusterGeneration;
  if (classAttr) generation = classAttr.value.startsWith('org.apache.catalina.cluster.') ? '5.x' : '6+';
  else generation = versionGen ?? '6+';
  const className: Located<string> = classAttr
    ? { value: classAttr.value, span: classAttr.span }
    : { value: generation === '5.x' ? CLUSTER_CLASS_5X : CLUSTER_CLASS_6, span: undefined };

  const ignored: ClusterConfig['ignored'] = [];
  const valves = childrenNamed(el, 'Valve').map((v) => classRef(v, get));
  const listeners = childrenNamed(el, 'ClusterListener').map((v) => classRef(v, get));
  const deployerEl = childNamed(el, 'Deployer');
  const deployer = deployerEl ? classRef(deployerEl, get) : undefined;

  const parts = generation === '5.x' ? cluster5x(el, get, ignored) : cluster6(el, version, get, ignored);
  return {
    className,
    generation,
    level,
    membership: parts.membership,
    receiver: parts.receiver,
    manager: parts.manager,
    valves,
    listeners,
    interceptors: parts.interceptors,
    deployer,
    ignored,
    element: el,
    span: el.startTagSpan,
  };
}

interface ClusterParts {
  membership: Membership;
  receiver: Receiver;
  manager: Located<string>;
  interceptors: ClassRef[];
}

function cluster5x(el: XmlElement, get: Get, ignored: ClusterConfig['ignored']): ClusterParts {
  const membershipEl = childNamed(el, 'Membership');
  const receiverEl = childNamed(el, 'Receiver');
  const managerAttr = get(el, 'managerClassName') ?? get(el, 'manager.className');
  const manager: Located<string> = managerAttr ? { value: managerAttr.value, span: managerAttr.span } : { value: DELTA_MANAGER_5X, span: undefined };

  let membership: Membership;
  if (membershipEl) {
    const cls = get(membershipEl, 'className')?.value;
    if (cls !== undefined && !endsWithClass(cls, 'McastService')) {
      membership = { kind: 'other', className: cls, element: membershipEl, span: membershipEl.startTagSpan };
    } else {
      // 5.5 McastService has no defaults: missing attributes make the cluster fail to start (TC-05).
      for (const name of ['address', 'port', 'bind', 'frequency', 'dropTime']) {
        const a = get(membershipEl, name);
        if (a) ignored.push({ what: name, reason: `Tomcat 5.x McastService has no "${name}" property (6.0+ name); 5.5 ignores it silently`, span: a.span });
      }
      const addr = get(membershipEl, 'mcastAddr');
      membership = {
        kind: 'multicast',
        address: addr ? { value: addr.value, span: addr.span } : { value: '', span: undefined },
        port: locatedInt(get(membershipEl, 'mcastPort'), undefined),
        bind: located(get(membershipEl, 'mcastBindAddress')),
        frequency: optionalInt(get(membershipEl, 'mcastFrequency')),
        dropTime: optionalInt(get(membershipEl, 'mcastDropTime')),
        element: membershipEl,
        span: membershipEl.startTagSpan,
        ignoredAttributes: [],
      };
    }
  } else {
    // 5.5 defaultMode, tunable through `service.*` Cluster attributes.
    const addr = get(el, 'service.mcastAddr');
    membership = {
      kind: 'multicast',
      address: addr ? { value: addr.value, span: addr.span } : { value: DEFAULT_MODE_5X.address, span: undefined },
      port: locatedInt(get(el, 'service.mcastPort'), DEFAULT_MODE_5X.port),
      bind: located(get(el, 'service.mcastBindAddress')),
      frequency: locatedInt(get(el, 'service.mcastFrequency'), DEFAULT_MODE_5X.frequency),
      dropTime: locatedInt(get(el, 'service.mcastDropTime'), DEFAULT_MODE_5X.dropTime),
      element: undefined,
      span: el.startTagSpan,
      ignoredAttributes: [],
    };
  }

  let receiver: Receiver;
  if (receiverEl) {
    for (const name of ['address', 'port', 'autoBind']) {
      const a = get(receiverEl, name);
      if (a) ignored.push({ what: name, reason: `Tomcat 5.x Receiver has no "${name}" property (6.0+ name); 5.5 ignores it silently`, span: a.span });
    }
    const cls = get(receiverEl, 'className')?.value;
    const addr = get(receiverEl, 'tcpListenAddress');
    const port = locatedInt(get(receiverEl, 'tcpListenPort'), undefined);
    let autoBind = 1;
    if (endsWithClass(cls, 'SocketReplicationListener')) {
      const max = optionalInt(get(receiverEl, 'tcpListenMaxPort'))?.value;
      if (max !== undefined && port.value !== undefined && max >= port.value) autoBind = max - port.value + 1;
    }
    receiver = {
      address: addr ? { value: addr.value, span: addr.span } : { value: DEFAULT_RECEIVER_ADDRESS, span: undefined },
      port,
      autoBind,
      element: receiverEl,
      span: receiverEl.startTagSpan,
    };
  } else {
    const addr = get(el, 'receiver.tcpListenAddress');
    const port = locatedInt(get(el, 'receiver.tcpListenPort'), DEFAULT_MODE_5X.receiverPort);
    const maxAttr = get(el, 'receiver.tcpListenMaxPort');
    const max = maxAttr ? parseIntStrict(maxAttr.value) : port.value === undefined ? undefined : port.value + (DEFAULT_MODE_5X.receiverMaxPort - DEFAULT_MODE_5X.receiverPort);
    receiver = {
      address: addr ? { value: addr.value, span: addr.span } : { value: DEFAULT_RECEIVER_ADDRESS, span: undefined },
      port,
      autoBind: max !== undefined && port.value !== undefined && max >= port.value ? max - port.value + 1 : 1,
      element: undefined,
      span: el.startTagSpan,
    };
  }
  return { membership, receiver, manager, interceptors: [] };
}

function optionalInt(a: Attr | undefined): Located<number | undefined> | undefined {
  return a ? { value: parseIntStrict(a.value), span: a.span } : undefined;
}

function cluster6(el: XmlElement, version: TomcatVersion, get: Get, ignored: ClusterConfig['ignored']): ClusterParts {
  const legacyIgnored = legacyNamesIgnored(version);
  const dropLegacy = legacyIgnored !== false;
  const since =
    legacyIgnored === true
      ? 'ignored from Tomcat 8.0 on'
      : 'ignored from Tomcat 8.0 on (the Tomcat version is unknown: assuming 8.0 or later)';

  // 5.x nesting: Membership/Receiver/Sender directly under Cluster has no Digester rule on 6+.
  for (const child of el.children) {
    if (child.localName === 'Membership' || child.localName === 'Receiver' || child.localName === 'Sender') {
      ignored.push({
        what: child.localName,
        reason: `<${child.localName}> directly under <Cluster> is ignored on Tomcat 6+ (it belongs in <Channel>); the defaults apply`,
        span: child.startTagSpan,
      });
    }
  }
  // 5.x Cluster attributes.
  if (dropLegacy) {
    for (const a of el.attributes) {
      if (LEGACY_CLUSTER_ATTRS.has(a.name) || LEGACY_CLUSTER_PREFIXES.some((p) => a.name.startsWith(p))) {
        ignored.push({
          what: a.name,
          reason: `the Tomcat 5.x Cluster attribute "${a.name}" is ${since}; configure a nested <Manager> instead`,
          span: a.span,
        });
      }
    }
  }

  const managerEl = childNamed(el, 'Manager');
  const managerAttr = get(managerEl, 'className');
  const manager: Located<string> = managerAttr
    ? { value: managerAttr.value, span: managerAttr.span }
    : { value: DELTA_MANAGER_6, span: managerEl?.startTagSpan };

  const channel = childNamed(el, 'Channel');
  const interceptorEls = channel ? childrenNamed(channel, 'Interceptor') : [];
  const interceptors = interceptorEls.map((i) => classRef(i, get));
  const membershipEl = childNamed(channel, 'Membership');
  const receiverEl = childNamed(channel, 'Receiver');

  // Membership.
  let membership: Membership;
  const staticInterceptor = interceptorEls.find((i) => endsWithClass(get(i, 'className')?.value, 'StaticMembershipInterceptor'));
  const membershipClass = get(membershipEl, 'className')?.value;
  if (staticInterceptor) {
    membership = {
      kind: 'static',
      members: childrenNamed(staticInterceptor, 'Member').map((m) => staticMember(m, get)),
      element: staticInterceptor,
      span: staticInterceptor.startTagSpan,
    };
  } else if (membershipEl && endsWithClass(membershipClass, 'StaticMembershipService')) {
    membership = {
      kind: 'static',
      members: childrenNamed(membershipEl, 'Member').map((m) => staticMember(m, get)),
      element: membershipEl,
      span: membershipEl.startTagSpan,
    };
  } else if (membershipEl && membershipClass !== undefined && !endsWithClass(membershipClass, 'McastService')) {
    membership = { kind: 'other', className: membershipClass, element: membershipEl, span: membershipEl.startTagSpan };
  } else {
    membership = multicast6(membershipEl, el, get, dropLegacy, since, ignored);
  }

  // Receiver.
  let address: Located<string> = { value: DEFAULT_RECEIVER_ADDRESS, span: undefined };
  let port: Located<number | undefined> = { value: DEFAULT_RECEIVER_PORT, span: undefined };
  let autoBind = DEFAULT_RECEIVER_AUTOBIND;
  if (receiverEl) {
    for (const a of receiverEl.attributes) {
      const legacy = LEGACY_RECEIVER[a.name];
      if (legacy && dropLegacy) {
        ignored.push({ what: a.name, reason: `Receiver "${a.name}" is ${since}; ${LEGACY_RECEIVER_DEFAULT[a.name]}`, span: a.span });
        continue;
      }
      const target = legacy ?? a.name;
      const value = get(receiverEl, a.name)!;
      if (target === 'address' || target === 'host') address = { value: value.value, span: value.span };
      else if (target === 'port') port = { value: parseIntStrict(value.value), span: value.span };
      else if (target === 'autoBind') {
        const n = parseIntStrict(value.value);
        if (n !== undefined) autoBind = n <= 0 ? 1 : n;
      }
    }
  }
  const receiver: Receiver = {
    address,
    port,
    autoBind,
    element: receiverEl,
    span: receiverEl?.startTagSpan ?? el.startTagSpan,
  };
  return { membership, receiver, manager, interceptors };
}

function multicast6(
  membershipEl: XmlElement | undefined,
  clusterEl: XmlElement,
  get: Get,
  dropLegacy: boolean,
  since: string,
  ignored: ClusterConfig['ignored'],
): Membership {
  let address: Located<string> = { value: DEFAULT_MCAST_ADDRESS, span: undefined };
  let port: Located<number | undefined> = { value: DEFAULT_MCAST_PORT, span: undefined };
  let frequency: Located<number | undefined> = { value: DEFAULT_MCAST_FREQUENCY, span: undefined };
  let dropTime: Located<number | undefined> = { value: DEFAULT_MCAST_DROP_TIME, span: undefined };
  let bind: Located<string> | undefined;
  const ignoredAttributes: string[] = [];
  if (membershipEl) {
    // Attributes apply in document order, as the Digester sets them: the last writer wins.
    for (const a of membershipEl.attributes) {
      const legacy = LEGACY_MEMBERSHIP[a.name];
      if (legacy && dropLegacy) {
        ignoredAttributes.push(a.name);
        ignored.push({ what: a.name, reason: `Membership "${a.name}" is ${since}; ${LEGACY_MEMBERSHIP_DEFAULT[a.name]}`, span: a.span });
        continue;
      }
      const target = legacy ?? a.name;
      const v = get(membershipEl, a.name)!;
      switch (target) {
        case 'address':
          address = { value: v.value, span: v.span };
          break;
        case 'port':
          port = { value: parseIntStrict(v.value), span: v.span };
          break;
        case 'frequency':
          frequency = { value: parseIntStrict(v.value), span: v.span };
          break;
        case 'dropTime':
        case 'mcastDropTime':
          dropTime = { value: parseIntStrict(v.value), span: v.span };
          break;
        case 'bind':
        case 'mcastBindAddress':
          bind = { value: v.value, span: v.span };
          break;
        default:
          break;
      }
    }
  }
  return {
    kind: 'multicast',
    address,
    port,
    bind,
    frequency,
    dropTime,
    element: membershipEl,
    span: membershipEl?.startTagSpan ?? clusterEl.startTagSpan,
    ignoredAttributes,
  };
}

function staticMember(el: XmlElement, get: Get): StaticMember {
  const host = get(el, 'host');
  return {
    host: host ? { value: host.value, span: host.span } : { value: '', span: undefined },
    port: locatedInt(get(el, 'port'), undefined),
    uniqueId: get(el, 'uniqueId')?.value,
    span: el.startTagSpan,
  };
}

// ---------------------------------------------------------------- apps and contexts

interface HostInfo {
  engine: string;
  name: string;
  appBase: string;
  element: XmlElement;
}

interface AppEntry {
  app: WebApp;
  dir: string;
  host: string | undefined;
}

interface ScopedSource {
  source: ContextSource;
  /** Host the source is limited to; undefined = any host. */
  host: string | undefined;
}

const SCOPE_ORDER: ContextScope[] = ['global', 'host-default', 'meta-inf', 'host-app', 'server-xml'];

function buildApps(
  input: TomcatInput,
  root: string,
  server: XmlElement,
  contextDocs: { file: DiscoveredFile; root: XmlElement }[],
  metaDocs: { file: DiscoveredFile; appDir: string; root: XmlElement }[],
  webDocs: { file: DiscoveredFile; appDir: string; root: XmlElement }[],
  get: Get,
): { apps: WebApp[]; contexts: ContextSource[] } {
  const hosts: HostInfo[] = [];
  for (const service of childrenNamed(server, 'Service')) {
    for (const engine of childrenNamed(service, 'Engine')) {
      const engineName = get(engine, 'name')?.value ?? '';
      for (const host of childrenNamed(engine, 'Host')) {
        const appBase = get(host, 'appBase')?.value ?? 'webapps';
        hosts.push({ engine: engineName, name: get(host, 'name')?.value ?? '', appBase: resolvePath(root, appBase), element: host });
      }
    }
  }

  const entries: AppEntry[] = [];
  const byDir = new Map<string, AppEntry>();
  const appFor = (appDir: string): AppEntry => {
    const dir = normPath(appDir);
    const found = byDir.get(dir);
    if (found) return found;
    const parent = dirOf(dir);
    const host = hosts.find((h) => h.appBase === parent);
    const name = baseOf(dir);
    const entry: AppEntry = {
      app: {
        name,
        contextPath: contextPathOf(name),
        dir: appDir,
        webXml: undefined,
        distributable: false,
        webXmlSpan: undefined,
        webXmlElement: undefined,
        contexts: [],
        fragments: [],
      },
      dir,
      host: host?.name,
    };
    byDir.set(dir, entry);
    entries.push(entry);
    return entry;
  };

  for (const w of webDocs) {
    if (w.root.localName !== 'web-app') continue;
    const entry = appFor(w.appDir);
    if (entry.app.webXml !== undefined) continue;
    entry.app.webXml = w.file.path;
    entry.app.distributable = w.root.children.some((c) => c.localName === 'distributable');
    entry.app.webXmlSpan = w.root.startTagSpan;
    entry.app.webXmlElement = w.root;
  }
  for (const w of webDocs) {
    if (w.root.localName !== 'web-fragment') continue;
    // A fragment sits somewhere inside its app (WEB-INF/lib/x.jar!/META-INF or an unpacked copy).
    const path = normPath(w.file.path);
    let owner: AppEntry | undefined;
    for (const e of entries) if (path.startsWith(e.dir + '/') && (!owner || e.dir.length > owner.dir.length)) owner = e;
    owner ??= appFor(w.appDir);
    owner.app.fragments.push({
      file: w.file.path,
      distributable: w.root.children.some((c) => c.localName === 'distributable'),
      span: w.root.startTagSpan,
    });
  }

  const sources: ScopedSource[] = [];
  for (const c of contextDocs) {
    const place = classifyContextFile(c.file.path, root);
    sources.push({ source: contextSource(c.file.path, c.root, place.scope, place.contextPath, get), host: place.host });
  }
  const metaSources: { entry: AppEntry; source: ContextSource }[] = [];
  for (const m of metaDocs) {
    const entry = appFor(m.appDir);
    metaSources.push({ entry, source: contextSource(m.file.path, m.root, 'meta-inf', entry.app.contextPath, get) });
  }
  for (const h of hosts) {
    for (const ctx of childrenNamed(h.element, 'Context')) {
      sources.push({ source: contextSource(input.serverXml.path, ctx, 'server-xml', serverXmlContextPath(ctx, get), get), host: h.name });
    }
  }

  for (const e of entries) {
    const applying: ContextSource[] = [];
    for (const s of sources) {
      const src = s.source;
      if (s.host !== undefined && e.host !== undefined && s.host !== e.host) continue;
      if ((src.scope === 'host-app' || src.scope === 'server-xml') && src.contextPath !== e.app.contextPath) continue;
      applying.push(src);
    }
    for (const m of metaSources) if (m.entry === e) applying.push(m.source);
    // Stable sort: weakest scope first, file order within a scope.
    e.app.contexts = applying
      .map((source, i) => ({ source, i }))
      .sort((a, b) => SCOPE_ORDER.indexOf(a.source.scope) - SCOPE_ORDER.indexOf(b.source.scope) || a.i - b.i)
      .map((x) => x.source);
  }

  const nodeContexts = sources.map((s) => s.source).filter((s) => s.scope === 'global' || s.scope === 'host-default');
  nodeContexts.sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope));
  return { apps: entries.map((e) => e.app), contexts: nodeContexts };
}

function contextSource(file: string, el: XmlElement, scope: ContextScope, contextPath: string | undefined, get: Get): ContextSource {
  const managerEl = childNamed(el, 'Manager');
  let manager: ContextSource['manager'];
  if (managerEl) {
    const cls = get(managerEl, 'className');
    manager = {
      className: cls ? { value: cls.value, span: cls.span } : { value: undefined, span: undefined },
      element: managerEl,
      span: managerEl.startTagSpan,
    };
  }
  return {
    file,
    scope,
    contextPath: scope === 'global' || scope === 'host-default' ? undefined : contextPath,
    manager,
    distributable: locatedBool(get(el, 'distributable')),
    element: el,
    span: el.startTagSpan,
  };
}

function classifyContextFile(path: string, root: string): { scope: ContextScope; contextPath: string | undefined; host: string | undefined } {
  const p = normPath(path);
  const rel = p.startsWith(root + '/') ? p.slice(root.length + 1) : undefined;
  if (rel !== undefined) {
    if (rel === 'conf/context.xml') return { scope: 'global', contextPath: undefined, host: undefined };
    const hostDefault = /^conf\/([^/]+)\/([^/]+)\/context\.xml\.default$/.exec(rel);
    if (hostDefault) return { scope: 'host-default', contextPath: undefined, host: hostDefault[2] };
    const hostApp = /^conf\/([^/]+)\/([^/]+)\/([^/]+)\.xml$/.exec(rel);
    if (hostApp) return { scope: 'host-app', contextPath: contextPathOf(hostApp[3]!), host: hostApp[2] };
  }
  if (baseOf(p) === 'context.xml.default') return { scope: 'host-default', contextPath: undefined, host: undefined };
  return { scope: 'global', contextPath: undefined, host: undefined };
}

function serverXmlContextPath(ctx: XmlElement, get: Get): string | undefined {
  const path = get(ctx, 'path')?.value.trim();
  if (path !== undefined) {
    if (path === '' || path === '/') return '';
    return (path.startsWith('/') ? path : '/' + path).replace(/\/+$/, '');
  }
  const docBase = get(ctx, 'docBase')?.value.trim();
  if (!docBase) return undefined;
  const name = baseOf(normPath(docBase)).replace(/\.war$/i, '');
  return name === '' ? undefined : contextPathOf(name);
}

/** Tomcat's naming rules: ROOT is "", `a#b` is /a/b, `app##2` is /app (parallel deployment). */
export function contextPathOf(name: string): string {
  const base = name.replace(/##.*$/, '');
  if (base === 'ROOT' || base === '') return '';
  return '/' + base.replace(/#/g, '/');
}

// ---------------------------------------------------------------- paths (pure string work, both separators)

function normPath(p: string): string {
  const s = p.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:/.exec(s)?.[0] ?? '';
  const rest = s.slice(drive.length);
  const absolute = rest.startsWith('/');
  const out: string[] = [];
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  return drive + (absolute ? '/' : '') + out.join('/');
}

function isAbsolutePath(p: string): boolean {
  return /^([A-Za-z]:)?[\\/]/.test(p);
}

function resolvePath(root: string, p: string): string {
  return normPath(isAbsolutePath(p) ? p : `${root}/${p}`);
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (i === 0 ? '/' : '') : p.slice(0, i);
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
