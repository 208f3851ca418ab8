#!/usr/bin/env node
// Generates a clean N-node fleet: Tomcat 10.1 nodes spread over hosts (8 per host by
// default), each with a Cluster, an AJP connector with a secret, a distinct jvmRoute and
// a distributable app, behind one httpd + mod_jk front end whose lb has every node as a
// member. Where each node runs is declared in a generated cluster-lint.config.json.
//
// A clean fleet must give zero findings: it is what the benchmark times, and what the
// fleet test lints.
//
//   node bench/generate.mjs --nodes 1000 [--per-host 8] [--membership multicast|static] [--out .bench/fleet-1000]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const pad = (n, w) => String(n).padStart(w, '0');

/** Host h (0-based) → a private address and a host name. */
function hostOf(h) {
  return { ip: `10.${1 + (h >> 8)}.${h & 255}.10`, name: `app${pad(h + 1, 4)}.dc1.example.com` };
}

/** Ports of the node in slot s on its host: each slot 100 ports above the previous one. */
function portsOf(slot) {
  const d = slot * 100;
  return { shutdown: 8005 + d, http: 8080 + d, ajp: 8009 + d, redirect: 8443 + d, receiver: 4000 + d };
}

function nodeName(i) {
  return `node${pad(i + 1, 4)}`;
}

function secretOf(seed) {
  // Deterministic, not guessable-looking: a run is reproducible.
  let x = 0x9e3779b9 ^ seed;
  let s = '';
  for (let k = 0; k < 4; k++) {
    x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) >>> 0;
    s += x.toString(36).padStart(7, '0');
  }
  return s;
}

/** A 16-byte uniqueId for StaticMember, e.g. {0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,7}. */
function uniqueId(i) {
  const bytes = new Array(16).fill(0);
  bytes[14] = (i >> 8) & 255;
  bytes[15] = i & 255;
  return `{${bytes.join(',')}}`;
}

function membershipXml(fleet, node) {
  if (fleet.membership === 'multicast') {
    return `          <Membership className="org.apache.catalina.tribes.membership.McastService"
                      address="228.0.0.4"
                      port="45564"
                      bind="${node.host.ip}"
                      frequency="500"
                      dropTime="3000"/>`;
  }
  const members = fleet.nodes
    .filter((other) => other !== node)
    .map(
      (other) => `            <Member className="org.apache.catalina.tribes.membership.StaticMember"
                    host="${other.host.ip}"
                    port="${other.ports.receiver}"
                    uniqueId="${uniqueId(other.index)}"/>`,
    )
    .join('\n');
  return `          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpPingInterceptor" staticOnly="true"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.StaticMembershipInterceptor">
${members}
          </Interceptor>`;
}

