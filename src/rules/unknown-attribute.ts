import { closest, distance } from 'fastest-levenshtein';
import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { TomcatNode } from '../model/types.js';
import type { Report } from '../types.js';
import type { Rule } from './api.js';
import { isLegacyClusterAttribute, isLegacyMemberAttribute } from './shared/legacy-attributes.js';
import { spanKey } from './shared/text.js';
import { describeVersion, generationOf, nodeGeneration } from './shared/version.js';
import { attr, childrenNamed } from './shared/xml.js';

/**
 * An attribute Tomcat's Digester cannot set on the elements that matter to a cluster
 * (Server, Connector, Engine, Host, Cluster, Membership, Receiver, Manager): a typo
 * (`jvmRouter`) or a case error (`jvmroute`; Tomcat capitalises only the first letter
 * when it looks for the setter). Tomcat 7.0+ logs a warning and ignores the attribute,
 * 5.5 ignores it silently; either way the default applies.
 *
 * The known names are the union, over every release of the node's generation, of the
 * documented attributes (`webapps/docs/config/*.xml`) and the bean setters of the
 * standard classes, so a name valid in any release is never reported. Elements with a
 * custom `className` are skipped. A Connector hands unknown names to its protocol
 * handler and endpoint, so on a Connector only a near miss of a cluster-relevant name
 * (`port`, `protocol`, `address`, `secret`, ...) is reported.
 */
export const unknownAttribute: Rule = {
  meta: {
    id: 'unknown-attribute',
    severity: 'warning',
    description: 'An attribute Tomcat cannot set on Server, Connector, Engine, Host, Cluster, Membership, Receiver or Manager (typo or wrong case), with "did you mean"',
    catalogue: ['SRV-10'],
  },
  check(model, report) {
    for (const node of model.nodes) new NodeCheck(node, report).run();
  },
};

/**
 * Known attribute names per element and generation ('6': Tomcat 6.0–11 and main, '5': 5.5).
 * Docs: `webapps/docs/config/{server,engine,host,cluster,cluster-membership,cluster-receiver,
 * cluster-manager,manager,http,ajp}.xml` on 7.0.x, 8.5.0, 8.5.x, 9.0.0, 9.0.x, 10.0.x, 10.1.x,
 * 11.0.x, main and 5.5.36. Setters (`public void setX(one argument)`) of StandardServer,
 * StandardEngine, StandardHost, ContainerBase, LifecycleMBeanBase, SimpleTcpCluster,
 * McastService, MembershipServiceBase, ReceiverBase, NioReceiver, BioReceiver, ManagerBase,
 * StandardManager, PersistentManager(Base), ClusterManagerBase, DeltaManager, BackupManager,
 * Connector and every coyote / http11 / ajp / tomcat.util.net class, on trunk 2007-06 (6.0),
 * 7.0.0, 7.0.x, 8.0.0, 8.5.0, 8.5.x, 9.0.0, 9.0.x, 10.0.x, 10.1.x, 11.0.x, main and 5.5.36.
 */
