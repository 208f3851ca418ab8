/**
 * Shared by the robustness tests: where the real files are, how to mutate them, how to run
 * the CLI in-process and check what it printed.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
/** The shared corpus: `../shared/corpus` from the repository root (CI), overridable for local runs. */
export const CORPUS = resolve(process.env.CLUSTER_LINT_CORPUS ?? join(REPO, '..', 'shared', 'corpus'));
export const HAVE_CORPUS = existsSync(join(CORPUS, 'MANIFEST.tsv'));
export const NO_CORPUS_REASON = `corpus not found at ${CORPUS} (set CLUSTER_LINT_CORPUS or check out ../shared/corpus)`;

/** Every file under `dir`, sorted; symlinks and special files are left out. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const s = statSync(p);
    if (s.isDirectory()) out.push(...listFiles(p));
    else if (s.isFile()) out.push(p);
  }
  return out;
}

export type SampleKind = 'xml' | 'properties' | 'jk2' | 'httpd';

export interface Sample {
  /** Where it came from, for messages. */
  origin: string;
  /** A name that makes discovery treat it as its kind (`server.xml`, `workers.properties`, ...). */
  name: string;
  kind: SampleKind;
  bytes: Buffer;
}

function kindOf(path: string, bytes: Buffer): { kind: SampleKind; name: string } | undefined {
  const base = path.split(sep).pop()!.toLowerCase();
  const head = bytes.subarray(0, 4096).toString('latin1');
  if (base === 'workers2.properties' || /^\s*\[[\w.]+(:[^\]]*)?\]\s*$/m.test(head) && base.endsWith('.properties')) return { kind: 'jk2', name: 'workers2.properties' };
  if (base.includes('uriworkermap')) return { kind: 'properties', name: 'uriworkermap.properties' };
  if (base.endsWith('.properties')) return { kind: 'properties', name: 'workers.properties' };
  if (base.endsWith('.conf')) return { kind: 'httpd', name: 'httpd.conf' };
  if (base.endsWith('.xml') || base.endsWith('.tpl') || base.endsWith('.erb') || base.endsWith('.default')) {
    if (/<web-app\b/.test(head)) return { kind: 'xml', name: 'web.xml' };
    if (/<Context\b/.test(head) && !/<Server\b/.test(head)) return { kind: 'xml', name: 'context.xml' };
    return { kind: 'xml', name: 'server.xml' };
  }
  return undefined;
}

let samples: Sample[] | undefined;

/** Real files: the corpus (when present), fixtures/ and examples/. */
export function realSamples(): Sample[] {
  if (samples) return samples;
  const roots = [join(REPO, 'fixtures'), join(REPO, 'examples')];
  if (HAVE_CORPUS) roots.unshift(CORPUS);
  samples = [];
  for (const root of roots) {
    for (const file of listFiles(root)) {
      const bytes = readFileSync(file);
      const k = kindOf(file, bytes);
      if (k) samples.push({ origin: relative(REPO, file), ...k, bytes });
    }
  }
  return samples;
}

// ---------------------------------------------------------------- mutations

export type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; mask: number }
  | { op: 'drop'; at: number; length: number }
  | { op: 'double'; at: number; length: number }
  | { op: 'insert-binary'; at: number; bytes: Uint8Array }
  | { op: 'long-value'; at: number; char: string; length: number }
  | { op: 'bom' }
  | { op: 'utf16le' }
  | { op: 'utf16be' }
  | { op: 'crlf' }
  | { op: 'cr' }
  | { op: 'empty' };

/** Positions are fractions of the length, so one mutation applies to any file. */
const at = fc.double({ min: 0, max: 1, noNaN: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: at.map((a) => ({ op: 'truncate' as const, at: a })) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('drop' as const), at, length: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('double' as const), at, length: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('insert-binary' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('long-value' as const), at, char: fc.constantFrom('a', '9', ' ', '"', '<', '=', '#', '\\', '\t', 'é', '中'), length: fc.constantFrom(1000, 200_000) }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'bom' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'utf16le' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'utf16be' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'cr' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'empty' as const }) },
);

function swap16(b: Buffer): Buffer {
  const out = Buffer.from(b);
  return out.length % 2 === 0 ? out.swap16() : Buffer.concat([out.subarray(0, out.length - 1).swap16(), out.subarray(out.length - 1)]);
}

export function mutate(bytes: Buffer, m: Mutation): Buffer {
  const pos = (a: number) => Math.min(bytes.length, Math.floor(a * (bytes.length + 1)));
  switch (m.op) {
    case 'truncate':
      return bytes.subarray(0, pos(m.at));
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = Buffer.from(bytes);
      const i = Math.min(out.length - 1, pos(m.at));
      out[i] = out[i]! ^ m.mask;
      return out;
    }
    case 'drop': {
      const i = pos(m.at);
      return Buffer.concat([bytes.subarray(0, i), bytes.subarray(i + m.length)]);
    }
    case 'double': {
      const i = pos(m.at);
      return Buffer.concat([bytes.subarray(0, i + m.length), bytes.subarray(i)]);
    }
    case 'insert-binary': {
      const i = pos(m.at);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
    }
    case 'long-value': {
      const i = pos(m.at);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(m.char.repeat(m.length)), bytes.subarray(i)]);
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), swap16(Buffer.from(bytes.toString('utf8'), 'utf16le'))]);
    case 'crlf':
      return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
    case 'cr':
      return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1');
    case 'empty':
      return Buffer.alloc(0);
  }
}

