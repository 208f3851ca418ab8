/**
 * Web applications as Tomcat deploys them: the order Context definitions apply in,
 * whether an app is distributable, the apps Tomcat ships, and the session managers a
 * Context sets. Shared by missing-distributable, manager-overrides-cluster and
 * sticky-session-off.
 */
import { versionAtLeast } from '../../model/tomcat.js';
import type { ContextSource, TomcatNode, WebApp } from '../../model/types.js';
import type { XmlElement } from '../../parsers/syntax.js';
import type { Span } from '../../types.js';
import { attr } from './xml.js';

function isTrue(el: XmlElement, name: string): boolean {
  const a = attr(el, name);
  return a !== undefined && /^true$/i.test(a.value.trim());
}

/**
 * The Context definitions of an app in the order Tomcat applies them (`ContextConfig.contextConfig`,
 * 5.5 through 11): `conf/context.xml`, then the host's `context.xml.default` (both skipped when the
 * app's own Context says `override="true"`), then the app's own descriptor
 * (`conf/<Engine>/<Host>/<app>.xml`, else `META-INF/context.xml`). A `<Context>` in server.xml is
 * read with server.xml, before the defaults, so the defaults are applied after it. Later wins.
 */
export function contextOrder(app: WebApp): ContextSource[] {
  const last = (scope: ContextSource['scope']) => app.contexts.filter((c) => c.scope === scope).at(-1);
  // A descriptor in conf/<Engine>/<Host>/ makes HostConfig ignore META-INF/context.xml; a
  // server.xml Context is never redeployed from the folder.
  const own = last('server-xml') ?? last('host-app') ?? last('meta-inf');
  const defaults =
    own && isTrue(own.element, 'override')
      ? []
      : [...app.contexts.filter((c) => c.scope === 'global'), ...app.contexts.filter((c) => c.scope === 'host-default')];
  if (!own) return defaults;
  return own.scope === 'server-xml' ? [own, ...defaults] : [...defaults, own];
}

/** The `distributable` attribute of the Context that wins, when any Context writes it. */
function contextDistributable(app: WebApp): { value: boolean; span: Span | undefined } | undefined {
  let found: { value: boolean; span: Span | undefined } | undefined;
  for (const c of contextOrder(app)) if (c.distributable) found = c.distributable;
  return found;
}

export type DistributableStatus =
  | { kind: 'yes' }
  /** Only `<Context distributable="true">`, which Tomcat 5.x/6 honour. */
  | { kind: 'context-attribute-honoured' }
  /** web.xml is distributable but a web-fragment is not: the merged app is not (Tomcat 7+). */
  | { kind: 'fragment'; fragments: WebApp['fragments'] }
  /** Only `<Context distributable="true">`, which Tomcat 7+ overwrites with web.xml's value. */
  | { kind: 'context-attribute-ignored'; span: Span | undefined; sure: boolean }
  | { kind: 'no' };

/** Whether Tomcat makes the app distributable, with the reason when it does not. */
export function distributableStatus(node: TomcatNode, app: WebApp): DistributableStatus {
  const seven = versionAtLeast(node.version, 7);
  if (app.distributable) {
    // Fragments are merged only when web.xml is not metadata-complete, and only by Tomcat 7+.
    const complete = app.webXmlElement ? isTrue(app.webXmlElement, 'metadata-complete') : false;
    const broken = app.fragments.filter((f) => !f.distributable);
    if (broken.length > 0 && !complete && seven !== false) return { kind: 'fragment', fragments: broken };
    return { kind: 'yes' };
  }
  const attr = contextDistributable(app);
  if (attr?.value === true) {
    if (seven === false) return { kind: 'context-attribute-honoured' };
    return { kind: 'context-attribute-ignored', span: attr.span, sure: seven === true };
  }
  return { kind: 'no' };
}

/** True when Tomcat gives the app a cluster manager (as far as distributable goes). */
export function isDistributable(node: TomcatNode, app: WebApp): boolean {
  const s = distributableStatus(node, app).kind;
  return s === 'yes' || s === 'context-attribute-honoured';
}

/** Web applications Tomcat ships (ROOT, manager, docs, examples, ...): never meant to be replicated. */
const BUNDLED_APPS: Record<string, string[]> = {
  ROOT: ['Welcome to Tomcat'],
  manager: ['Tomcat Manager Application'],
  'host-manager': ['Tomcat Host Manager Application', 'Tomcat Manager Application'],
  docs: ['Tomcat Documentation'],
  'tomcat-docs': ['Tomcat Documentation'],
  examples: ['Servlet and JSP Examples'],
  'jsp-examples': ['JSP 2.0 Examples'],
  'servlets-examples': ['Servlet 2.4 Examples'],
  admin: ['Tomcat Administration Application'],
  balancer: ['Tomcat Simple Load Balancer Example App'],
  webdav: ['Webdav Content Management'],
};

export function isBundledApp(app: WebApp): boolean {
  const names = BUNDLED_APPS[app.name];
  if (!names || !app.webXmlElement) return false;
  const display = app.webXmlElement.children.find((c) => c.localName === 'display-name')?.text.trim();
  return display !== undefined && names.includes(display);
}

// ---------------------------------------------------------------- session managers

/**
 * What a `<Manager className>` inside a Context is: a cluster manager (the ha / 5.x cluster
 * session packages: DeltaManager, BackupManager, SimpleTcpReplicationManager), a local one
 * (no className = StandardManager, PersistentManager), or unknown (a third-party class, which may
 * share sessions another way, or an unresolved `${...}`).
 */
export function managerKind(className: string | undefined): 'cluster' | 'local' | 'unknown' {
  if (className === undefined) return 'local';
  const c = className.trim();
  if (c === '' ) return 'local';
  if (c.includes('${')) return 'unknown';
  if (c.startsWith('org.apache.catalina.ha.session.') || c.startsWith('org.apache.catalina.cluster.session.')) return 'cluster';
  if (c.startsWith('org.apache.catalina.session.')) return 'local';
  return 'unknown';
}

/**
 * The Context sources whose local `<Manager>` takes the app away from the cluster: every local
 * Manager that no later-applied Context replaces with a cluster Manager (Tomcat calls `setManager`
 * for each Context read, so the last one read wins; `contextOrder` gives that order).
 */
export function localManagers(app: WebApp): ContextSource[] {
  const order = contextOrder(app);
  const out: ContextSource[] = [];
  for (let i = 0; i < order.length; i++) {
    const src = order[i]!;
    if (!src.manager || managerKind(src.manager.className.value) !== 'local') continue;
    const replaced = order.slice(i + 1).some((later) => later.manager && managerKind(later.manager.className.value) === 'cluster');
    if (!replaced) out.push(src);
  }
  return out;
}