const KNOWN: Record<string, string> = {
  'Server/6': 'address catalina catalinaBase catalinaHome className domain globalNamingContext globalNamingResources parentClassLoader periodicEventDelay port portOffset shutdown throwOnFailure utilityThreads utilityThreadsAsDaemon',
  'Server/5': 'className globalNamingContext globalNamingResources port shutdown',
  'Engine/6': 'backgroundProcessorDelay baseDir basic className cluster defaultHost domain jvmRoute loader manager mbeansFile name parent parentClassLoader realm requestAttributesEnabled resources service startChildren startStopThreads',
  'Engine/5': 'backgroundProcessorDelay baseDir basic className cluster defaultHost domain jvmRoute loader manager mbeansFile name parent parentClassLoader realm resources service',
  'Host/6': 'appBase autoDeploy backgroundProcessorDelay basic className cluster configClass contextClass copyXML createDirs deployIgnore deployOnStartup deployXML domain errorReportValveClass failCtxIfServletStartFails legacyAppBase liveDeploy loader manager name parent parentClassLoader realm resources startChildren startStopThreads undeployOldVersions unpackWARs workDir xmlBase xmlNamespaceAware xmlValidation',
  'Host/5': 'appBase autoDeploy backgroundProcessorDelay basic className cluster configClass contextClass deployOnStartup deployXML domain errorReportValveClass hostConfigClass liveDeploy loader manager name parent parentClassLoader realm resources unpackWARs workDir xmlNamespaceAware xmlValidation',
  'Cluster/6': 'channel channelSendOptions channelStartOptions className clusterDeployer clusterName container domain heartbeatBackgroundEnabled managerClassName managerTemplate notifyLifecycleListenerOnFailure protocol',
  'Membership/6': 'address bind channel className connectTimeout domain dropTime expirationTime frequency host localLoopbackDisabled mcastAddr mcastBindAddress mcastDropTime mcastFrequency mcastPort mcastSoTimeout mcastTTL membershipListener messageListener payload pingInterval port properties recoveryCounter recoveryEnabled recoverySleepTime rpcTimeout securePort soTimeout ttl uniqueId useThread',
  'Receiver/6': 'address autoBind bind channel className daemon direct executor host listen listener log maxIdleTime maxTasks maxThreads messageListener minTasks minThreads ooBInline pool port rxBufSize securePort selectorTimeout soKeepAlive soLingerOn soLingerTime soReuseAddress soTrafficClass tcpListenAddress tcpListenPort tcpNoDelay tcpSelectorTimeout tcpThreadCount timeout txBufSize udpPort udpRxBufSize udpTxBufSize useBufferPool',
  'Manager/6': 'accessTimeout algorithm checkInterval className cluster connectionName connectionPassword connectionURL container context dataSourceName defaultMode directory distributable domain domainReplication driverName duplicates enableStatistics entropy expireSessionsOnShutdown expiredSessions localDataSource mapSendOptions maxActive maxActiveSessions maxIdleBackup maxIdleSwap maxInactiveInterval minIdleSwap name noContextManagerReceived notifyAttributeListenerOnUnchangedValue notifyBindingListenerOnUnchangedValue notifyContainerListenersOnReplication notifyListenersOnReplication notifySessionListenersOnReplication pathname persistAuthentication persistAuthenticationNotes processExpiresFrequency processingTime randomClass randomFile recordAllActions rejectedSessions rpcTimeout saveOnRestart secureRandomAlgorithm secureRandomClass secureRandomProvider sendAllSessions sendAllSessionsSize sendAllSessionsWaitTime sessionActivityCheck sessionAppCol sessionAttributeFilter sessionAttributeNameFilter sessionAttributeValueClassNameFilter sessionAverageAliveTime sessionCounter sessionDataCol sessionIdCol sessionIdGenerator sessionIdLength sessionLastAccessAtStart sessionLastAccessedCol sessionMaxAliveTime sessionMaxInactiveCol sessionTable sessionValidCol stateTimestampDrop stateTransferTimeout stateTransfered stateTransferred store terminateOnStartFailure warnOnSessionAttributeFilterFailure',
  'Manager/5': 'algorithm checkInterval className connectionURL container directory distributable driverName duplicates entropy expiredSessions maxActive maxActiveSessions maxIdleBackup maxIdleSwap maxInactiveInterval minIdleSwap pathname processExpiresFrequency processingTime randomClass randomFile rejectedSessions saveOnRestart sessionAppCol sessionAverageAliveTime sessionCounter sessionDataCol sessionIdCol sessionIdLength sessionLastAccessedCol sessionMaxAliveTime sessionMaxInactiveCol sessionTable sessionValidCol store',
  'Connector/6': 'SSLCACertificateFile SSLCACertificatePath SSLCARevocationFile SSLCARevocationPath SSLCertificateChainFile SSLCertificateFile SSLCertificateKeyFile SSLCipherSuite SSLDisableCompression SSLDisableSessionTickets SSLEnabled SSLHonorCipherOrder SSLPassword SSLProtocol SSLVerifyClient SSLVerifyDepth URIEncoding acceptCount acceptorThreadCount acceptorThreadPriority adapter address ajpFlush algorithm allowBackslash allowHostHeaderMismatch allowTrace allowUnsafeLegacyRenegotiation allowedRequestAttributesPattern allowedRequestAttributesPatternPattern allowedTrailerHeaders appReadBufHandler appReadBufSize appWriteBufSize async asyncTimeout available backlog bindOnInit blockingStatus bufHandler buffer bufferPool bufferPoolSize bufferSize bufferedWriteSize byteBuffer bytesRead bytesReceived bytesSent bytesWritten caCertificateFile caCertificatePath certificateChainFile certificateFile certificateKeyAlias certificateKeyFile certificateKeyManager certificateKeyPassword certificateKeyPasswordFile certificateKeystore certificateKeystoreFile certificateKeystorePassword certificateKeystorePasswordFile certificateKeystoreProvider certificateKeystoreType certificateRevocationFile certificateRevocationListFile certificateRevocationListPath certificateRevocationPath certificateVerification certificateVerificationAsString certificateVerificationDepth channel characterEncoding charset charsetHolder cipherSuites ciphers className clientAuth clientCertProvider clientauth comet cometNotify cometOps command-line-options committed compressableMimeType compressableMimeTypes compressibleMimeType compressibleMimeTypes compression compressionMinSize configType connectionHandler connectionLinger connectionTimeout connectionUploadTimeout container contentLength contentType contentTypeNoCharset continueResponseTiming controller crlFile currentAccess currentProcessor daemon defaultSSLHostConfigName deferAccept directBuffer directBufferPool directSslBuffer disableCompression disableKeepAlivePercentage disableSessionTickets disableUploadTimeout discardFacades domain emptySessionPath enableLookups enabled enabledCiphers enabledProtocols encodedReverseSolidusHandling encodedSolidusHandling endpoint enforceEncodingInGetWriter error errorCount errorException errorReported errorURI eventCache executor executorTerminationTimeoutMillis expectation fairness globalProcessor groups handler honorCipherOrder hook hostName iOChannel initialized inputBuffer inputStream insecureRenegotiation ipv6v6only keepAlive keepAliveLeft keepAliveTimeout keptAlive keyAlias keyCache keyManagerAlgorithm keyPass keyPassFile keypass keystore keystoreFile keystorePass keystorePassFile keystoreProvider keystoreType keytype lastRegistered lastRequestProcessingTime localAddr localName localPort locale maxConnections maxCookieCount maxExtensionSize maxHeaderCount maxHttpHeaderSize maxHttpRequestHeaderSize maxHttpResponseHeaderSize maxKeepAliveRequests maxParameterCount maxPartCount maxPartHeaderSize maxPostSize maxQueueSize maxRequestUri maxSavePostSize maxSelectors maxSpareSelectors maxSpareThreads maxSwallowSize maxThreads maxTime maxTrailerSize message method minSpareThreads name negotiatedProtocol noCompressionEncodings noCompressionStrongETag noCompressionStrongEtag noCompressionUserAgents npnHandler objectName ocspEnabled ocspSoftFail ocspTimeout ocspVerify ocspVerifyFlags ooBInline oomParachute oomParachuteData openSslConf openSslConfContext openSslContext outputBuffer outputStream packetSize parent parseBodyMethods performanceBandwidth performanceConnectionTime performanceLatency pollTime poller pollerSize pollerThreadCount pollerThreadPriority port portOffset processingTime processorCache properties protocol protocolHandlerClassName protocols proxyName proxyPort readListener readTimeout redirectPort rejectIllegalHeader rejectIllegalHeaderName rejectSuspiciousURIs relaxedPathChars relaxedQueryChars remoteAddr remoteHost remotePort remoteUserNeedsAuthorization request requestCount requestThread requiredSecret response restrictedUserAgents result revocationEnabled rpName rxBufSize sSLCACertificateFile sSLCACertificatePath sSLCARevocationFile sSLCARevocationPath sSLCertificateChainFile sSLCertificateFile sSLCertificateKeyFile sSLCipherSuite sSLContext sSLDisableCompression sSLDisableSessionTickets sSLEnabled sSLHonorCipherOrder sSLImplementation sSLInsecureRenegotiation sSLPassword sSLPasswordFile sSLProtocol sSLSupport sSLVerifyClient sSLVerifyDepth scheme secret secretRequired secure selectorPool selectorPool.maxSelectors selectorPool.maxSpareSelectors selectorTimeout sendFile sendReasonPhrase sendfile sendfileData sendfileSize sendfileThreadCount server serverPort serverRemoveAppProvidedValues serverSoTimeout serverSocket serverSocketFactory serverTimeout service sessionCacheSize sessionTimeout sharedSelectorTimeout sniHostName sniParseLimit soKeepAlive soLinger soLingerOn soLingerTime soReuseAddress soTimeout soTrafficClass socket socket.appReadBufSize socket.appWriteBufSize socket.bufferPool socket.bufferPoolSize socket.directBuffer socket.directSslBuffer socket.eventCache socket.keyCache socket.ooBInline socket.performanceBandwidth socket.performanceConnectionTime socket.performanceLatency socket.processorCache socket.rxBufSize socket.soKeepAlive socket.soLingerOn socket.soLingerTime socket.soReuseAddress socket.soTimeout socket.tcpNoDelay socket.txBufSize socket.unlockTimeout socketBuffer socketCloseDelay socketFactory socketProperties sslContext sslEnabledProtocols sslImplementationName sslProtocol sslSupport stage startTime startTimeNanos status strategy strictSni swallowInput tcpNoDelay threadPriority threadsMaxIdleTime throwOnFailure timeout timeoutInterval tls13RenegotiationAvailable tomcatAuthentication tomcatAuthorization trustManagerClassName trustMaxCertLength trustStore truststoreAlgorithm truststoreFile truststorePass truststorePassword truststoreProvider truststoreType txBufSize type uRIEncoding unixDomainSocketParentOwner unixDomainSocketParentPermissions unixDomainSocketPath unixDomainSocketPathPermissions unlockTimeout upgradeAsyncWriteBufferSize upgraded useAsyncIO useBodyEncodingForURI useCaches useComet useExecutor useIPVHosts useInheritedChannel useKeepAliveResponseHeader useSendfile useServerCipherSuitesOrder useVirtualThreads utilityExecutor value workerThreadName writeListener writeTimeout xpoweredBy',
  'Connector/5': 'URIEncoding acceptCount acceptorThreadCount adapter address algorithm allowTrace allowUnsafeLegacyRenegotiation backlog buffer bufferSize bytesRead bytesReceived bytesSent bytesWritten channelClassName characterEncoding ciphers className clientAuth clientauth committed compressableMimeType compressableMimeTypes compression compressionMinSize connectionHandler connectionLinger connectionTimeout container contentLength contentType controller daemon disableUploadTimeout emptySessionPath enableLookups endpoint err errorCount errorException errorURI firstReadTimeout globalProcessor handler hook inputBuffer inputStream jkHome keepAlive keyAlias keypass keystore keystoreFile keystorePass keystoreType keytype localPort locale maxHeaderCount maxHttpHeaderSize maxKeepAliveRequests maxParameterCount maxPostSize maxProcessors maxRequestUri maxSavePostSize maxSpareThreads maxThreads maxTime message minProcessors minSpareThreads name noCompressionUserAgents out outputBuffer outputStream packetSize pollTime pollerSize pollerThreadCount port processingTime propertiesFile protocol protocolHandlerClassName protocols proxyName proxyPort redirectPort remotePort reportedname request request.registerRequests request.secret request.shutdownEnabled request.useSecret requestCount requiredSecret response restrictedUserAgents sSLCACertificateFile sSLCACertificatePath sSLCARevocationFile sSLCARevocationPath sSLCertificateChainFile sSLCertificateFile sSLCertificateKeyFile sSLCipherSuite sSLEngine sSLImplementation sSLPassword sSLProtocol sSLSupport sSLVerifyClient sSLVerifyDepth saveProperties scheme secure sendfileSize sendfileThreadCount server serverPort serverSoTimeout serverSocket serverSocketFactory serverTimeout service soLinger soTimeout socket socketBuffer socketCloseDelay socketFactory sslProtocol stage startTime status strategy swallowInput tcpNoDelay threadPool threadPriority timeout tomcatAuthentication truststoreFile truststorePass truststoreType uRIEncoding useBodyEncodingForURI useIPVHosts useSendfile workerClassName workerEnv workerThreadName xpoweredBy',};

