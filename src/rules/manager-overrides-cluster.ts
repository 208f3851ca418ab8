import type { ContextSource, TomcatNode, WebApp } from '../model/types.js';
import type { RelatedLocation, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { contextOrder, isBundledApp, isDistributable, joinNames, place } from './missing-distributable.js';

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

function label(src: ContextSource): string {
  const cls = src.manager?.className.value?.trim();
  if (!cls) return 'StandardManager';
  return cls.slice(cls.lastIndexOf('.') + 1);
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
      const key = `${span.file}|${span.line}|${span.column}`;
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
      const where = place(p.nodes[0]!.root, p.src.span);
      const file = where.slice(0, where.lastIndexOf(':'));
      const related: RelatedLocation[] = [];
      const seen = new Set<string>();
      for (const { node, app } of p.apps) {
        const dist = app.webXmlElement?.children.find((c) => c.localName === 'distributable');
        const span: Span | undefined = dist?.span ?? app.webXmlSpan;
        if (!span || seen.has(`${span.file}|${span.line}`)) continue;
        seen.add(`${span.file}|${span.line}`);
        related.push({ span, message: `${app.name} on ${node.name} is distributable (${place(node.root, span)})` });
      }
      if (p.shadows?.manager) {
        related.push({ span: p.shadows.manager.span, message: `the cluster Manager it replaces (${place(p.nodes[0]!.root, p.shadows.manager.span)})` });
      }
      for (const node of p.nodes) {
        if (node.cluster) related.push({ span: node.cluster.span, message: `the <Cluster> of ${node.name} (${place(node.root, node.cluster.span)})` });
      }
      const nodeNames = joinNames(p.nodes.map((n) => n.name));
      const what = `This <Manager> (${label(p.src)}) in ${file}`;
      const effect = 'sessions stay in that node and are never replicated (nothing is logged), so failover loses them';
      const fixText = 'Remove it so the cluster creates its own manager, or name a cluster manager (DeltaManager or BackupManager).';
      let message: string;
      let severity: Severity | undefined;
      if (p.apps.length > 0) {
        const apps = [...new Set(p.apps.map((a) => `\`${a.app.name}\``))];
        const shadowed = p.shadows
          ? ` (Tomcat applies it after the cluster <Manager> in ${place(p.nodes[0]!.root, p.shadows.manager!.span)}, which it replaces)`
          : '';
        message = `${what} replaces the cluster's session manager for ${joinNames(apps)} on ${nodeNames}${shadowed}: ${effect}. ${fixText}`;
      } else {
        severity = 'warning';
        message = `${what} applies to every application on ${nodeNames}, which ${p.nodes.length > 1 ? 'run' : 'runs'} a <Cluster>: a distributable app deployed there gets it instead of the cluster's manager, and its ${effect} (no application was linted to confirm). ${fixText}`;
      }
      report({ span: manager.span, message, related, ...(severity ? { severity } : {}) });
    }
  },
};
