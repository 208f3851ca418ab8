/**
 * The cluster model: every node and front end read together, with version and
 * dialect differences resolved into effective values. Rules read only this.
 * Every value a rule may report on carries the span it came from.
 */
import type { LineComment, ParseProblem, Span } from '../types.js';
import type { SourceText } from '../parsers/source.js';
import type { HttpdDirective, Jk2Document, PropertiesDocument, PropertyEntry, XmlElement } from '../parsers/syntax.js';

/** A value and where it was written; `span` is undefined for defaults nobody wrote. */
export interface Located<T> {
  value: T;
  span: Span | undefined;
}

// ---------------------------------------------------------------- files and hosts

export type FileKind =
  | 'server.xml'
  | 'web.xml'
  | 'web-fragment.xml'
  | 'context.xml'
  | 'catalina.properties'
  | 'setenv'
  | 'workers.properties'
  | 'workers2.properties'
  | 'uriworkermap.properties'
  | 'httpd.conf'
  | 'unknown';

export interface LintedFile {
  path: string;
  kind: FileKind;
  /** The node the file belongs to (by id). */
  nodeId: string | undefined;
}

export type HostSource = 'declared' | 'inferred' | 'unknown';

export interface HostRef {
  /** Host name or address; for unknown hosts a shared placeholder. */
  name: string;
  source: HostSource;
}

// ---------------------------------------------------------------- Tomcat

export type ClusterGeneration = '5.x' | '6+';

export interface TomcatVersion {
  /** e.g. "5.5", "9.0", "10.1"; undefined when unknown. */
  version: string | undefined;
  major: number | undefined;
  minor: number | undefined;
  patch: number | undefined;
  source: 'declared' | 'inferred' | 'unknown';
  /** Why we believe it (e.g. "lib/catalina-ha.jar", "5.x cluster classes in server.xml"). */
  evidence: string | undefined;
  /** The generation when known, also when the exact version is not (e.g. "6+" from lib/catalina-ha.jar). */
  generation?: ClusterGeneration | undefined;
  /** Lowest version the evidence allows when the exact one is unknown ("7.0" = 7.0.0 or later). */
  atLeast?: string | undefined;
  /** Highest version the evidence allows when the exact one is unknown ("6.0" = any 6.0.x or earlier). */
  atMost?: string | undefined;
}

export interface Connector {
  /** `ajp` for AJP/1.3 or an `org.apache.coyote.ajp.*` class; `http` otherwise (Tomcat's default). */
  protocol: 'ajp' | 'http';
  protocolAttr: Located<string> | undefined;
  /** Port as written after `${}` substitution; undefined when not a number. */
  port: Located<number | undefined>;
  /** port + portOffset; undefined when disabled (-1), random (0) or unknown. */
  effectivePort: number | undefined;
  /** Bind address; undefined = all interfaces (HTTP) or Tomcat's default (AJP: loopback since 9.0.31/8.5.51/7.0.100). */
  address: Located<string> | undefined;
  /** `secret`, or its older names `requiredSecret` / `request.secret`. */
  secret: Located<string> | undefined;
  /** `secretRequired` as written; undefined when absent. */
  secretRequired: Located<boolean> | undefined;
  element: XmlElement;
  file: string;
  /** The start tag, for findings about the connector as a whole. */
  span: Span;
}

export interface ShutdownPort {
  port: Located<number | undefined>;
  effectivePort: number | undefined;
  command: Located<string>;
  span: Span;
}

export type Membership =
  | {
      kind: 'multicast';
      /** Effective group address after defaults and version rules. */
      address: Located<string>;
      port: Located<number | undefined>;
      /** `bind` / `mcastBindAddress`; undefined when absent. */
      bind: Located<string> | undefined;
      frequency: Located<number | undefined> | undefined;
      dropTime: Located<number | undefined> | undefined;
      /** The `<Membership>` element, or undefined when the defaults apply (no element / bare 5.5 Cluster). */
      element: XmlElement | undefined;
      /** Where to report about the membership: the element, else the Cluster start tag. */
      span: Span;
      /** Attributes written but ignored by this Tomcat version (e.g. `mcastAddr` on 8.5+). */
      ignoredAttributes: string[];
    }
  | {
      kind: 'static';
      members: StaticMember[];
      element: XmlElement | undefined;
      span: Span;
    }
  | {
      /** Cloud/DNS/Kubernetes membership and anything else: the group is not knowable from files. */
      kind: 'other';
      className: string;
      element: XmlElement | undefined;
      span: Span;
    };

export interface StaticMember {
  host: Located<string>;
  port: Located<number | undefined>;
  /** `uniqueId`, when given. */
  uniqueId: string | undefined;
  span: Span;
}

export interface Receiver {
  address: Located<string>;
  port: Located<number | undefined>;
  /** How many ports from `port` on the receiver may try (6+: autoBind, default 100; 5.x ReplicationListener: 1). */
  autoBind: number;
  element: XmlElement | undefined;
  span: Span;
}

export interface ClassRef {
  className: Located<string>;
  element: XmlElement;
  span: Span;
}