/** Connector names worth a "did you mean": the ones a cluster depends on. */
const CONNECTOR_WATCHED = ['port', 'protocol', 'address', 'secret', 'secretRequired', 'requiredSecret', 'redirectPort', 'packetSize'];

/** Harmless leftovers every old server.xml carries (`debug="0"`): not worth a warning. */
const ALWAYS_IGNORED = new Set(['className', 'debug', 'optional']);

/** Standard classes per element (simple names); another className means custom properties. */
const STANDARD: Record<string, string[]> = {
  Server: ['StandardServer'],
  Engine: ['StandardEngine'],
  Host: ['StandardHost'],
  Connector: ['Connector', 'CoyoteConnector'],
  Cluster: ['SimpleTcpCluster'],
  Membership: ['McastService'],
  Receiver: ['NioReceiver', 'BioReceiver'],
  Manager: ['StandardManager', 'PersistentManager', 'DeltaManager', 'BackupManager'],
};

const sets = new Map<string, Set<string>>();
function known(element: string, gen: '5' | '6'): Set<string> {
  const k = `${element}/${gen}`;
  let s = sets.get(k);
  if (!s) {
    s = new Set((KNOWN[k] ?? '').split(' ').filter(Boolean).map(setterName));
    sets.set(k, s);
  }
  return s;
}

