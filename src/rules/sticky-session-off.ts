import type { Balancer, TomcatNode, WebApp } from '../model/types.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { contextOrder, isBundledApp, isDistributable, localManagers } from './shared/apps.js';
import { joinNames, ownerAt } from './shared/text.js';
import { attr } from './shared/xml.js';

const DEFAULT_COOKIE = 'JSESSIONID';
const DEFAULT_PARAM = 'jsessionid';

/**
 * The session cookie name an app configures: the Context's `sessionCookieName` (the last Context
 * applied), else web.xml `<session-config><cookie-config><name>`; undefined for the defaults
 * (cookie JSESSIONID, URL parameter jsessionid). Tomcat's `SessionConfig` uses a configured name
 * for both the cookie and the `;name=` URL parameter.
 */
function configuredName(app: WebApp): string | undefined {
  let name: string | undefined;
  for (const c of contextOrder(app)) name = attr(c.element, 'sessionCookieName')?.value.trim() || name;
  if (name) return name;
  const config = app.webXmlElement?.children.find((c) => c.localName === 'session-config');
  const cookie = config?.children.find((c) => c.localName === 'cookie-config');
  return cookie?.children.find((c) => c.localName === 'name')?.text.trim() || undefined;
}

/** Every cookie name and URL parameter name the nodes behind may use. */
function sessionNames(nodes: TomcatNode[]): { cookies: Set<string>; params: Set<string> } {
  const cookies = new Set<string>();
  const params = new Set<string>();
  const add = (configured: string | undefined) => {
    cookies.add(configured ?? DEFAULT_COOKIE);
    params.add(configured ?? DEFAULT_PARAM);
  };
  for (const node of nodes) {
    const apps = node.apps.filter((a) => !isBundledApp(a));
    if (apps.length === 0) {
      let name: string | undefined;
      for (const c of node.contexts) name = attr(c.element, 'sessionCookieName')?.value.trim() || name;
      add(name);
    }
    for (const app of apps) add(configuredName(app));
  }
  return { cookies, params };
}

/** Why the nodes do not replicate sessions, or undefined when they do (or it cannot be told). */
function notReplicated(nodes: TomcatNode[]): string | undefined {
  const noCluster: string[] = [];
  const noApp: string[] = [];
  for (const node of nodes) {
    if (!node.cluster) {
      noCluster.push(node.name);
      continue;
    }
    const apps = node.apps.filter((a) => !isBundledApp(a));
    if (apps.length === 0) continue; // no application linted: cannot tell
    const replicated = apps.some((a) => isDistributable(node, a) && localManagers(a).length === 0);
    if (!replicated) noApp.push(node.name);
  }
  const reasons: string[] = [];
  if (noCluster.length > 0) reasons.push(`${joinNames(noCluster)} ${noCluster.length > 1 ? 'have' : 'has'} no <Cluster>`);
  if (noApp.length > 0) reasons.push(`no application on ${joinNames(noApp)} is replicated`);
  return reasons.length > 0 ? joinNames(reasons) : undefined;
}

interface Problem {
  span: Span;
  what: string;
  fix: string;
}

