import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { label, toMermaid } from '../../src/graph/mermaid.js';
import { lint } from '../../src/lint.js';
import type { ClusterModel } from '../../src/model/types.js';
import type { Finding, Severity, Span } from '../../src/types.js';

const SEED = join(import.meta.dirname, '..', '..', 'examples', 'seed-2006');

/** The seed example's model with no rules run: the graph test does not depend on rules. */
function seedModel(): ClusterModel {
  return lint({
    paths: ['tomcat1', 'tomcat2', 'apache'].map((n) => join(SEED, n)),
    cwd: SEED,
    hosts: new Map(),
    versions: new Map(),
    ignore: [],
    ruleSeverities: new Map(),
    inlineConfig: true,
    rules: [],
  }).model;
}

function finding(ruleId: string, severity: Severity, span: Span | undefined): Finding {
  if (!span) throw new Error(`no span for ${ruleId}`);
  return { ruleId, severity, message: 'm', span, related: [] };
}

/** What Mermaid does with a quoted label: `#name;` entity codes become HTML entities, then text. */
function mermaidDecode(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  return text.replace(/#(\w+);/g, (_, code: string) => (/^\d+$/.test(code) ? String.fromCharCode(Number(code)) : named[code] ?? `#${code};`));
}

describe('toMermaid', () => {
  it('draws the seed cluster: front end, balancer, members, nodes in their multicast group', () => {
    expect(toMermaid(seedModel(), [])).toMatchInlineSnapshot(`
      "flowchart LR
        subgraph fe1["apache (httpd)"]
          direction TB
          fe1_in>"mod_jk2<br/>Listen :80"]
          fe1_b1{{"balancer lb:lb<br/>sticky"}}
          fe1_b1_m1["ajp13:localhost:9009<br/>127.0.0.1:9009<br/>route localhost:9009"]
          fe1_b1 --> fe1_b1_m1
          fe1_b1_m2["ajp13:localhost:8009<br/>127.0.0.1:8009<br/>route localhost:8009"]
          fe1_b1 --> fe1_b1_m2
          fe1_in -->|"/clusterapp/*"| fe1_b1
        end
        subgraph g1["multicast group 224.1.2.3:2525"]
          subgraph n1["tomcat1"]
            direction TB
            n1_i>"jvmRoute tomcat1<br/>Tomcat 5.5.15<br/>shutdown :8005"]
            n1_c1["HTTP :8080"]
            n1_c2["AJP :8009"]
            n1_r["Receiver :4001"]
            n1_a1(["app /clusterapp<br/>not distributable"])
          end
          subgraph n2["tomcat2"]
            direction TB
            n2_i>"jvmRoute tomcat2<br/>Tomcat 5.5.15<br/>shutdown :8004"]
            n2_c1["HTTP :8080"]
            n2_c2["AJP :9009"]
            n2_r["Receiver :4002"]
            n2_a1(["app /clusterapp<br/>not distributable"])
          end
        end
        fe1_b1_m1 --> n2_c2
        fe1_b1_m2 --> n1_c2
        classDef error fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#1f2328
        classDef warning fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328
        classDef missing fill:#ffffff,stroke:#cf222e,stroke-width:1px,stroke-dasharray:4 3,color:#cf222e
        classDef errorBox fill:#fff8f8,stroke:#cf222e,stroke-width:2px,color:#1f2328
        classDef warningBox fill:#fffdf0,stroke:#9a6700,stroke-width:2px,color:#1f2328
        classDef facts fill:#ffffff,stroke:#8c959f,color:#1f2328
        classDef group fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:6 4,color:#57606a
        class g1 group
        class n1_i,n2_i,fe1_in facts
      "
    `);
  });

  it('marks what findings point at: the connector, the app, the member, and the node or front end around them', () => {
    const model = seedModel();
    const tomcat2 = model.nodes.find((n) => n.name === 'tomcat2')!;
    const member = model.frontEnds[0]!.balancers[0]!.members[0]!;
    const graph = toMermaid(model, [
      finding('port-conflict', 'error', tomcat2.connectors.find((c) => c.protocol === 'http')!.port.span),
      finding('missing-distributable', 'error', tomcat2.apps[0]!.webXmlSpan),
      finding('unbound-multicast', 'warning', tomcat2.cluster!.membership.span),
      finding('route-mismatch', 'error', member.span),
    ]);
    const classes = Object.fromEntries(
      graph
        .split('\n')
        .filter((l) => l.startsWith('  class '))
        .map((l) => l.trim().split(' ').slice(1).reverse()),
    );
    expect(classes).toEqual({
      group: 'g1',
      // The facts box of a node or front end with findings carries its worst severity and the counts.
      error: 'n2_i,n2_c1,n2_a1,fe1_in,fe1_b1_m1',
      errorBox: 'n2,fe1',
      warning: 'n2_r',
      facts: 'n1_i',
    });
    expect(graph).toContain('n2_i>"jvmRoute tomcat2<br/>Tomcat 5.5.15<br/>shutdown :8004<br/>⚠ 2 errors, 1 warning"]');
  });

  it('draws a member that reaches nothing, and a mount to a worker that does not exist', () => {
    const model = seedModel();
    const fe = model.frontEnds[0]!;
    const m = fe.balancers[0]!.members[0]!;
    m.target = undefined;
    m.candidates = [];
    fe.mounts.push({ ...fe.mounts[0]!, path: '/other/*', worker: { value: 'nowhere', span: undefined } });
    const graph = toMermaid(model, []);
    expect(graph).toContain('fe1_b1_m1 -.-x x1["nothing listens at 127.0.0.1:9009"]');
    expect(graph).toContain('fe1_in -->|"/other/*"| fe1_u2');
    expect(graph).toContain('fe1_u2["nowhere (no such worker)"]');
    expect(graph).toMatch(/class .*x1.* missing/);
  });

  it('keeps user text inside quoted labels: ids are generated', () => {
    const model = seedModel();
    const hostile = 'a"]; click n1 call alert(1) %% <img src=x onerror=alert(1)> `md` #quot; | end';
    model.nodes[0]!.name = hostile;
    model.frontEnds[0]!.balancers[0]!.members[0]!.name = hostile;
    const graph = toMermaid(model, []);
    for (const line of graph.split('\n')) {
      // Outside quotes only ids, arrows, keywords and shapes.
      expect(line.replace(/"[^"]*"/g, '""')).toMatch(/^[\w\s\-.>|[\](){}:,;#%=!"/]*$/);
    }
    expect(graph).not.toContain('<img');
    expect(graph).toContain(`subgraph n1["${label(hostile)}"]`);
  });
});

describe('label', () => {
  it.each([
    'plain text',
    'ajp13:localhost:8009',
    'a "quoted" <b>tag</b> & #35; `tick` | pipe',
    '集群 ⚠',
  ])('escapes %j so that Mermaid shows it as written', (text) => {
    const escaped = label(text);
    expect(escaped).not.toMatch(/["<>`|]/);
    expect(mermaidDecode(escaped)).toBe(text);
  });

  it('joins line breaks into one line', () => {
    expect(label('a\r\nb\nc')).toBe('a b c');
  });
});