const unions = new Map<string, Set<string>>();
function union(element: string): Set<string> {
  let s = unions.get(element);
  if (!s) {
    s = new Set([...known(element, '5'), ...known(element, '6')]);
    unions.set(element, s);
  }
  return s;
}

/** What IntrospectionUtils looks for: "set" + the name with its first letter upper-cased. */
const setterNames = new Map<string, string>();
function setterName(name: string): string {
  let s = setterNames.get(name);
  if (s === undefined) {
    s = name.charAt(0).toUpperCase() + name.slice(1);
    if (setterNames.size < 10_000) setterNames.set(name, s);
  }
  return s;
}

class NodeCheck {
  private readonly ignoredSpans = new Set<string>();
  private readonly gen: ReturnType<typeof nodeGeneration>;
  private readonly modern: boolean | undefined;

  constructor(
    private readonly node: TomcatNode,
    private readonly report: Report,
  ) {
    for (const i of node.cluster?.ignored ?? []) this.ignoredSpans.add(spanKey(i.span));
    this.gen = nodeGeneration(node.version);
    this.modern = versionAtLeast(node.version, 7, 0);
  }

  run(): void {
    const server = this.node.serverElement;
    const managers = new Set<XmlElement>();
    this.check(server, 'Server', 'Server');
    for (const service of childrenNamed(server, 'Service')) {
      for (const c of childrenNamed(service, 'Connector')) this.check(c, 'Connector', 'Server/Service/Connector');
      for (const engine of childrenNamed(service, 'Engine')) {
        this.check(engine, 'Engine', 'Server/Service/Engine');
        for (const cl of childrenNamed(engine, 'Cluster')) this.cluster(cl, 'Server/Service/Engine/Cluster', managers);
        for (const host of childrenNamed(engine, 'Host')) {
          this.check(host, 'Host', 'Server/Service/Engine/Host');
          for (const cl of childrenNamed(host, 'Cluster')) this.cluster(cl, 'Server/Service/Engine/Host/Cluster', managers);
          for (const ctx of childrenNamed(host, 'Context')) {
            for (const m of childrenNamed(ctx, 'Manager')) {
              managers.add(m);
              this.check(m, 'Manager', 'Server/Service/Engine/Host/Context/Manager');
            }
          }
        }
      }
    }
    const contexts = [...this.node.contexts, ...this.node.apps.flatMap((a) => a.contexts)];
    for (const c of contexts) {
      const m = c.manager?.element;
      if (!m || managers.has(m)) continue;
      managers.add(m);
      this.check(m, 'Manager', 'Context/Manager');
    }
  }

