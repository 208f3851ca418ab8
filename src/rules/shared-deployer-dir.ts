import { hostKey } from '../model/link.js';
import type { XmlAttribute } from '../parsers/syntax.js';
import type { TomcatNode } from '../model/types.js';
import type { Rule } from './api.js';
import { clusterElements } from './shared/cluster.js';
import { pushTo } from './shared/collections.js';
import { assumingHost, joinNames, onHost } from './shared/text.js';
import { generationOf, otherGeneration } from './shared/version.js';
import { attr, childrenNamed } from './shared/xml.js';

/**
 * FarmWarDeployer mistakes:
 * - a `<Deployer>` in an Engine-level `<Cluster>`: FarmWarDeployer.start() logs
 *   "FarmWarDeployer can only work as host cluster subelement!" and returns (6+; 5.5 logs
 *   "Cluster deployment disabled."): farm deployment silently does nothing, the cluster
 *   itself works;
 * - nodes on one machine (known, or assumed when hosts are unknown) whose working
 *   (Host-level) deployers share an absolute `tempDir`, `watchDir` or `deployDir` while
 *   watching is on: two watchers pick up the same WAR and broadcast it twice, and the
 *   receivers write the same temporary and deployed files at the same time.
 */
export const sharedDeployerDir: Rule = {
  meta: {
    id: 'shared-deployer-dir',
    severity: 'warning',
    description: 'Co-located nodes sharing FarmWarDeployer directories with watching on; a Deployer outside a Host-level Cluster',
    catalogue: ['TC-13'],
  },
  check(model, report) {
    interface Use {
      node: TomcatNode;
      kind: 'tempDir' | 'watchDir' | 'deployDir';
      attr: XmlAttribute;
      path: string;
      watching: boolean;
    }
    const byHostPath = new Map<string, Use[]>();

    for (const node of model.nodes) {
      for (const cluster of clusterElements(node.serverElement)) {
        const cls = attr(cluster, 'className')?.value.trim() ?? '';
        if (otherGeneration(node, generationOf(cls))) continue; // does not load at all: cluster-class-version
        const hostLevel = cluster.parent?.localName === 'Host';
        for (const deployer of childrenNamed(cluster, 'Deployer')) {
          const dcls = attr(deployer, 'className')?.value.trim() ?? '';
          if (!/(^|\.)FarmWarDeployer$/.test(dcls)) continue;
          if (!hostLevel) {
            const v5 = dcls.startsWith('org.apache.catalina.cluster.');
            report({
              span: deployer.startTagSpan,
              message:
                `FarmWarDeployer in ${node.name}'s Engine-level \`<Cluster>\` never starts: Tomcat logs ` +
                (v5 ? '"Unable to retrieve the container deployer. Cluster deployment disabled."' : '"FarmWarDeployer can only work as host cluster subelement!"') +
                ` and farm deployment silently does nothing (the cluster itself works). Move the \`<Cluster>\` with its \`<Deployer>\` into the \`<Host>\`, or delete the \`<Deployer>\`.`,
            });
            continue;
          }
          const watching = /^true$/i.test(attr(deployer, 'watchEnabled')?.value.trim() ?? '');
          for (const kind of ['tempDir', 'watchDir', 'deployDir'] as const) {
            const a = attr(deployer, kind);
            if (!a || a.value.includes('${')) continue;
            const path = normalize(a.value);
            if (!path) continue;
            const k = `${hostKey(node.host).toLowerCase()}\u0000${path}`;
            pushTo(byHostPath, k, { node, kind, attr: a, path, watching });
          }
        }
      }
    }

    for (const uses of byHostPath.values()) {
      // A watchDir matters only to a node that watches it; temp and deploy dirs are written by every receiving node.
      const active = uses.filter((u) => u.kind !== 'watchDir' || u.watching);
      const nodes = [...new Set(active.map((u) => u.node))];
      if (nodes.length < 2 || !uses.some((u) => u.watching)) continue;
      const first = active[0]!;
      const assumed = nodes.some((n) => n.host.source === 'unknown');
      const where = assumed
        ? assumingHost(nodes.map((n) => n.name))
        : `${joinNames(nodes.map((n) => n.name))} run ${onHost(first.node.host)}`;
      const seen = new Set<TomcatNode>([first.node]);
      for (const u of active) {
        if (seen.has(u.node)) continue;
        seen.add(u.node);
        report({
          span: u.attr.span,
          message:
            `${u.node.name}'s FarmWarDeployer \`${u.kind}\` ${u.path} is also ${first.node.name}'s \`${first.kind}\` (${where}): ` +
            `${consequence(u.kind, first.kind)} Give each node its own directory.`,
          related: [{ span: first.attr.span, message: `${first.node.name}'s \`${first.kind}\`` }],
        });
      }
    }
  },
};

function consequence(a: string, b: string): string {
  if (a === 'watchDir' && b === 'watchDir') return 'both watchers pick up every WAR dropped there and broadcast it, so each deployment runs twice and the copies race.';
  return 'both nodes write the WAR files they receive into it at the same time, so the copies overwrite each other mid-transfer.';
}

function normalize(p: string): string | undefined {
  const s = p.trim().replace(/\\/g, '/');
  if (!/^([A-Za-z]:)?\//.test(s)) return undefined;
  const out = s.replace(/\/+/g, '/').replace(/\/$/, '');
  return /^[A-Za-z]:/.test(out) ? out.toLowerCase() : out || '/';
}