/** Tomcat 10.1's shipped server.xml, its comments included, with the cluster changes. */
function serverXml(fleet, node) {
  const p = node.ports;
  const staticMembers = fleet.membership === 'static';
  return `<?xml version="1.0" encoding="UTF-8"?>
<!--
  Licensed to the Apache Software Foundation (ASF) under one or more
  contributor license agreements.  See the NOTICE file distributed with
  this work for additional information regarding copyright ownership.
  The ASF licenses this file to You under the Apache License, Version 2.0
  (the "License"); you may not use this file except in compliance with
  the License.  You may obtain a copy of the License at

      http://www.apache.org/licenses/LICENSE-2.0

  Unless required by applicable law or agreed to in writing, software
  distributed under the License is distributed on an "AS IS" BASIS,
  WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
  See the License for the specific language governing permissions and
  limitations under the License.
-->
<!-- Note:  A "Server" is not itself a "Container", so you may not
     define subcomponents such as "Valves" at this level.
     Documentation at /docs/config/server.html
 -->
<!-- ${node.name} on ${node.host.name} (slot ${node.slot}) -->
<Server port="${p.shutdown}" shutdown="${secretOf(node.index * 7 + 3)}">
  <Listener className="org.apache.catalina.startup.VersionLoggerListener" />
  <!-- Security listener. Documentation at /docs/config/listeners.html
  <Listener className="org.apache.catalina.security.SecurityListener" />
  -->
  <!-- APR connector and OpenSSL support using Tomcat Native -->
  <Listener className="org.apache.catalina.core.AprLifecycleListener" />
  <!-- Prevent memory leaks due to use of particular java/javax APIs-->
  <Listener className="org.apache.catalina.core.JreMemoryLeakPreventionListener" />
  <Listener className="org.apache.catalina.mbeans.GlobalResourcesLifecycleListener" />
  <Listener className="org.apache.catalina.core.ThreadLocalLeakPreventionListener" />

  <!-- Global JNDI resources
       Documentation at /docs/jndi-resources-howto.html
  -->
  <GlobalNamingResources>
    <!-- Editable user database that can also be used by
         UserDatabaseRealm to authenticate users
    -->
    <Resource name="UserDatabase" auth="Container"
              type="org.apache.catalina.UserDatabase"
              description="User database that can be updated and saved"
              factory="org.apache.catalina.users.MemoryUserDatabaseFactory"
              pathname="conf/tomcat-users.xml" />
  </GlobalNamingResources>

  <!-- A "Service" is a collection of one or more "Connectors" that share
       a single "Container" Note:  A "Service" is not itself a "Container",
       so you may not define subcomponents such as "Valves" at this level.
       Documentation at /docs/config/service.html
   -->
  <Service name="Catalina">

    <!--The connectors can use a shared executor, you can define one or more named thread pools-->
    <!--
    <Executor name="tomcatThreadPool" namePrefix="catalina-exec-"
        maxThreads="150" minSpareThreads="4"/>
    -->

    <!-- A "Connector" represents an endpoint by which requests are received
         and responses are returned. Documentation at :
         HTTP Connector: /docs/config/http.html
         AJP  Connector: /docs/config/ajp.html
         Define a non-SSL/TLS HTTP/1.1 Connector on port 8080
    -->
    <Connector port="${p.http}" protocol="HTTP/1.1"
               connectionTimeout="20000"
               redirectPort="${p.redirect}"
               maxParameterCount="1000"
               />
    <!-- Define an SSL/TLS HTTP/1.1 Connector on port 8443 with HTTP/2
         This connector uses the NIO implementation. The default
         SSLImplementation will depend on the presence of the APR/native
         library and the useOpenSSL attribute of the AprLifecycleListener.
    -->
    <!--
    <Connector port="8443" protocol="org.apache.coyote.http11.Http11NioProtocol"
               maxThreads="150" SSLEnabled="true"
               maxParameterCount="1000"
               >
        <UpgradeProtocol className="org.apache.coyote.http2.Http2Protocol" />
        <SSLHostConfig>
            <Certificate certificateKeyFile="conf/localhost-rsa-key.pem"
                         certificateFile="conf/localhost-rsa-cert.pem"
                         certificateChainFile="conf/localhost-rsa-chain.pem"
                         type="RSA" />
        </SSLHostConfig>
    </Connector>
    -->

    <!-- Define an AJP 1.3 Connector for the mod_jk front end -->
    <Connector protocol="AJP/1.3"
               address="${node.host.ip}"
               port="${p.ajp}"
               secret="${fleet.secret}"
               redirectPort="${p.redirect}"
               maxParameterCount="1000"
               />

    <!-- An Engine represents the entry point (within Catalina) that processes
         every request.  The Engine implementation for Tomcat stand alone
         analyzes the HTTP headers included with the request, and passes them
         on to the appropriate Host (virtual host).
         Documentation at /docs/config/engine.html -->

    <Engine name="Catalina" defaultHost="localhost" jvmRoute="${node.name}">

      <!-- Session replication: every node of the fleet in one group -->
      <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"
               channelSendOptions="8">
        <Manager className="org.apache.catalina.ha.session.DeltaManager"
                 expireSessionsOnShutdown="false"
                 notifyListenersOnReplication="true"/>
        <Channel className="org.apache.catalina.tribes.group.GroupChannel">
${staticMembers ? '' : membershipXml(fleet, node) + '\n'}          <Receiver className="org.apache.catalina.tribes.transport.nio.NioReceiver"
                    address="${node.host.ip}"
                    port="${p.receiver}"
                    autoBind="${staticMembers ? 0 : 100}"
                    selectorTimeout="5000"
                    maxThreads="6"/>
          <Sender className="org.apache.catalina.tribes.transport.ReplicationTransmitter">
            <Transport className="org.apache.catalina.tribes.transport.nio.PooledParallelSender"/>
          </Sender>
${staticMembers ? membershipXml(fleet, node) + '\n' : ''}          <Interceptor className="org.apache.catalina.tribes.group.interceptors.TcpFailureDetector"/>
          <Interceptor className="org.apache.catalina.tribes.group.interceptors.MessageDispatchInterceptor"/>
        </Channel>
        <Valve className="org.apache.catalina.ha.tcp.ReplicationValve" filter=""/>
        <Valve className="org.apache.catalina.ha.session.JvmRouteBinderValve"/>
        <ClusterListener className="org.apache.catalina.ha.session.ClusterSessionListener"/>
      </Cluster>

      <!-- Use the LockOutRealm to prevent attempts to guess user passwords
           via a brute-force attack -->
      <Realm className="org.apache.catalina.realm.LockOutRealm">
        <!-- This Realm uses the UserDatabase configured in the global JNDI
             resources under the key "UserDatabase".  Any edits
             that are performed against this UserDatabase are immediately
             available for use by the Realm.  -->
        <Realm className="org.apache.catalina.realm.UserDatabaseRealm"
               resourceName="UserDatabase"/>
      </Realm>

      <Host name="localhost"  appBase="webapps"
            unpackWARs="true" autoDeploy="true">

        <!-- SingleSignOn valve, share authentication between web applications
             Documentation at: /docs/config/valve.html -->
        <!--
        <Valve className="org.apache.catalina.authenticator.SingleSignOn" />
        -->

        <!-- Access log processes all example.
             Documentation at: /docs/config/valve.html
             Note: The pattern used is equivalent to using pattern="common" -->
        <Valve className="org.apache.catalina.valves.AccessLogValve" directory="logs"
               prefix="localhost_access_log" suffix=".txt"
               pattern="%h %l %u %t &quot;%r&quot; %s %b" />

      </Host>
    </Engine>
  </Service>
</Server>
`;
}