  private cluster(el: XmlElement, path: string, managers: Set<XmlElement>): void {
    // Only the 6+ classes have a table; 5.5's SimpleTcpCluster takes any attribute (setProperty).
    // A 6+ cluster on a 5.x node cannot load at all (cluster-class-version).
    if (this.gen === '5.x' || !isClass(el, 'SimpleTcpCluster', true)) return;
    this.check(el, 'Cluster', path);
    for (const m of childrenNamed(el, 'Manager')) {
      managers.add(m);
      this.check(m, 'Manager', `${path}/Manager`);
    }
    for (const ch of childrenNamed(el, 'Channel')) {
      for (const m of childrenNamed(ch, 'Membership')) if (isClass(m, 'McastService', true)) this.check(m, 'Membership', `${path}/Channel/Membership`);
      for (const r of childrenNamed(ch, 'Receiver')) if (isClass(r, 'NioReceiver', true) || isClass(r, 'BioReceiver', true)) this.check(r, 'Receiver', `${path}/Channel/Receiver`);
    }
  }

  private check(el: XmlElement, element: string, path: string): void {
    const cls = attr(el, 'className')?.value.trim();
    if (cls !== undefined && !STANDARD[element]!.some((s) => cls === s || cls.endsWith('.' + s))) return;
    if (element === 'Manager' && cls !== undefined && cls.startsWith('org.apache.catalina.cluster.')) return;
    const names = this.knownNames(element);
    for (const a of el.attributes) {
      if (names.has(setterName(a.name)) || ALWAYS_IGNORED.has(a.name) || a.name.includes(':') || a.name.startsWith('xmlns')) continue;
      if (element === 'Cluster' && isLegacyClusterAttribute(a.name)) continue;
      if ((element === 'Membership' || element === 'Receiver') && isLegacyMemberAttribute(a.name)) continue;
      if (this.ignoredSpans.has(spanKey(a.span))) continue;
      if (element === 'Connector') this.connector(a, path, names);
      else this.unknown(a, el, element, path, names);
    }
  }