export interface ClusterConfig {
  className: Located<string>;
  generation: ClusterGeneration;
  /** Where the Cluster sits: under Engine (all hosts) or one Host. */
  level: 'engine' | 'host';
  membership: Membership;
  receiver: Receiver;
  /** The cluster's session manager template: nested `<Manager>` (6+) or `managerClassName` (5.x); default DeltaManager. */
  manager: Located<string>;
  valves: ClassRef[];
  listeners: ClassRef[];
  interceptors: ClassRef[];
  deployer: ClassRef | undefined;
  /** Attributes or elements this Tomcat version silently ignores (5.x names on 8.5+, Membership directly under Cluster on 6+). */
  ignored: { what: string; reason: string; span: Span }[];
  element: XmlElement;
  span: Span;
}

export type ContextScope =
  /** `conf/context.xml`: every app of the node. */
  | 'global'
  /** `conf/<Engine>/<Host>/context.xml.default`: every app of the host. */
  | 'host-default'
  /** `conf/<Engine>/<Host>/<app>.xml`. */
  | 'host-app'
  /** `META-INF/context.xml` inside the app. */
  | 'meta-inf'
  /** `<Context>` inside server.xml. */
  | 'server-xml';

export interface ContextSource {
  file: string;
  scope: ContextScope;
  /** For app-specific sources, the app's context path ("/shop", "" for ROOT). */
  contextPath: string | undefined;
  /** `<Manager>` inside this Context; undefined when none. */
  manager: { className: Located<string | undefined>; element: XmlElement; span: Span } | undefined;
  /** `<Context distributable="...">` when written. */
  distributable: Located<boolean> | undefined;
  element: XmlElement;
  span: Span;
}

export interface WebApp {
  /** Directory name under appBase (ROOT, shop). */
  name: string;
  /** Context path ("" for ROOT). */
  contextPath: string;
  dir: string;
  webXml: string | undefined;
  /** `<distributable/>` present in web.xml. */
  distributable: boolean;
  /** The web.xml root start tag, where a missing `<distributable/>` is reported; undefined without web.xml. */
  webXmlSpan: Span | undefined;
  /** The web.xml root element (`<web-app>`) with its children and offsets, for fixes; undefined without web.xml. */
  webXmlElement?: XmlElement | undefined;
  /** Every Context definition applying to this app, global ones included, in precedence order (weakest first). */
  contexts: ContextSource[];
  /** Web fragments found in the app, with whether they are distributable. */
  fragments: { file: string; distributable: boolean; span: Span }[];
}

export interface TomcatNode {
  id: string;
  /** Display name: the folder or file name (tomcat1). */
  name: string;
  /** The path given on the command line (folder or file). */
  root: string;
  serverXml: string;
  host: HostRef;
  version: TomcatVersion;
  portOffset: Located<number>;
  shutdown: ShutdownPort | undefined;
  connectors: Connector[];
  engine: { name: string; jvmRoute: Located<string> | undefined; element: XmlElement; span: Span } | undefined;
  /** The active cluster (Engine-level, else the first Host-level one). */
  cluster: ClusterConfig | undefined;
  apps: WebApp[];
  /** Context sources not tied to a found app (conf/context.xml, context.xml.default). */
  contexts: ContextSource[];
  /** `${name}` values known to this node (catalina.properties, -D in setenv). */
  properties: Map<string, Located<string>>;
  /** `${name}` references that resolved nowhere. */
  unresolved: { name: string; span: Span }[];
  serverElement: XmlElement;
}

// ---------------------------------------------------------------- front ends

export type FrontEndKind = 'jk' | 'jk2' | 'proxy';

/** One backend a balancer (or a direct mount) forwards to. */
export interface BalancerMember {
  /** jk worker name; jk2 bean name (`ajp13:localhost:8009`); mod_proxy URL. */
  name: string;
  kind: FrontEndKind;
  protocol: 'ajp' | 'http';
  /** Host as written (may be a name, loopback, or an address). */
  host: Located<string>;
  port: Located<number | undefined>;
  /** Effective route and how it was derived. */
  route: Located<string> | undefined;
  routeSource: 'route' | 'worker-name' | 'tomcatId' | 'host-port' | 'none';
  secret: Located<string> | undefined;
  /** False for a name referenced but never defined (mod_jk then makes an ajp13 worker at localhost:8009). */
  defined: boolean;
  /** Where the member is defined (jk: first `worker.<name>.` key; jk2: section header; proxy: BalancerMember). */
  span: Span;
  /** Resolved in the model: the node and connector at host:port, when found. */
  target: MemberTarget | undefined;
  /** Nodes that could be behind it when host:port is ambiguous. */
  candidates: TomcatNode[];
}

export interface MemberTarget {
  node: TomcatNode;
  connector: Connector;
  /** How confident the match is: exact host, or assumed from the port alone (unknown hosts). */
  via: 'host' | 'port-only';
}