function problemOf(b: Balancer, nodes: TomcatNode[]): Problem | undefined {
  if (b.kind === 'proxy') {
    const cookie = b.sessionCookie;
    if (!b.sticky.value || !cookie) {
      return {
        span: b.span,
        what: `Balancer \`balancer://${b.name}\` has no \`stickysession\`, so it ignores session routes`,
        fix: 'Add `stickysession=JSESSIONID|jsessionid` to the balancer (`ProxySet` or `ProxyPass`).',
      };
    }
    const bar = cookie.value.indexOf('|');
    const name = (bar < 0 ? cookie.value : cookie.value.slice(0, bar)).trim();
    // mod_proxy: `cookie|param`; without `|` the one name is used for both.
    const param = (bar < 0 ? cookie.value : cookie.value.slice(bar + 1)).trim();
    const span = cookie.span ?? b.sticky.span ?? b.span;
    if (name === '') {
      return { span, what: `Balancer \`balancer://${b.name}\` has an empty \`stickysession\`, so it ignores session routes`, fix: 'Use `stickysession=JSESSIONID|jsessionid`.' };
    }
    return cookieProblem(b, name, param, span, nodes, 'stickysession=JSESSIONID|jsessionid');
  }
  if (!b.sticky.value) {
    const key = b.kind === 'jk' ? `worker.${b.name}.sticky_session` : 'stickySession';
    return {
      span: b.sticky.span ?? b.span,
      what: `Load balancer \`${b.name}\` has \`${key}\` off, so it ignores session routes`,
      fix: `Remove \`${key}\` (sticky is the default).`,
    };
  }
  if (b.kind === 'jk' && b.sessionCookie) {
    const name = b.sessionCookie.value.trim();
    if (name === '') return undefined;
    // mod_jk looks for the URL parameter in `session_path` (default `;jsessionid`).
    return cookieProblem(b, name, DEFAULT_PARAM, b.sessionCookie.span ?? b.span, nodes, `worker.${b.name}.session_cookie=JSESSIONID`);
  }
  return undefined;
}

function label(b: Balancer): string {
  return b.kind === 'proxy' ? `Balancer \`balancer://${b.name}\`` : `Load balancer \`${b.name}\``;
}

function cookieProblem(b: Balancer, name: string, param: string, span: Span, nodes: TomcatNode[], suggestion: string): Problem | undefined {
  if (name.includes('$(') || name.includes('${')) return undefined;
  const { cookies, params } = sessionNames(nodes);
  if ([...cookies].some((n) => n.includes('${'))) return undefined;
  if (cookies.has(name)) return undefined;
  const sent = [...cookies].map((n) => `\`${n}\``);
  const caseOnly = [...cookies].some((n) => n.toLowerCase() === name.toLowerCase());
  const found = params.has(param) ? `so only URLs rewritten with \`;${param}=\` stick` : 'so no request sticks';
  return {
    span,
    what: `${label(b)} looks for the cookie \`${name}\`, but the nodes send ${joinNames(sent)}${caseOnly ? ' (names are case-sensitive)' : ''}, ${found}`,
    fix:
      cookies.size === 1 && cookies.has(DEFAULT_COOKIE)
        ? `Use \`${suggestion}\`.`
        : `Name the cookie the application sends (${joinNames(sent)}).`,
  };
}

export const stickySessionOff: Rule = {
  meta: {
    id: 'sticky-session-off',
    severity: 'warning',
    description: 'A balancer in front of nodes with jvmRoutes that does not route by session (error when the nodes do not replicate)',
    catalogue: ['JK-12', 'PXB-02'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) {
      for (const b of fe.balancers) {
        const defined = b.members.filter((m) => m.defined);
        if (defined.length < 2) continue; // one backend: nothing to stick to
        const nodes = [...new Set(defined.flatMap((m) => (m.target ? [m.target.node] : [])))];
        const routed = nodes.filter((n) => n.engine?.jvmRoute);
        if (routed.length === 0) continue;
        const problem = problemOf(b, nodes);
        if (!problem) continue;
        report(finding(nodes, problem));
      }
    }
  },
};

function finding(nodes: TomcatNode[], problem: Problem) {
  const related: RelatedLocation[] = [];
  for (const n of nodes) {
    const r = n.engine?.jvmRoute;
    if (r?.span) related.push({ span: r.span, message: `jvmRoute "${r.value}" of ${ownerAt(n, r.span)}` });
  }
  const lost = notReplicated(nodes);
  let severity: Severity;
  let effect: string;
  if (lost) {
    severity = 'error';
    effect = `requests alternate between ${joinNames(nodes.map((n) => n.name))} and every switch loses the session (${lost})`;
  } else {
    severity = 'warning';
    effect = 'requests alternate between the nodes (replication masks it, but an update made while the session hops can be lost)';
  }
  return { span: problem.span, message: `${problem.what}: ${effect}. ${problem.fix}`, related, severity };
}