  private knownNames(element: string): Set<string> {
    const clusterFamily = element === 'Cluster' || element === 'Membership' || element === 'Receiver';
    if (clusterFamily) return known(element, '6');
    if (this.gen === '6+' && this.modern === true) return known(element, '6');
    if (this.gen === '5.x') return known(element, '5');
    return union(element);
  }

  private unknown(a: XmlAttribute, el: XmlElement, element: string, path: string, names: Set<string>): void {
    const list = [...names].map((n) => n.charAt(0).toLowerCase() + n.slice(1));
    const caseMatch = list.find((n) => n.toLowerCase() === a.name.toLowerCase());
    let hint: string;
    let intended: string | undefined;
    if (caseMatch) {
      hint = `Attribute names are case-sensitive: write \`${caseMatch}\`.`;
    } else {
      const lower = a.name.toLowerCase();
      let guess = closest(a.name, list);
      let close = distance(lower, guess.toLowerCase()) <= Math.max(2, Math.floor(guess.length / 4));
      if (!close) {
        // `dropTimeout` for `dropTime`: a known name the written one starts with (or the reverse).
        const stem = list.filter((n) => n.length >= 4 && (lower.startsWith(n.toLowerCase()) || n.toLowerCase().startsWith(lower)));
        if (stem.length === 1) {
          guess = stem[0]!;
          close = true;
        }
      }
      hint = close ? `Did you mean \`${guess}\`?` : `Check the spelling against the ${element} reference.`;
      if (close) intended = guess;
    }
    if (caseMatch) intended = caseMatch;
    const effect =
      intended === 'jvmRoute' && element === 'Engine'
        ? ', so the Engine has no jvmRoute and sticky balancing cannot keep sessions on this node'
        : intended
          ? `, so \`${intended}\` keeps its default`
          : '';
    this.report({
      span: a.span,
      message: `\`${a.name}\` is not an attribute of \`<${el.name}>\` on ${this.versionText()}: ${this.runtime(path, a)}${effect}. ${hint}`,
    });
  }

