import type { ContextSource, TomcatNode, WebApp } from '../model/types.js';
import { versionAtLeast } from '../model/tomcat.js';
import type { XmlElement } from '../parsers/syntax.js';
import type { SourceText } from '../parsers/source.js';
import type { Fix, RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';

// ---------------------------------------------------------------- shared helpers (also used by
// manager-overrides-cluster and sticky-session-off)

/** `conf/server.xml:26`: the file relative to the node's (or front end's) folder, and the line. */
export function place(root: string, span: Span): string {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const r = norm(root);
  const f = norm(span.file);
  const rel = f.startsWith(r + '/') ? f.slice(r.length + 1) : f.slice(f.lastIndexOf('/') + 1);
  return `${rel}:${span.line}`;
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function isTrue(el: XmlElement, name: string): boolean {
  const a = el.attributes.find((x) => x.name === name);
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

// ---------------------------------------------------------------- the fix

const LEADING = new Set(['icon', 'display-name', 'description']);

/** The whitespace before an element on its line, when nothing else precedes it there. */
function indentOf(text: string, offset: number): string | undefined {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  const lead = text.slice(i, offset);
  return /^[ \t]*$/.test(lead) ? lead : undefined;
}

/**
 * Inserts `<distributable/>` where every web-app schema allows it: after the leading
 * `icon`/`display-name`/`description` elements (the Servlet 2.2/2.3 DTD order is
 * icon?, display-name?, description?, distributable?, ...; 2.4+ accepts any order), else right
 * after the `<web-app>` start tag. A self-closing `<web-app/>` is opened and closed around it.
 * Indentation follows the first child (else the root's plus two spaces); line breaks are the file's.
 */
export function distributableFix(root: XmlElement, source: SourceText): Fix | undefined {
  const text = source.text;
  const eol = source.eol;
  const prefix = root.name.includes(':') ? root.name.slice(0, root.name.indexOf(':') + 1) : '';
  const tag = `<${prefix}distributable/>`;
  const rootIndent = indentOf(text, root.start) ?? '';
  const first = root.children[0];
  const unit = rootIndent.includes('\t') && !rootIndent.includes(' ') ? '\t' : '  ';
  const childIndent = first ? indentOf(text, first.start) : undefined;
  const indent = childIndent ?? rootIndent + unit;
  const description = `Add ${tag} to ${source.file.replace(/\\/g, '/').split('/').slice(-2).join('/')}`;
  const edit = (start: number, end: number, insert: string): Fix => ({
    description,
    edits: [{ file: source.file, start, end, text: insert }],
  });

  if (root.selfClosing) {
    const startTag = text.slice(root.start, root.startTagEnd);
    const open = startTag.replace(/\s*\/>$/, '>');
    if (open === startTag) return undefined;
    return edit(root.start, root.startTagEnd, `${open}${eol}${indent}${tag}${eol}${rootIndent}</${root.name}>`);
  }

  let anchor: XmlElement | undefined;
  for (const child of root.children) {
    if (!LEADING.has(child.localName)) break;
    anchor = child;
  }
  if (anchor) return edit(anchor.end, anchor.end, `${eol}${indent}${tag}`);

  if (root.children.length === 0) {
    // `<web-app ...>` + blank + `</web-app>`: replace the blank with a tidy body.
    const endTag = text.lastIndexOf('</', root.end);
    if (endTag >= root.startTagEnd && text.slice(root.startTagEnd, endTag).trim() === '') {
      return edit(root.startTagEnd, endTag, `${eol}${indent}${tag}${eol}${rootIndent}`);
    }
  }
  return edit(root.startTagEnd, root.startTagEnd, `${eol}${indent}${tag}`);
}

// ---------------------------------------------------------------- the rule

interface Pending {
  app: WebApp;
  nodes: TomcatNode[];
  span: Span;
  severity: Severity;
  kind: 'no' | 'context-attribute-ignored' | 'fragment' | 'no-web-xml';
  attrSpan?: Span | undefined;
  fragmentOf?: Span | undefined;
}

function clusterRelated(nodes: TomcatNode[]): RelatedLocation[] {
  return nodes.flatMap((n) =>
    n.cluster ? [{ span: n.cluster.span, message: `the <Cluster> of ${n.name} (${place(n.root, n.cluster.span)})` }] : [],
  );
}

export const missingDistributable: Rule = {
  meta: {
    id: 'missing-distributable',
    severity: 'error',
    description: 'An app on a clustered node whose web.xml lacks <distributable/> (or a web-fragment without it, or only <Context distributable> on 7+)',
    catalogue: ['APP-01', 'APP-03', 'APP-04'],
    fixable: true,
  },
  check(model, report) {
    // One finding per file to edit, even when several nodes share it.
    const pending = new Map<string, Pending>();
    const add = (key: string, p: Omit<Pending, 'nodes'>, node: TomcatNode) => {
      const found = pending.get(key);
      if (found) {
        if (!found.nodes.includes(node)) found.nodes.push(node);
        if (p.severity === 'error') found.severity = 'error';
        return;
      }
      pending.set(key, { ...p, nodes: [node] });
    };

    for (const node of model.nodes) {
      if (!node.cluster) continue;
      for (const app of node.apps) {
        if (isBundledApp(app)) continue;
        const status = distributableStatus(node, app);
        if (status.kind === 'yes' || status.kind === 'context-attribute-honoured') continue;
        if (status.kind === 'fragment') {
          for (const f of status.fragments) {
            add(`fragment|${f.file}`, { app, span: f.span, severity: 'error', kind: 'fragment', fragmentOf: app.webXmlSpan }, node);
          }
          continue;
        }
        const attrSpan = status.kind === 'context-attribute-ignored' ? status.span : undefined;
        const kind = status.kind === 'context-attribute-ignored' ? status.kind : 'no';
        const severity: Severity = status.kind === 'context-attribute-ignored' && !status.sure ? 'warning' : 'error';
        if (app.webXml && app.webXmlSpan) {
          add(`web.xml|${app.webXml}`, { app, span: app.webXmlSpan, severity, kind, attrSpan }, node);
          continue;
        }
        // No WEB-INF/web.xml among the linted files: report at the app's own Context.
        const own = app.contexts.filter((c) => c.scope === 'meta-inf' || c.scope === 'host-app' || c.scope === 'server-xml').at(-1);
        if (own) add(`context|${own.file}|${own.span.line}`, { app, span: own.span, severity: 'warning', kind: 'no-web-xml', attrSpan }, node);
      }
    }

    for (const p of pending.values()) {
      const names = p.nodes.map((n) => n.name);
      const clustered = `${joinNames(names)} ${names.length > 1 ? 'run' : 'runs'} a <Cluster>`;
      const related = clusterRelated(p.nodes);
      const effect = 'Tomcat gives it a StandardManager, so its sessions are never replicated and failover loses them (nothing is logged)';
      const first = p.nodes[0]!;
      if (p.kind === 'fragment') {
        if (p.fragmentOf) related.unshift({ span: p.fragmentOf, message: `web.xml of ${p.app.name} declares <distributable/>` });
        report({
          span: p.span,
          message: `This web-fragment of \`${p.app.name}\` has no <distributable/>, so the merged app is not distributable although web.xml declares it and ${clustered}: ${effect}. Add <distributable/> to the fragment.`,
          related,
        });
        continue;
      }
      if (p.kind === 'no-web-xml') {
        if (p.attrSpan) related.unshift({ span: p.attrSpan, message: 'distributable="true" on the Context' });
        report({
          span: p.span,
          message: `No WEB-INF/web.xml was linted for \`${p.app.name}\` although ${clustered}; without one declaring <distributable/> ${effect}. Add a web.xml with <distributable/> (or lint the app's WEB-INF/web.xml too).`,
          related,
          severity: 'warning',
        });
        continue;
      }
      const root = p.app.webXmlElement;
      const source = p.app.webXml ? model.sources.get(p.app.webXml) : undefined;
      const fix = root && source ? distributableFix(root, source) : undefined;
      let message: string;
      if (p.kind === 'context-attribute-ignored') {
        if (p.attrSpan) related.unshift({ span: p.attrSpan, message: 'distributable="true" on the Context, overwritten by web.xml on Tomcat 7+' });
        const assumed = p.severity === 'warning' ? ` (the Tomcat version of ${first.name} is unknown: assuming 7.0 or later)` : '';
        message = `\`${p.app.name}\` relies on <Context distributable="true">, which Tomcat 7+ overwrites with web.xml's value${assumed}, and web.xml has no <distributable/> although ${clustered}: ${effect}. Add <distributable/> to web.xml.`;
      } else {
        message = `\`${p.app.name}\` has no <distributable/> in web.xml although ${clustered}: ${effect}. Add <distributable/> to web.xml.`;
      }
      report({ span: p.span, message, related, severity: p.severity, ...(fix ? { fix } : {}) });
    }
  },
};
