import { closest, distance } from 'fastest-levenshtein';
import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { ClusterGeneration, TomcatNode, TomcatVersion } from '../model/types.js';
import type { RelatedLocation } from '../types.js';
import type { Rule } from './api.js';
import { clusterElements } from './shared/cluster.js';
import { capitalize } from './shared/text.js';
import { describeVersion, generationOf, nodeGeneration } from './shared/version.js';
import { attr, simpleName } from './shared/xml.js';

/**
 * A `className` under a `<Cluster>` that the node's Tomcat cannot load: a class of the
 * other cluster generation (5.x `org.apache.catalina.cluster.*` against 6+ `ha`/`tribes`),
 * a class removed before the node's version or added after it, or a name that exists in
 * no Tomcat release. The Digester's ObjectCreateRule throws ClassNotFoundException while
 * parsing server.xml, and the node does not start.
 *
 * Only elements the Digester of that generation instantiates count: on 6+ a
 * `<Membership>` directly under `<Cluster>` has no rule and is skipped silently (that is
 * `ignored-cluster-attribute`'s finding), on 5.5 nothing under `<Channel>` is read.
 *
 * The node's generation comes from its version (declared or inferred). When only the
 * cluster classes themselves say it, there is nothing to contradict, except a block that
 * mixes both generations, which fails on any version.
 */
export const clusterClassVersion: Rule = {
  meta: {
    id: 'cluster-class-version',
    severity: 'error',
    description: 'A cluster className from another Tomcat generation, or removed/not yet present in the node\'s version',
    catalogue: ['TC-01', 'TC-02'],
  },
  check(model, report) {
    for (const node of model.nodes) {
      for (const cluster of clusterElements(node.serverElement)) checkCluster(node, cluster, report);
    }
  },
};

// ---------------------------------------------------------------- class tables

/**
 * Every top-level class under `org.apache.catalina.ha` and `.tribes` in any Tomcat
 * release from 6.0 on (git ls-tree of trunk 2007-06, tags 7.0.0, 7.0.99/100, 8.0.0,
 * 8.5.0/37/38, 9.0.0/10–13, 10.0.0-M4/10.0.0, 10.1.0, branches 7.0.x–11.0.x and main).
 * A name outside this list in those packages exists in no release (a typo).
 */
const KNOWN_6PLUS: Record<string, string> = {
  ha: 'CatalinaCluster ClusterDeployer ClusterListener ClusterManager ClusterMessage ClusterMessageBase ClusterRuleSet ClusterSession ClusterValve Constants',
  'ha.authenticator': 'ClusterSingleSignOn ClusterSingleSignOnListener SingleSignOnMessage',
  'ha.backend': 'CollectedInfo HeartbeatListener MultiCastSender Proxy Sender TcpSender',
  'ha.context': 'ReplicatedContext',
  'ha.deploy': 'Constants FarmWarDeployer FileChangeListener FileMessage FileMessageFactory UndeployMessage WarWatcher',
  'ha.jmx': 'ClusterJmxHelper',
  'ha.session':
    'BackupManager ClusterManagerBase ClusterSessionListener Constants DeltaManager DeltaRequest DeltaSession JvmRouteBinderValve JvmRouteSessionIDBinderListener ReplicatedSession ReplicatedSessionListener SerializablePrincipal SessionIDMessage SessionMessage SessionMessageImpl SimpleTcpReplicationManager',
  'ha.tcp': 'Constants ReplicationValve SendMessageData SimpleTcpCluster',
  'ha.util': 'IDynamicProperty',
  tribes:
    'ByteMessage Channel ChannelException ChannelInterceptor ChannelListener ChannelMessage ChannelReceiver ChannelSender Constants ErrorHandler Heartbeat JmxChannel ManagedChannel Member MembershipListener MembershipProvider MembershipService MessageListener RemoteProcessException UniqueId',
  'tribes.group':
    'AbsoluteOrder ChannelCoordinator ChannelInterceptorBase ExtendedRpcCallback GroupChannel GroupChannelMBean InterceptorPayload Response RpcCallback RpcChannel RpcMessage',
  'tribes.group.interceptors':
    'DomainFilterInterceptor DomainFilterInterceptorMBean EncryptInterceptor EncryptInterceptorMBean FragmentationInterceptor FragmentationInterceptorMBean GzipInterceptor GzipInterceptorMBean MessageDispatch15Interceptor MessageDispatchInterceptor MessageDispatchInterceptorMBean NonBlockingCoordinator OrderInterceptor SimpleCoordinator StaticMembershipInterceptor StaticMembershipInterceptorMBean TcpFailureDetector TcpFailureDetectorMBean TcpPingInterceptor TcpPingInterceptorMBean ThroughputInterceptor ThroughputInterceptorMBean TwoPhaseCommitInterceptor',
  'tribes.io': 'BufferPool BufferPool14Impl BufferPool15Impl ChannelData DirectByteArrayOutputStream ListenCallback ObjectReader ReplicationStream XByteBuffer',
  'tribes.jmx': 'JmxRegistry',
  'tribes.membership':
    'Constants McastService McastServiceImpl McastServiceMBean MemberImpl Membership MembershipProviderBase MembershipServiceBase StaticMember StaticMembershipProvider StaticMembershipService StaticMembershipServiceMBean',
  'tribes.membership.cloud':
    'AbstractStreamProvider CertificateStreamProvider CloudMembershipProvider CloudMembershipService CloudMembershipServiceMBean Constants DNSMembershipProvider InsecureStreamProvider KubernetesMembershipProvider StreamProvider TokenStreamProvider',
  'tribes.tipis': 'AbstractReplicatedMap LazyReplicatedMap ReplicatedMap ReplicatedMapEntry Streamable',
  'tribes.transport':
    'AbstractRxTask AbstractSender Constants DataSender MultiPointSender PooledSender ReceiverBase ReplicationTransmitter RxTaskPool SenderState',
  'tribes.transport.bio': 'BioReceiver BioReplicationTask BioSender MultipointBioSender PooledMultiSender',
  'tribes.transport.bio.util': 'FastQueue LinkObject SingleRemoveSynchronizedAddLock',
  'tribes.transport.nio': 'NioReceiver NioReceiverMBean NioReplicationTask NioSender ParallelNioSender PooledParallelSender PooledParallelSenderMBean',
  'tribes.util': 'Arrays ExceptionUtils ExecutorFactory Jre14Compat JreCompat Logs StringManager TcclThreadFactory UUIDGenerator',
};