  /** A Connector passes unknown names on to its protocol handler: report only near misses of the names a cluster needs. */
  private connector(a: XmlAttribute, path: string, names: Set<string>): void {
    if (a.name.includes('.')) return;
    const target = CONNECTOR_WATCHED.find((w) => isTypo(a.name, w));
    if (!target || names.has(setterName(a.name))) return;
    const caseOnly = a.name.toLowerCase() === target.toLowerCase();
    const hint = caseOnly
      ? `Attribute names are case-sensitive: write \`${target}\`.`
      : `Did you mean \`${target}\`?`;
    this.report({
      span: a.span,
      message: `\`${a.name}\` is not a Connector attribute on ${this.versionText()}: ${this.runtime(path, a)}, so \`${target}\` keeps its default. ${hint}`,
    });
  }

  private runtime(path: string, a: XmlAttribute): string {
    const v = this.node.version;
    if (this.gen === '5.x') return 'Tomcat 5.5 ignores it silently';
    if (versionAtLeast(v, 9, 0) === true) return `Tomcat logs "Match [${path}] failed to set property [${a.name}] to [${a.value}]" and ignores it`;
    if (versionAtLeast(v, 7, 0) === true && versionAtLeast(v, 9, 0) === false) {
      return `Tomcat logs "Setting property '${a.name}' to '${a.value}' did not find a matching property." and ignores it`;
    }
    return 'Tomcat ignores it (7.0+ log a warning, 5.5 nothing)';
  }

  private versionText(): string {
    return describeVersion(this.node);
  }
}

/** A near miss: same letters in another case, one edit, a swap of two neighbours, or two edits in a long name. */
function isTypo(written: string, target: string): boolean {
  if (written === target) return false;
  const w = written.toLowerCase();
  const t = target.toLowerCase();
  if (w === t) return setterName(written) !== setterName(target);
  const d = distance(w, t);
  if (d <= 1) return true;
  if (t.length >= 7 && d <= 2) return true;
  if (w.length === t.length && d === 2) {
    for (let i = 0; i + 1 < w.length; i++) {
      if (w[i] !== t[i]) return w[i] === t[i + 1] && w[i + 1] === t[i] && w.slice(i + 2) === t.slice(i + 2);
    }
  }
  return false;
}

function isClass(el: XmlElement, simple: string, sixPlus: boolean): boolean {
  const cls = attr(el, 'className')?.value.trim();
  if (cls === undefined) return false;
  if (sixPlus && generationOf(cls) !== '6+') return false;
  return cls === simple || cls.endsWith('.' + simple);
}