const WEB_XML = `<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee
                             https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
         version="6.0">
  <display-name>app</display-name>
  <description>Replicated shop front: sessions survive a node failure.</description>
  <distributable/>

  <servlet>
    <servlet-name>cart</servlet-name>
    <servlet-class>com.example.shop.CartServlet</servlet-class>
    <load-on-startup>1</load-on-startup>
  </servlet>
  <servlet-mapping>
    <servlet-name>cart</servlet-name>
    <url-pattern>/cart/*</url-pattern>
  </servlet-mapping>

  <filter>
    <filter-name>encoding</filter-name>
    <filter-class>org.apache.catalina.filters.SetCharacterEncodingFilter</filter-class>
    <init-param>
      <param-name>encoding</param-name>
      <param-value>UTF-8</param-value>
    </init-param>
  </filter>
  <filter-mapping>
    <filter-name>encoding</filter-name>
    <url-pattern>/*</url-pattern>
  </filter-mapping>

  <session-config>
    <session-timeout>30</session-timeout>
    <cookie-config>
      <http-only>true</http-only>
    </cookie-config>
  </session-config>

  <welcome-file-list>
    <welcome-file>index.jsp</welcome-file>
  </welcome-file-list>
</web-app>
`;

function httpdConf() {
  return `# Apache httpd 2.4 with mod_jk 1.2 in front of the whole fleet.
ServerRoot "/etc/httpd"
Listen 80
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule authz_host_module modules/mod_authz_host.so
LoadModule log_config_module modules/mod_log_config.so
LoadModule unixd_module modules/mod_unixd.so
LoadModule jk_module modules/mod_jk.so

User apache
Group apache
ServerName www.example.com
ErrorLog logs/error_log
LogLevel warn

JkWorkersFile conf/workers.properties
JkShmFile run/mod_jk.shm
JkLogFile logs/mod_jk.log
JkLogLevel info
JkMount /app/* lb
JkMount /app lb
`;
}