const KNOWN_6PLUS_SET = new Set(
  Object.entries(KNOWN_6PLUS).flatMap(([pkg, names]) => names.split(' ').map((n) => `org.apache.catalina.${pkg}.${n}`)),
);
const KNOWN_6PLUS_LIST = [...KNOWN_6PLUS_SET];

/** Where a 6+ class appeared or disappeared (verified against the release tags). */
interface Lifetime {
  /** Matches the full class name, or a package prefix ending with '.'. */
  name: string;
  /** First version without it. */
  removedIn?: [number, number, number];
  /** First version of each branch that has it; a branch not listed (with `fromMajor` below) lacks it. */
  addedIn?: { branches: [number, number, number][]; fromMajor: number };
  what: string;
  fix: string;
}

const LIFETIMES: Lifetime[] = [
  {
    name: 'org.apache.catalina.ha.session.SimpleTcpReplicationManager',
    removedIn: [7, 0, 1],
    what: 'removed in 7.0.1 ("Remove unused SimpleTcpReplicationManager", 2010)',
    fix: 'use `org.apache.catalina.ha.session.DeltaManager` (or `BackupManager`)',
  },
  {
    name: 'org.apache.catalina.ha.session.JvmRouteSessionIDBinderListener',
    removedIn: [8, 0, 0],
    what: 'removed in 8.0 ("no longer used", 2013)',
    fix: 'delete the `<ClusterListener>`: `JvmRouteBinderValve` does the work on its own since 8.0',
  },
  {
    name: 'org.apache.catalina.tribes.group.interceptors.MessageDispatch15Interceptor',
    removedIn: [8, 5, 0],
    what: 'removed in 8.5 (merged into MessageDispatchInterceptor, 2016)',
    fix: 'use `org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor`',
  },
  {
    name: 'org.apache.catalina.tribes.transport.bio.',
    removedIn: [10, 0, 0],
    what: 'removed in 10.0 ("Remove java.io based sender and receiver", 10.0.0-M5)',
    fix: 'use `org.apache.catalina.tribes.transport.nio.NioReceiver` / `org.apache.catalina.tribes.transport.nio.PooledParallelSender`',
  },
  {
    name: 'org.apache.catalina.tribes.membership.StaticMembershipService',
    addedIn: { branches: [[9, 0, 11]], fromMajor: 10 },
    what: 'added in 9.0.11 (not in 8.5 or earlier)',
    fix: 'use a `StaticMembershipInterceptor` with `<Member>` children, or upgrade',
  },
  {
    name: 'org.apache.catalina.tribes.membership.cloud.CloudMembershipService',
    addedIn: { branches: [[9, 0, 13]], fromMajor: 10 },
    what: 'added in 9.0.13 (not in 8.5 or earlier)',
    fix: 'use multicast or static membership, or upgrade',
  },
  {
    name: 'org.apache.catalina.tribes.group.interceptors.EncryptInterceptor',
    addedIn: { branches: [[7, 0, 100], [8, 5, 38], [9, 0, 13]], fromMajor: 10 },
    what: 'added in 7.0.100, 8.5.38 and 9.0.13 (never in 8.0)',
    fix: 'upgrade to a release that has it, or remove the interceptor (and keep the cluster on a trusted network)',
  },
];