export interface Balancer {
  kind: FrontEndKind;
  name: string;
  span: Span;
  /** Routes requests by the session's route suffix. */
  sticky: Located<boolean>;
  /** mod_proxy `stickysession` value, mod_jk `session_cookie`; undefined when absent. */
  sessionCookie: Located<string> | undefined;
  members: BalancerMember[];
  /** A secret set on the balancer itself (mod_jk lb `secret`, inherited by members). */
  secret: Located<string> | undefined;
}

export interface JkWorkerDef {
  name: string;
  /** Effective `worker.<name>.<directive>` values after references, lists and overwrites. */
  properties: Map<string, JkProperty>;
  type: string;
  /** First key defining this worker. */
  span: Span;
}

export interface JkProperty {
  directive: string;
  /** Effective value after `$(var)` substitution (lists joined with ','). */
  value: string;
  /** Every entry that set it, in order (lists have several). */
  entries: { key: string; value: string; keySpan: Span; valueSpan: Span }[];
  /** Where the effective value came from (last writer). */
  keySpan: Span;
  valueSpan: Span;
  /** Set through `reference` from another worker. */
  inherited: boolean;
}

export interface JkConfig {
  file: string;
  document: PropertiesDocument;
  /**
   * Every `key=value` entry mod_jk reads, in reading order: `JkWorkerProperty` lines
   * first (their spans and offsets are in the httpd file), then the workers file. Raw:
   * no `$(var)` substitution, empty values included. For directive-level rules and fixes.
   */
  entries: PropertyEntry[];
  workers: Map<string, JkWorkerDef>;
  /** `worker.list` names with their positions (repeats appended). */
  list: Located<string>[];
  /** Variables defined in the file (keys not starting with `worker.`). */
  variables: Map<string, Located<string>>;
  /** `$(name)` uses that resolved nowhere (kept literal, as mod_jk does). */
  unresolved: { name: string; span: Span }[];
}

export interface Jk2Config {
  file: string;
  document: Jk2Document;
  /** Worker beans by full name (`ajp13:localhost:8009`): explicit `[ajp13:X]` and those every channel creates. */
  beans: Map<string, { span: Span; channel: string | undefined }>;
  /** Load balancers by full name (`lb:lb`): explicit sections and those `group=` creates silently. */
  lbs: Map<string, { span: Span; explicit: boolean }>;
}

export interface Mount {
  /** `JkMount`, `JkUnMount`, uriworkermap line, `worker.X.mount`, jk2 `[uri:]`, `ProxyPass`. */
  source: 'JkMount' | 'JkUnMount' | 'uriworkermap' | 'worker-mount' | 'jk2-uri' | 'ProxyPass';
  path: string;
  /** Worker name (jk), group (jk2) or balancer name (`balancer://x` gives x). */
  worker: Located<string>;
  span: Span;
  file: string;
  /** For ProxyPass: the full target URL. */
  target: string | undefined;
  /** mod_jk rules only: an exclusion (`!` prefix in uriworkermap / `worker.X.mount`, or `JkUnMount`). */
  exclude?: boolean;
  /** mod_jk rules only: a disabled rule (`-` prefix). */
  disabled?: boolean;
}

export interface FrontEnd {
  id: string;
  name: string;
  root: string;
  host: HostRef;
  kinds: FrontEndKind[];
  jk: JkConfig | undefined;
  jk2: Jk2Config | undefined;
  balancers: Balancer[];
  /** Workers used directly (mounted non-lb jk workers, ProxyPass to ajp://). */
  directMembers: BalancerMember[];
  mounts: Mount[];
  /** httpd `Listen` ports. */
  listens: { port: Located<number>; address: string | undefined; span: Span }[];
  /** Every httpd directive read (after Include), for directive-level rules. */
  directives: HttpdDirective[];
  /** `LoadModule` names (lower-case), e.g. jk_module, jk2_module, proxy_balancer_module. */
  modules: Set<string>;
}

// ---------------------------------------------------------------- the whole

export interface ClusterModel {
  nodes: TomcatNode[];
  frontEnds: FrontEnd[];
  /** Every file read, once. */
  files: LintedFile[];
  parseProblems: ParseProblem[];
  /** Decoded text of every file read (for suppressions and fixes). */
  sources: Map<string, SourceText>;
  /** Comments of every parsed file, in file order (inline suppressions live there). */
  comments: Map<string, LineComment[]>;
  /** Indexes built once so cross-file rules never compare pairwise. */
  index: ModelIndex;
}

export interface ListenerRef {
  owner: TomcatNode | FrontEnd;
  what: 'shutdown' | 'connector' | 'receiver' | 'listen';
  port: number;
  /** For a receiver that can move: the last port it may take. */
  lastPort: number;
  address: string | undefined;
  span: Span;
}

export interface ModelIndex {
  /** Listeners by `host` then port. */
  listenersByHost: Map<string, Map<number, ListenerRef[]>>;
  nodesByRoute: Map<string, TomcatNode[]>;
  nodeById: Map<string, TomcatNode>;
  /** Balancer members whose target is each node (by node id). */
  membersByNode: Map<string, { frontEnd: FrontEnd; balancer: Balancer | undefined; member: BalancerMember }[]>;
}