export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

export function mutateAll(bytes: Buffer, ms: Mutation[]): Buffer {
  return ms.reduce((b, m) => mutate(b, m), bytes);
}

/** A mutation list as a short string for failure messages (long byte arrays left out). */
export function describeMutations(ms: Mutation[]): string {
  return ms.map((m) => JSON.stringify(m, (k, v) => (k === 'bytes' ? `<${(v as Uint8Array).length} bytes>` : v))).join(' then ');
}

// ---------------------------------------------------------------- running the CLI in-process

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export async function runCli(args: string[], cwd: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const start = performance.now();
  const code = await main(args, { cwd, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr, ms: performance.now() - start };
}

export interface JsonMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

export interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  warningCount: number;
}

/**
 * The contract every run must keep: exit 0 or 1, nothing on stderr (so no stack trace, no
 * internal error), stdout one valid ESLint-shaped JSON array, counts that add up, positions
 * that are 1-based, and exit 1 exactly when there is an error.
 */
export function checkJsonRun(run: CliRun, context: string): JsonResult[] {
  expect(run.stderr, `${context}: stderr`).toBe('');
  expect([0, 1], `${context}: exit code ${run.code}`).toContain(run.code);
  let results: JsonResult[];
  try {
    results = JSON.parse(run.stdout) as JsonResult[];
  } catch {
    throw new Error(`${context}: stdout is not JSON: ${run.stdout.slice(0, 200)}`);
  }
  expect(Array.isArray(results), context).toBe(true);
  const paths = new Set<string>();
  let errors = 0;
  for (const r of results) {
    expect(typeof r.filePath, context).toBe('string');
    expect(paths.has(r.filePath), `${context}: ${r.filePath} listed twice`).toBe(false);
    paths.add(r.filePath);
    expect(r.errorCount, context).toBe(r.messages.filter((m) => m.severity === 2).length);
    expect(r.warningCount, context).toBe(r.messages.filter((m) => m.severity === 1).length);
    errors += r.errorCount;
    for (const m of r.messages) {
      expect(typeof m.ruleId, `${context}: ${JSON.stringify(m)}`).toBe('string');
      expect([1, 2], context).toContain(m.severity);
      expect(Number.isInteger(m.line) && m.line >= 1, `${context}: line of ${JSON.stringify(m)}`).toBe(true);
      expect(Number.isInteger(m.column) && m.column >= 1, `${context}: column of ${JSON.stringify(m)}`).toBe(true);
      if (m.endLine !== undefined) expect(m.endLine >= m.line, `${context}: endLine of ${JSON.stringify(m)}`).toBe(true);
    }
  }
  expect(run.code, `${context}: exit code vs ${errors} errors`).toBe(errors > 0 ? 1 : 0);
  return results;
}

// ---------------------------------------------------------------- temp trees

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cluster-lint-${prefix}-`));
}

export function writeTree(root: string, files: Record<string, string | Uint8Array>): string[] {
  const out: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    out.push(p);
  }
  return out;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** `FUZZ_SCALE=20 npx vitest run test/robustness` runs every property 20 times as often (a local deep run; CI uses 1). */
export const FUZZ_SCALE = Math.max(Number(process.env.FUZZ_SCALE ?? 1) || 1, 0.01);

export function runs(n: number): number {
  return Math.max(1, Math.round(n * FUZZ_SCALE));
}

// ---------------------------------------------------------------- running the bundled CLI as a process

/**
 * Bundles the current sources the way `npm run build` does, into a file of this test's own
 * (so parallel test files never race, and a stale dist/ is never what is tested).
 */
export async function buildCli(tag: string): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(REPO, 'node_modules', '.cache', 'cluster-lint-robustness', `${tag}-cli.mjs`);
  const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
  await build({
    entryPoints: [join(REPO, 'src', 'cli', 'bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: "import { createRequire as __clCreateRequire } from 'node:module'; const require = __clCreateRequire(import.meta.url);" },
    define: { CLUSTER_LINT_VERSION: JSON.stringify(version) },
    logLevel: 'error',
  });
  return outfile;
}

export interface SpawnRun extends CliRun {
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** Runs the bundled CLI as its own process, killed after `timeoutMs`. */
export function spawnCli(cli: string, args: string[], cwd: string, timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): SpawnRun {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd,
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const ms = performance.now() - start;
  const timedOut = r.signal === 'SIGKILL' && ms >= timeoutMs - 50;
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms, signal: r.signal, timedOut };
}