/** Same role, other generation: what to write instead. */
const SUCCESSOR_6: Record<string, string> = {
  SimpleTcpCluster: 'org.apache.catalina.ha.tcp.SimpleTcpCluster',
  DeltaManager: 'a nested `<Manager className="org.apache.catalina.ha.session.DeltaManager">`',
  SimpleTcpReplicationManager: 'a nested `<Manager className="org.apache.catalina.ha.session.DeltaManager">`',
  McastService: '`org.apache.catalina.tribes.membership.McastService` inside `<Channel>`',
  ReplicationListener: '`org.apache.catalina.tribes.transport.nio.NioReceiver` inside `<Channel>`',
  SocketReplicationListener: '`org.apache.catalina.tribes.transport.nio.NioReceiver` inside `<Channel>`',
  ReplicationTransmitter:
    '`org.apache.catalina.tribes.transport.ReplicationTransmitter` with a nested `<Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>`, inside `<Channel>`',
  ReplicationValve: 'org.apache.catalina.ha.tcp.ReplicationValve',
  JvmRouteBinderValve: 'org.apache.catalina.ha.session.JvmRouteBinderValve',
  ClusterSessionListener: 'org.apache.catalina.ha.session.ClusterSessionListener',
  JvmRouteSessionIDBinderListener: 'nothing on 8.0+ (delete it); `org.apache.catalina.ha.session.JvmRouteSessionIDBinderListener` on 6.0/7.0',
  FarmWarDeployer: 'org.apache.catalina.ha.deploy.FarmWarDeployer',
  ClusterSingleSignOn: 'org.apache.catalina.ha.authenticator.ClusterSingleSignOn',
};

// ---------------------------------------------------------------- which elements the Digester instantiates

/** Element paths below `<Cluster>` with an ObjectCreateRule (ha/ClusterRuleSet on 6+, startup/ClusterRuleSet on 5.5). */
const CREATED_6 = new Set([
  'Manager',
  'Channel',
  'Channel/Membership',
  'Channel/Membership/LocalMember',
  'Channel/Membership/Member',
  'Channel/MembershipListener',
  'Channel/Sender',
  'Channel/Sender/Transport',
  'Channel/Receiver',
  'Channel/Interceptor',
  'Channel/Interceptor/LocalMember',
  'Channel/Interceptor/Member',
  'Channel/ChannelListener',
  'Valve',
  'Deployer',
  'Listener',
  'ClusterListener',
]);
const CREATED_5 = new Set(['Membership', 'Sender', 'Receiver', 'Valve', 'Deployer', 'Listener', 'ClusterListener']);

interface ClassUse {
  path: string;
  element: XmlElement;
  attr: XmlAttribute;
  className: string;
}

// ---------------------------------------------------------------- the check

