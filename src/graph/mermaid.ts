/**
 * The cluster as a Mermaid flowchart: front ends (entry, mounts, balancers, members) on
 * the left, Tomcat nodes (connectors, apps) on the right, grouped by the membership
 * group they replicate in, with the places findings point at coloured.
 *
 * Reads only the model and the findings. Every Mermaid id is generated (n1, fe1_b2, ...);
 * user text appears only inside quoted labels, escaped with Mermaid's entity codes.
 */
import type { BalancerMember, ClusterModel, FrontEnd, Membership, TomcatNode } from '../model/types.js';
import type { Finding, Severity, Span } from '../types.js';

/** Escapes text for a quoted Mermaid label: no quote, tag, entity or markdown can break out. */
export function label(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/#/g, '#35;')
    .replace(/&/g, '#38;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\|/g, '#124;');
}

/** Label lines joined with Mermaid's line break; each line escaped. */
function lines(...parts: (string | undefined | false)[]): string {
  return `"${parts.filter((p): p is string => !!p).map(label).join('<br/>')}"`;
}

const CLASSES = [
  'classDef error fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#1f2328',
  'classDef warning fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328',
  'classDef missing fill:#ffffff,stroke:#cf222e,stroke-width:1px,stroke-dasharray:4 3,color:#cf222e',
  'classDef errorBox fill:#fff8f8,stroke:#cf222e,stroke-width:2px,color:#1f2328',
  'classDef warningBox fill:#fffdf0,stroke:#9a6700,stroke-width:2px,color:#1f2328',
  'classDef facts fill:#ffffff,stroke:#8c959f,color:#1f2328',
  'classDef group fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:6 4,color:#57606a',
];

interface Marked {
  severity: Severity | undefined;
  errors: number;
  warnings: number;
}

function overlaps(a: Span, b: Span): boolean {
  return a.file === b.file && a.line <= b.endLine && a.endLine >= b.line;
}

class Marker {
  constructor(private readonly findings: Finding[]) {}

  /** Findings whose primary location lies in one of these files or spans. */
  mark(where: { files?: Iterable<string>; spans?: (Span | undefined)[] }): Marked {
    const files = new Set(where.files ?? []);
    const spans = (where.spans ?? []).filter((s): s is Span => !!s);
    let errors = 0;
    let warnings = 0;
    for (const f of this.findings) {
      if (!files.has(f.span.file) && !spans.some((s) => overlaps(f.span, s))) continue;
      if (f.severity === 'error') errors++;
      else warnings++;
    }
    return { severity: errors > 0 ? 'error' : warnings > 0 ? 'warning' : undefined, errors, warnings };
  }
}

function countText(m: Marked): string | undefined {
  const parts: string[] = [];
  if (m.errors) parts.push(`${m.errors} error${m.errors === 1 ? '' : 's'}`);
  if (m.warnings) parts.push(`${m.warnings} warning${m.warnings === 1 ? '' : 's'}`);
  return parts.length ? `⚠ ${parts.join(', ')}` : undefined;
}

function groupKey(m: Membership | undefined): { key: string; title: string } {
  if (!m) return { key: '', title: '' };
  if (m.kind === 'multicast') {
    const where = `${m.address.value}:${m.port.value ?? '?'}`;
    return { key: `mcast ${where}`, title: `multicast group ${where}` };
  }
  if (m.kind === 'static') return { key: 'static', title: 'static membership' };
  return { key: `other ${m.className}`, title: `membership ${m.className.split('.').pop()}` };
}

const KIND_NAMES: Record<string, string> = { jk: 'mod_jk', jk2: 'mod_jk2', proxy: 'mod_proxy_balancer' };

/** Facts about a node, shown in a box at the top of its subgraph (Mermaid titles are one line). */
function nodeFacts(n: TomcatNode): string[] {
  const out = [n.engine?.jvmRoute ? `jvmRoute ${n.engine.jvmRoute.value}` : 'no jvmRoute'];
  if (n.version.version) out.push(`Tomcat ${n.version.version}`);
  else if (n.version.generation) out.push(`Tomcat ${n.version.generation}`);
  const shutdown = n.shutdown;
  if (shutdown) out.push(shutdown.port.value === -1 ? 'no shutdown port' : `shutdown :${shutdown.effectivePort ?? shutdown.port.value ?? '?'}`);
  if (n.host.source === 'declared') out.push(`host ${n.host.name}`);
  return out;
}

function memberText(m: BalancerMember): string[] {
  const scheme = m.protocol === 'http' ? 'http://' : '';
  return [
    m.defined ? m.name : `${m.name} (not defined)`,
    `${scheme}${m.host.value}:${m.port.value ?? '?'}`,
    m.route ? `route ${m.route.value}` : 'no route',
  ];
}

/** Renders the model as a Mermaid flowchart (`flowchart LR`). */
export function toMermaid(model: ClusterModel, findings: Finding[]): string {
  const marker = new Marker(findings);
  const out: string[] = ['flowchart LR'];
  const classes: Map<string, string[]> = new Map();
  const classify = (id: string, cls: string | undefined) => {
    if (!cls) return;
    classes.set(cls, [...(classes.get(cls) ?? []), id]);
  };
  const filesOf = (ownerId: string) => model.files.filter((f) => f.nodeId === ownerId).map((f) => f.path);

  // ------------------------------------------------------------ Tomcat nodes, grouped by membership
  const connectorId = new Map<object, string>();
  const nodeId = new Map<TomcatNode, string>();
  const groups = new Map<string, { title: string; nodes: TomcatNode[] }>();
  for (const n of model.nodes) {
    const { key, title } = groupKey(n.cluster?.membership);
    if (!groups.has(key)) groups.set(key, { title, nodes: [] });
    groups.get(key)!.nodes.push(n);
  }
  const nodeLines: string[] = [];
  let groupCount = 0;
  model.nodes.forEach((n, i) => nodeId.set(n, `n${i + 1}`));
  for (const [key, group] of groups) {
    const indent = key ? '    ' : '  ';
    if (key) {
      const gid = `g${++groupCount}`;
      nodeLines.push(`  subgraph ${gid}[${lines(group.title)}]`);
      classify(gid, 'group');
    }
    for (const n of group.nodes) {
      const id = nodeId.get(n)!;
      const mark = marker.mark({ files: filesOf(n.id) });
      nodeLines.push(`${indent}subgraph ${id}[${lines(n.name)}]`);
      nodeLines.push(`${indent}  direction TB`);
      nodeLines.push(`${indent}  ${id}_i>${lines(...nodeFacts(n), countText(mark))}]`);
      classify(id, mark.severity && `${mark.severity}Box`);
      classify(`${id}_i`, mark.severity ?? 'facts');
      n.connectors.forEach((c, j) => {
        const cid = `${id}_c${j + 1}`;
        connectorId.set(c, cid);
        const port = c.effectivePort ?? c.port.value ?? '?';
        const addr = c.address ? ` @ ${c.address.value}` : '';
        nodeLines.push(`${indent}  ${cid}[${lines(`${c.protocol.toUpperCase()} :${port}${addr}`, c.protocol === 'ajp' && c.secret && 'secret set')}]`);
        classify(cid, marker.mark({ spans: [c.span, c.port.span, c.address?.span, c.secret?.span, c.secretRequired?.span] }).severity);
      });
      if (n.cluster) {
        const r = n.cluster.receiver;
        const rid = `${id}_r`;
        nodeLines.push(`${indent}  ${rid}[${lines(`Receiver :${r.port.value ?? '?'}`)}]`);
        classify(rid, marker.mark({ spans: [r.span, r.port.span, n.cluster.membership.span] }).severity);
      }
      n.apps.forEach((a, j) => {
        const aid = `${id}_a${j + 1}`;
        const files = [a.webXml, ...a.contexts.filter((c) => c.scope === 'meta-inf' || c.scope === 'host-app').map((c) => c.file)].filter(
          (f): f is string => !!f,
        );
        const name = a.contextPath === '' ? '/ (ROOT)' : a.contextPath;
        nodeLines.push(`${indent}  ${aid}([${lines(`app ${name}`, a.distributable ? 'distributable' : 'not distributable')}])`);
        classify(aid, marker.mark({ files }).severity);
      });
      nodeLines.push(`${indent}end`);
    }
    if (key) nodeLines.push('  end');
  }

  // ------------------------------------------------------------ front ends
  const feLines: string[] = [];
  const edges: string[] = [];
  let missing = 0;
  const memberEdges = (mid: string, m: BalancerMember) => {
    const target = m.target ? connectorId.get(m.target.connector) : undefined;
    if (target) {
      edges.push(`  ${mid} --> ${target}`);
    } else if (m.candidates.length > 0) {
      for (const c of m.candidates) edges.push(`  ${mid} -.->|${lines('maybe')}| ${nodeId.get(c)}`);
    } else {
      const xid = `x${++missing}`;
      edges.push(`  ${mid} -.-x ${xid}[${lines(`nothing listens at ${m.host.value}:${m.port.value ?? '?'}`)}]`);
      classify(xid, 'missing');
    }
  };
  model.frontEnds.forEach((fe: FrontEnd, i) => {
    const fid = `fe${i + 1}`;
    const mark = marker.mark({ files: filesOf(fe.id) });
    const kinds = fe.kinds.map((k) => KIND_NAMES[k] ?? k).join(', ');
    feLines.push(`  subgraph ${fid}[${lines(`${fe.name} (httpd)`)}]`);
    feLines.push('    direction TB');
    classify(fid, mark.severity && `${mark.severity}Box`);
    const entry = `${fid}_in`;
    const listens = fe.listens.map((l) => `:${l.port.value}`).join(' ');
    feLines.push(`    ${entry}>${lines(kinds, listens ? `Listen ${listens}` : undefined, countText(mark))}]`);
    classify(entry, mark.severity ?? 'facts');

    const targets = new Map<string, string>();
    fe.balancers.forEach((b, j) => {
      const bid = `${fid}_b${j + 1}`;
      targets.set(b.name, bid);
      const sticky = b.sticky.value ? `sticky${b.sessionCookie ? ` (${b.sessionCookie.value})` : ''}` : 'not sticky';
      feLines.push(`    ${bid}{{${lines(`balancer ${b.name}`, sticky)}}}`);
      classify(bid, marker.mark({ spans: [b.span, b.sticky.span, b.sessionCookie?.span] }).severity);
      b.members.forEach((m, k) => {
        const mid = `${bid}_m${k + 1}`;
        feLines.push(`    ${mid}[${lines(...memberText(m))}]`);
        feLines.push(`    ${bid} --> ${mid}`);
        classify(mid, marker.mark({ spans: [m.span, m.host.span, m.port.span, m.route?.span, m.secret?.span] }).severity);
        memberEdges(mid, m);
      });
    });
    fe.directMembers.forEach((m, k) => {
      const mid = `${fid}_d${k + 1}`;
      targets.set(m.name, mid);
      feLines.push(`    ${mid}[${lines(...memberText(m))}]`);
      classify(mid, marker.mark({ spans: [m.span, m.host.span, m.port.span, m.route?.span, m.secret?.span] }).severity);
      memberEdges(mid, m);
    });

    // Mounts: one edge per target, labelled with its paths.
    const byTarget = new Map<string, string[]>();
    for (const mount of fe.mounts) {
      if (mount.source === 'JkUnMount') continue;
      byTarget.set(mount.worker.value, [...(byTarget.get(mount.worker.value) ?? []), mount.path]);
    }
    for (const [worker, paths] of byTarget) {
      let to = targets.get(worker);
      if (!to) {
        to = `${fid}_u${targets.size + 1}`;
        targets.set(worker, to);
        feLines.push(`    ${to}[${lines(`${worker} (no such worker)`)}]`);
        classify(to, 'missing');
      }
      const shown = paths.length > 3 ? [...paths.slice(0, 3), `+${paths.length - 3} more`] : paths;
      feLines.push(`    ${entry} -->|${lines(...shown)}| ${to}`);
    }
    feLines.push('  end');
  });

  out.push(...feLines, ...nodeLines, ...edges);
  out.push(...CLASSES.map((c) => `  ${c}`));
  for (const [cls, ids] of classes) out.push(`  class ${ids.join(',')} ${cls}`);
  return `${out.join('\n')}\n`;
}
