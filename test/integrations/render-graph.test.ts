/**
 * The --graph output rendered by the real Mermaid in headless Chromium
 * (scripts/render-graph.mjs): it must parse and lay out, hostile labels included.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, must, ROOT, run } from './helpers.js';

const PNG = [0x89, 0x50, 0x4e, 0x47];

describe.skipIf(!has('chromium') || !existsSync(join(ROOT, 'node_modules', 'mermaid')))('rendering the graph', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cl-render-'));
  beforeAll(() => {
    must('npm', ['run', 'build'], { cwd: ROOT });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('renders the seed example', () => {
    const out = join(tmp, 'seed.png');
    const mmd = join(tmp, 'seed.mmd');
    const r = must(process.execPath, ['scripts/render-graph.mjs', '--out', out, '--mmd', mmd], { cwd: ROOT });
    expect(r.stdout).toMatch(/seed\.png \(\d+x\d+\)/);
    expect([...readFileSync(out).subarray(0, 4)]).toEqual(PNG);
    expect(readFileSync(mmd, 'utf8')).toMatch(/^flowchart LR\n/);
  });

  it('renders labels holding quotes, tags, entities, pipes and backticks', async () => {
    const { label } = await import('../../src/graph/mermaid.js');
    const hostile = 'a"]; <b>x</b> & #quot; `y` | z %% end';
    const mmd = join(tmp, 'hostile.mmd');
    writeFileSync(mmd, `flowchart LR\n  subgraph n1["${label(hostile)}"]\n    a["${label(hostile)}"]\n  end\n  b -->|"${label(hostile)}"| a\n`);
    const dom = join(tmp, 'hostile.html');
    const r = run(process.execPath, ['scripts/render-graph.mjs', '--from', mmd, '--out', join(tmp, 'hostile.png'), '--dom', dom], { cwd: ROOT });
    expect(r.code, r.output).toBe(0);
    // Shown as text, three times (subgraph title, node, edge label): no tag, no entity decoded.
    const html = readFileSync(dom, 'utf8');
    const asText = hostile.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(html.split(asText).length - 1, html).toBe(3);
    expect(html).not.toContain('<b>x</b>');
  });

  it('fails loudly on a graph Mermaid cannot parse', () => {
    const mmd = join(tmp, 'broken.mmd');
    writeFileSync(mmd, 'flowchart LR\n  a["x] --> b\n');
    const r = run(process.execPath, ['scripts/render-graph.mjs', '--from', mmd, '--out', join(tmp, 'broken.png')], { cwd: ROOT });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Mermaid did not render the graph/);
  });
});