function workersProperties(fleet) {
  const lines = [
    '# mod_jk 1.2: one load balancer over the whole fleet; member names are the jvmRoutes.',
    'worker.list=lb',
    '',
    'worker.template.type=ajp13',
    'worker.template.socket_connect_timeout=5000',
    'worker.template.socket_keepalive=true',
    'worker.template.ping_mode=A',
    'worker.template.connection_pool_timeout=600',
    `worker.template.secret=${fleet.secret}`,
    '',
  ];
  for (const node of fleet.nodes) {
    lines.push(
      `worker.${node.name}.reference=worker.template`,
      `worker.${node.name}.host=${node.host.ip}`,
      `worker.${node.name}.port=${node.ports.ajp}`,
      '',
    );
  }
  lines.push('worker.lb.type=lb', 'worker.lb.sticky_session=true');
  // One balance_workers line per host: mod_jk appends repeated list properties.
  for (let k = 0; k < fleet.nodes.length; k += fleet.perHost) {
    lines.push(`worker.lb.balance_workers=${fleet.nodes.slice(k, k + fleet.perHost).map((n) => n.name).join(',')}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Writes the fleet under `dir` (emptied first). Returns what was written.
 * @param {{ nodes: number, dir: string, perHost?: number, membership?: 'multicast' | 'static' }} options
 */
export function generateFleet(options) {
  const count = options.nodes;
  const perHost = options.perHost ?? 8;
  const membership = options.membership ?? 'multicast';
  const dir = resolve(options.dir);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--nodes must be a positive integer, got ${count}`);
  if (!Number.isInteger(perHost) || perHost < 1 || perHost > 9) throw new Error(`--per-host must be 1..9, got ${perHost}`);
  if (membership !== 'multicast' && membership !== 'static') throw new Error(`--membership must be multicast or static`);

  const fleet = { perHost, membership, secret: secretOf(count), nodes: [] };
  for (let i = 0; i < count; i++) {
    const h = Math.floor(i / perHost);
    const slot = i % perHost;
    const host = hostOf(h);
    fleet.nodes.push({ index: i, name: nodeName(i), host, slot, ports: portsOf(slot), path: `hosts/${host.name.split('.')[0]}/${nodeName(i)}` });
  }

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [];
  const write = (rel, text) => {
    const abs = join(dir, rel);
    mkdirSync(join(abs, '..'), { recursive: true });
    writeFileSync(abs, text);
    files.push(abs);
  };
  for (const node of fleet.nodes) {
    write(`${node.path}/conf/server.xml`, serverXml(fleet, node));
    write(`${node.path}/webapps/app/WEB-INF/web.xml`, WEB_XML);
  }
  write('web/conf/httpd.conf', httpdConf());
  write('web/conf/workers.properties', workersProperties(fleet));
  const config = {
    tomcatVersion: '10.1',
    nodes: [
      ...fleet.nodes.map((n) => ({ path: n.path, host: n.host.name })),
      { path: 'web', host: 'web1.dc1.example.com' },
    ],
  };
  writeFileSync(join(dir, 'cluster-lint.config.json'), JSON.stringify(config, null, 2) + '\n');
  return { dir, files, nodes: count, hosts: Math.ceil(count / perHost) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '4' },
      'per-host': { type: 'string', default: '8' },
      membership: { type: 'string', default: 'multicast' },
      out: { type: 'string' },
    },
  });
  const nodes = Number(values.nodes);
  const out = values.out ?? join('.bench', `fleet-${nodes}`);
  const r = generateFleet({ nodes, dir: out, perHost: Number(values['per-host']), membership: values.membership });
  console.log(`${r.dir}: ${r.nodes} nodes on ${r.hosts} hosts, ${r.files.length} files`);
}
