import type { TomcatNode, WebApp } from '../model/types.js';
import type { XmlElement } from '../parsers/syntax.js';
import type { SourceText } from '../parsers/source.js';
import type { Fix, RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { distributableStatus, isBundledApp } from './shared/apps.js';
import { joinNames, ownerAt } from './shared/text.js';

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
    n.cluster ? [{ span: n.cluster.span, message: `the <Cluster> of ${ownerAt(n, n.cluster.span)}` }] : [],
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
      const effect = 'Tomcat gives it a StandardManager, so its sessions are never replicated (nothing is logged) and failover loses them';
      const first = p.nodes[0]!;
      if (p.kind === 'fragment') {
        if (p.fragmentOf) related.unshift({ span: p.fragmentOf, message: `web.xml of ${p.app.name} declares <distributable/>` });
        report({
          span: p.span,
          message: `This web-fragment of \`${p.app.name}\` has no <distributable/>, which makes the merged app non-distributable although ${clustered}: ${effect}. Add <distributable/> to the fragment.`,
          related,
        });
        continue;
      }
      if (p.kind === 'no-web-xml') {
        if (p.attrSpan) related.unshift({ span: p.attrSpan, message: 'distributable="true" on the Context' });
        report({
          span: p.span,
          message: `No WEB-INF/web.xml was linted for \`${p.app.name}\` although ${clustered}; without <distributable/> there ${effect}. Add one with <distributable/> (or lint the app's WEB-INF/web.xml too).`,
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
        const assumed = p.severity === 'warning' ? ` (assuming 7.0+: ${first.name}'s version is unknown)` : '';
        message = `\`${p.app.name}\` has no <distributable/> in web.xml, and Tomcat 7+ overwrites its <Context distributable="true"> with that${assumed}, although ${clustered}: ${effect}. Add <distributable/> to web.xml.`;
      } else {
        message = `\`${p.app.name}\` has no <distributable/> in web.xml although ${clustered}: ${effect}. Add <distributable/> to web.xml.`;
      }
      report({ span: p.span, message, related, severity: p.severity, ...(fix ? { fix } : {}) });
    }
  },
};
