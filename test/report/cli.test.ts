import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, planOutputs } from '../../src/cli/main.js';
import { sarifErrors } from './sarif-schema.js';

const SEED = join(import.meta.dirname, '..', '..', 'examples', 'seed-2006');
const NODES = ['tomcat1', 'tomcat2', 'apache'];
const out = mkdtempSync(join(tmpdir(), 'cl-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { cwd: SEED, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const tokens = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ kind: 'option', name, value }));

describe('pairing -f and -o', () => {
  it('pairs each -o with the -f before it; the rest goes to stdout', () => {
    expect(planOutputs(tokens(['format', 'sarif'], ['output-file', 'a.sarif'], ['format', 'pretty']), 'pretty')).toEqual([
      { format: 'sarif', file: 'a.sarif' },
      { format: 'pretty', file: undefined },
    ]);
  });
  it('keeps the single -f/-o behaviour in either order, and a lone -o takes the default format', () => {
    expect(planOutputs(tokens(['output-file', 'x.json'], ['format', 'json']), 'pretty')).toEqual([{ format: 'json', file: 'x.json' }]);
    expect(planOutputs(tokens(['format', 'json'], ['output-file', 'x.json']), 'pretty')).toEqual([{ format: 'json', file: 'x.json' }]);
    expect(planOutputs(tokens(['output-file', 'r.txt']), 'github')).toEqual([{ format: 'github', file: 'r.txt' }]);
    expect(planOutputs([], 'pretty')).toEqual([{ format: 'pretty', file: undefined }]);
  });
  it('takes -f name=file', () => {
    expect(planOutputs(tokens(['format', 'sarif=out/a.sarif'], ['format', 'summary=s.md'], ['format', 'pretty']), 'pretty')).toEqual([
      { format: 'sarif', file: 'out/a.sarif' },
      { format: 'summary', file: 's.md' },
      { format: 'pretty', file: undefined },
    ]);
  });
  it('refuses two outputs on stdout and an -o with no format to pair with', () => {
    expect(() => planOutputs(tokens(['format', 'json'], ['format', 'pretty']), 'pretty')).toThrow(/only one format can go to stdout \(json, pretty\)/);
    expect(() => planOutputs(tokens(['output-file', 'a'], ['output-file', 'b']), 'pretty')).toThrow(/-o b has no -f/);
    expect(() => planOutputs(tokens(['format', 'json=a'], ['output-file', 'b']), 'pretty')).toThrow(/-o b has no -f/);
  });
});

describe('cluster-lint with several outputs', () => {
  it('writes SARIF to a file and JSON to stdout in one run, with the exit code of a single run', async () => {
    const single = await cli(['-f', 'json', ...NODES]);
    const sarifFile = join(out, 'a.sarif');
    const both = await cli(['-f', 'sarif', '-o', sarifFile, '-f', 'json', ...NODES]);
    expect(both.code).toBe(single.code);
    expect(both.stdout).toBe(single.stdout);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarifErrors(log)).toBeUndefined();
    const results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] = log.runs[0].results;
    const json: { messages: unknown[] }[] = JSON.parse(single.stdout);
    expect(results).toHaveLength(json.reduce((n, r) => n + r.messages.length, 0));
    for (const r of results) expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toMatch(/^(tomcat1|tomcat2|apache)\//);
  });

  it('-f name=file writes the job summary with the topology', async () => {
    const md = join(out, 'summary.md');
    const r = await cli([`--format=summary=${md}`, ...NODES]);
    expect(r.stdout).toBe('');
    const text = readFileSync(md, 'utf8');
    expect(text).toMatch(/^## cluster-lint: /);
    expect(text).toContain('```mermaid\nflowchart LR\n');
  });

  it('defaults to annotations under GitHub Actions', async () => {
    const plain = await cli(['-f', 'json', ...NODES]);
    const r = await cli(NODES, { GITHUB_ACTIONS: 'true' });
    const count = (JSON.parse(plain.stdout) as { messages: unknown[] }[]).reduce((n, f) => n + f.messages.length, 0);
    expect(r.stdout.split('\n').filter((l) => /^::(error|warning) /.test(l))).toHaveLength(count);
    expect(r.code).toBe(plain.code);
  });

  it('refuses two formats on stdout before reading anything', async () => {
    const r = await cli(['-f', 'json', '-f', 'pretty', ...NODES]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/only one format can go to stdout/);
  });
});

describe('cluster-lint --graph', () => {
  it('prints the Mermaid topology instead of findings and exits 0', async () => {
    const r = await cli(['--graph', ...NODES]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^flowchart LR\n/);
    expect(r.stdout).toContain('subgraph g1["multicast group 224.1.2.3:2525"]');
  });
  it('writes it to -o', async () => {
    const file = join(out, 'g.mmd');
    const r = await cli(['--graph', '-o', file, ...NODES]);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/^flowchart LR\n/);
  });
  it('refuses --graph with -f or --fix', async () => {
    expect((await cli(['--graph', '-f', 'json', ...NODES])).code).toBe(2);
    expect((await cli(['--graph', '--fix', ...NODES])).code).toBe(2);
  });
});

describe('--help', () => {
  it('documents the outputs, --fix and --graph', async () => {
    const { stdout } = await cli(['--help']);
    for (const s of ['-f sarif -o out.sarif -f pretty', '-f <name>=<file>', '--fix ', '--fix-dry-run', '--graph', 'summary', 'mermaid']) expect(stdout).toContain(s);
  });
});