function checkCluster(node: TomcatNode, cluster: XmlElement, report: Parameters<Rule['check']>[1]): void {
  const clusterAttr = attr(cluster, 'className');
  const clusterGen = clusterAttr ? generationOf(clusterAttr.value) : undefined;
  const nodeGen = nodeGeneration(node.version);
  const runtimeGen: ClusterGeneration | undefined = nodeGen ?? clusterGen;
  if (!runtimeGen) return;
  const created = runtimeGen === '6+' ? CREATED_6 : CREATED_5;
  const versionText = describeVersion(node);

  // Nested className attributes the Digester reads on this generation.
  const uses: ClassUse[] = [];
  const notRead: ClassUse[] = [];
  walk(cluster, '', (path, el) => {
    const a = attr(el, 'className');
    if (!a || a.value.includes('${')) return;
    const use = { path, element: el, attr: a, className: a.value.trim() };
    if (created.has(path)) uses.push(use);
    else if (generationOf(use.className)) notRead.push(use);
  });

  // 1. The Cluster class itself belongs to the other generation: one finding for the whole block.
  if (clusterAttr && nodeGen && clusterGen && clusterGen !== nodeGen) {
    const related: RelatedLocation[] = [];
    for (const u of [...uses, ...notRead]) {
      if (generationOf(u.className) !== clusterGen) continue;
      const read = uses.includes(u);
      related.push({
        span: u.attr.span,
        message: read
          ? `\`${simpleName(u.className)}\` (${u.element.localName}) cannot be loaded either; ${successorText(u.className, nodeGen)}`
          : `\`${simpleName(u.className)}\` (${u.element.localName}): Tomcat ${nodeGen} has no rule for \`${u.path}\` and skips it`,
      });
    }
    const target =
      nodeGen === '6+'
        ? 'Rewrite the block for Tomcat 6+: `org.apache.catalina.ha.tcp.SimpleTcpCluster` with a tribes `<Channel>` and a nested `<Manager>` (see the rule\'s page)'
        : 'Use the Tomcat 5.x cluster classes (`org.apache.catalina.cluster.*`, as in the 5.5 cluster-howto) or upgrade Tomcat';
    report({
      span: clusterAttr.span,
      message:
        `\`${clusterAttr.value}\` is a Tomcat ${clusterGen} cluster class, but ${node.name} runs ${versionText}: ` +
        `server.xml fails to load with ClassNotFoundException and the node does not start. ${target}.`,
      related,
    });
    return;
  }

  // 2. Nested classes, one finding each.
  for (const u of uses) {
    const gen = generationOf(u.className);
    if (!gen) continue;
    if (gen !== runtimeGen) {
      const reason = nodeGen
        ? `${node.name} runs ${versionText}`
        : `this <Cluster> is a Tomcat ${runtimeGen} cluster (\`${simpleName(clusterAttr?.value ?? '')}\`), so one of the two classes cannot be loaded on any version`;
      report({
        span: u.attr.span,
        message:
          `\`${u.className}\` is a Tomcat ${gen} class, but ${reason}: server.xml fails to load with ClassNotFoundException and the node does not start. ` +
          `${capitalize(successorText(u.className, runtimeGen))}.`,
        related: clusterAttr && !nodeGen ? [{ span: clusterAttr.span, message: `the Cluster class (Tomcat ${runtimeGen})` }] : [],
      });
      continue;
    }
    if (gen !== '6+') continue;
    const life = LIFETIMES.find((l) => (l.name.endsWith('.') ? u.className.startsWith(l.name) : u.className === l.name));
    if (life) {
      const present = presentIn(life, node.version);
      if (present === false) {
        report({
          span: u.attr.span,
          message:
            `\`${u.className}\` was ${life.what}, so ${versionText} lacks it: server.xml fails to load with ClassNotFoundException and the node does not start. ` +
            `${capitalize(life.fix)}.`,
        });
      }
      continue;
    }
    if (!KNOWN_6PLUS_SET.has(u.className)) {
      const guess = closest(u.className, KNOWN_6PLUS_LIST);
      const hint = distance(guess, u.className) <= 4 ? ` Did you mean \`${guess}\`?` : '';
      report({
        span: u.attr.span,
        message:
          `\`${u.className}\` exists in no Tomcat release: server.xml fails to load with ClassNotFoundException and the node does not start.${hint}`,
      });
    }
  }
}

function presentIn(life: Lifetime, v: TomcatVersion): boolean | undefined {
  if (life.removedIn) {
    const [a, b, c] = life.removedIn;
    const at = versionAtLeast(v, a, b, c);
    return at === undefined ? undefined : !at;
  }
  const added = life.addedIn!;
  if (versionAtLeast(v, added.fromMajor) === true) return true;
  const first = added.branches[0]!;
  if (versionAtLeast(v, first[0], first[1], first[2]) === false) return false;
  if (v.major === undefined || v.minor === undefined) return undefined;
  const branch = added.branches.find((b) => b[0] === v.major && b[1] === v.minor);
  if (!branch) return v.major >= added.fromMajor;
  return versionAtLeast(v, branch[0], branch[1], branch[2]);
}

// ---------------------------------------------------------------- helpers

function successorText(className: string, target: ClusterGeneration): string {
  if (target === '5.x') return 'use the Tomcat 5.x class from `org.apache.catalina.cluster.*`';
  const s = SUCCESSOR_6[simpleName(className)];
  return s ? `use ${s.startsWith('`') || s.startsWith('a ') || s.startsWith('nothing') ? s : `\`${s}\``}` : 'use the matching `org.apache.catalina.ha.*` / `org.apache.catalina.tribes.*` class';
}

function walk(el: XmlElement, prefix: string, visit: (path: string, el: XmlElement) => void): void {
  for (const c of el.children) {
    const path = prefix ? `${prefix}/${c.localName}` : c.localName;
    visit(path, c);
    walk(c, path, visit);
  }
}
