// Turns a scenario folder (e2e/scenarios/<name>/) into runnable CATALINA_BASEs and an
// httpd ServerRoot: every {{NAME}} is replaced, and the pieces every scenario shares
// (the JSP, Tomcat's default conf/web.xml, logging, httpd.conf) are added where the
// scenario does not bring its own.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const E2E_DIR = join(REPO, 'e2e');
export const SCENARIOS_DIR = join(E2E_DIR, 'scenarios');
export const TEMPLATES_DIR = join(E2E_DIR, 'templates');

export const NODES = ['tomcat1', 'tomcat2'] as const;
export type NodeName = (typeof NODES)[number];

/** Ports and names the scenario files use. Every scenario runs in its own namespace, so fixed ports are safe. */
export const PORTS = {
  HTTPD_PORT: 8000,
  T1_SHUTDOWN: 8005,
  T1_HTTP: 8080,
  T1_AJP: 8009,
  T1_RECEIVER: 4000,
  T2_SHUTDOWN: 8006,
  T2_HTTP: 8081,
  T2_AJP: 8010,
  T2_RECEIVER: 4001,
  /** A port nothing listens on. */
  FREE_PORT: 8011,
  MCAST_PORT: 45564,
  /** A second multicast port, for scenarios where one node is in another group. */
  MCAST_PORT_OTHER: 45565,
};

export function httpPort(node: NodeName): number {
  return node === 'tomcat1' ? PORTS.T1_HTTP : PORTS.T2_HTTP;
}

export function variables(root: string): Record<string, string> {
  const vars: Record<string, string> = {
    APACHE_DIR: join(root, 'apache'),
    TOMCAT1_DIR: join(root, 'tomcat1'),
    TOMCAT2_DIR: join(root, 'tomcat2'),
    MCAST_ADDRESS: '228.0.0.4',
    AJP_SECRET: 'e2e-ajp-secret-1',
    AJP_SECRET_OTHER: 'e2e-ajp-secret-2',
    SHUTDOWN_COMMAND: 'e2e-stop-now',
  };
  for (const [k, v] of Object.entries(PORTS)) vars[k] = String(v);
  return vars;
}

function substitute(text: string, vars: Record<string, string>, file: string): string {
  return text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`${file}: unknown template variable ${whole}`);
    return v;
  });
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Renders scenario `name` into `root` (which must not exist yet). Returns the node folders. */
export function renderScenario(name: string, root: string): { tomcat: Record<NodeName, string>; apache: string } {
  const src = join(SCENARIOS_DIR, name);
  const vars = variables(root);
  for (const file of walk(src)) {
    const rel = relative(src, file);
    if (rel === 'scenario.json' || rel.endsWith('.md')) continue;
    put(join(root, rel), substitute(readFileSync(file, 'utf8'), vars, join('e2e/scenarios', name, rel)));
  }
  const shared = (rel: string, from: string, subst = false): void => {
    const to = join(root, rel);
    if (existsSync(to)) return; // the scenario brings its own
    mkdirSync(dirname(to), { recursive: true });
    if (subst) put(to, substitute(readFileSync(from, 'utf8'), vars, from));
    else copyFileSync(from, to);
  };
  for (const node of NODES) {
    if (!existsSync(join(root, node, 'conf', 'server.xml'))) throw new Error(`scenario ${name}: ${node}/conf/server.xml missing`);
    // Tomcat's own defaults, as Debian ships them (the default servlet and the JSP servlet live here).
    shared(`${node}/conf/web.xml`, '/usr/share/tomcat10/etc/web.xml');
    shared(`${node}/conf/catalina.properties`, '/usr/share/tomcat10/etc/catalina.properties');
    shared(`${node}/conf/logging.properties`, join(TEMPLATES_DIR, 'logging.properties'));
    shared(`${node}/webapps/app/index.jsp`, join(TEMPLATES_DIR, 'index.jsp'));
    for (const d of ['logs', 'temp', 'work']) mkdirSync(join(root, node, d), { recursive: true });
  }
  shared('apache/conf/httpd.conf', join(TEMPLATES_DIR, 'httpd.conf'), true);
  if (!existsSync(join(root, 'apache', 'conf', 'workers.properties'))) throw new Error(`scenario ${name}: apache/conf/workers.properties missing`);
  for (const d of ['logs', 'run', 'htdocs']) mkdirSync(join(root, 'apache', d), { recursive: true });
  // httpd's children run as www-data: they must be able to reach the ServerRoot.
  for (const d of [dirname(root), root, join(root, 'apache'), join(root, 'apache', 'run'), join(root, 'apache', 'htdocs'), join(root, 'apache', 'conf')]) {
    chmodSync(d, 0o755);
  }
  return { tomcat: { tomcat1: join(root, 'tomcat1'), tomcat2: join(root, 'tomcat2') }, apache: join(root, 'apache') };
}

export interface ScenarioSpec {
  name: string;
  /** The rule this scenario proves (absent for the clean cluster). */
  rule?: string;
  /** The single fault, in one sentence. */
  fault: string;
  /** What design.md's table says the servers do. */
  claim: string;
  /** What the probe shows that the table cannot (goes into RESULTS.md). */
  note?: string;
  expect: Expectations;
}

export interface LogExpectation {
  /** tomcat1 | tomcat2 (console), httpd (error.log), mod_jk (mod_jk.log), access (access.log) */
  log: 'tomcat1' | 'tomcat2' | 'httpd' | 'mod_jk' | 'access';
  match: string;
  absent?: boolean;
  /** Only what was logged before the failover step stopped a node. */
  beforeFailover?: boolean;
  /** Shown in RESULTS.md as the evidence line. */
  evidence?: boolean;
}

export interface Expectations {
  /** Rule IDs cluster-lint must report as errors; [] means: no error at all. */
  lint: string[];
  nodes?: Partial<Record<NodeName, 'up' | 'exited'>>;
  httpd?: 'up' | 'exited';
  /** The last line `apache2 -t` prints, e.g. "Syntax OK". */
  configTest?: string;
  membership?: boolean;
  /** Exactly these nodes answer fresh (cookie-less) requests with 200. */
  lb?: NodeName[];
  /** Statuses that fresh requests must include (e.g. 403; 0: no answer within 3 s). */
  lbStatuses?: number[];
  sticky?: boolean;
  routeSuffix?: boolean;
  replication?: boolean;
  /** 'survives', 'lost', or the status of the first request after the stop (0: no answer within 10 s). */
  failover?: 'survives' | 'lost' | number;
  /** The app's session manager class on every node that answers (from the JSP, via JMX). */
  manager?: string;
  /** mod_jk status worker values before the failover, e.g. {"node2.state": "ERR"}. */
  jk?: Record<string, string>;
  logs?: LogExpectation[];
}

export function listScenarios(): ScenarioSpec[] {
  const only = process.env.E2E_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean);
  return readdirSync(SCENARIOS_DIR)
    .filter((d) => existsSync(join(SCENARIOS_DIR, d, 'scenario.json')))
    .filter((d) => !only || only.includes(d))
    .sort((a, b) => (a === 'clean' ? -1 : b === 'clean' ? 1 : a.localeCompare(b)))
    .map((d) => ({ name: d, ...(JSON.parse(readFileSync(join(SCENARIOS_DIR, d, 'scenario.json'), 'utf8')) as Omit<ScenarioSpec, 'name'>) }));
}
