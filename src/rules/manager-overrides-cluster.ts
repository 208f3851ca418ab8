import type { ContextSource, TomcatNode, WebApp } from '../model/types.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { contextOrder, isBundledApp, isDistributable, localManagers, managerKind } from './shared/apps.js';
import { fileLine, joinNames, ownerAt, spanKey } from './shared/text.js';
import { simpleName } from './shared/xml.js';

function label(src: ContextSource): string {
  const cls = src.manager?.className.value?.trim();
  return cls ? simpleName(cls) : 'StandardManager';
}

interface Pending {
  src: ContextSource;
  /** A cluster Manager applied before this one (and replaced by it), e.g. in a server.xml Context. */
  shadows: ContextSource | undefined;
  /** Apps (with their node) that get this Manager; empty for a node-wide default on a node without linted apps. */
  apps: { node: TomcatNode; app: WebApp }[];
  nodes: TomcatNode[];
}

export const managerOverridesCluster: Rule = {
  meta: {
    id: 'manager-overrides-cluster',
    severity: 'error',
    description: 'A non-cluster <Manager> in a Context source of a distributable app on a clustered node',
    catalogue: ['APP-02'],
  },
  check(model, report) {
    const pending = new Map<string, Pending>();
    const entry = (src: ContextSource, node: TomcatNode): Pending => {
      const span = src.manager!.span;
      const key = spanKey(span);
      let p = pending.get(key);
      if (!p) {
        p = { src, shadows: undefined, apps: [], nodes: [] };
        pending.set(key, p);
      }
      if (!p.nodes.includes(node)) p.nodes.push(node);
      return p;
    };

    for (const node of model.nodes) {
      if (!node.cluster) continue;
      if (node.apps.length === 0) {
        // No application was linted with this node: a node-wide default Manager still takes
        // every distributable app deployed here away from the cluster.
        for (const src of node.contexts) {
          if (src.manager && managerKind(src.manager.className.value) === 'local') entry(src, node);
        }
        continue;
      }
      for (const app of node.apps) {
        if (isBundledApp(app) || !isDistributable(node, app)) continue;
        const order = contextOrder(app);
        for (const src of localManagers(app)) {
          const p = entry(src, node);
          p.apps.push({ node, app });
          const before = order.slice(0, order.indexOf(src));
          p.shadows ??= before.find((c) => c.manager && managerKind(c.manager.className.value) === 'cluster');
        }
      }
    }

    for (const p of pending.values()) {
      const manager = p.src.manager!;
      const where = fileLine(p.src.span, p.nodes[0]!.root);
      const file = where.slice(0, where.lastIndexOf(':'));
      const related: RelatedLocation[] = [];
      const seen = new Set<string>();
      for (const { node, app } of p.apps) {
        const dist = app.webXmlElement?.children.find((c) => c.localName === 'distributable');
        const span: Span | undefined = dist?.span ?? app.webXmlSpan;
        if (!span || seen.has(`${span.file}|${span.line}`)) continue;
        seen.add(`${span.file}|${span.line}`);
        related.push({ span, message: `${app.name} on ${node.name} is distributable (${fileLine(span, node.root)})` });
      }
      if (p.shadows?.manager) {
        related.push({ span: p.shadows.manager.span, message: `the cluster Manager it replaces (${fileLine(p.shadows.manager.span, p.nodes[0]!.root)})` });
      }
      for (const node of p.nodes) {
        if (node.cluster) related.push({ span: node.cluster.span, message: `the <Cluster> of ${ownerAt(node, node.cluster.span)}` });
      }
      const nodeNames = joinNames(p.nodes.map((n) => n.name));
      const what = `This <Manager> (${label(p.src)}) in ${file}`;
      const effect = 'sessions stay on that node, unreplicated (nothing is logged), and failover loses them';
      const fixText = 'Remove it (the cluster then creates its own manager), or name DeltaManager or BackupManager.';
      let message: string;
      let severity: Severity | undefined;
      if (p.apps.length > 0) {
        const apps = [...new Set(p.apps.map((a) => `\`${a.app.name}\``))];
        const shadowed = p.shadows
          ? ` (applied after the cluster <Manager> in ${fileLine(p.shadows.manager!.span, p.nodes[0]!.root)})`
          : '';
        message = `${what} replaces the cluster's session manager for ${joinNames(apps)} on ${nodeNames}${shadowed}: ${effect}. ${fixText}`;
      } else {
        severity = 'warning';
        message = `${what} applies to every app on ${nodeNames}, which ${p.nodes.length > 1 ? 'run' : 'runs'} a <Cluster>: a distributable app there gets it instead of the cluster's manager, so its ${effect} (no app was linted to confirm). ${fixText}`;
      }
      report({ span: manager.span, message, related, ...(severity ? { severity } : {}) });
    }
  },
};
