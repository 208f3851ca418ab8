/**
 * The whole CLI, in-process, over real clusters (the examples and the corpus sets) with one or
 * two files mutated: every run exits 0 or 1, prints valid ESLint-shaped JSON and nothing on
 * stderr, lists every file it listed before the mutation, reports a `parse-error` in every file
 * its parser finds broken, and finishes in bounded time.
 */
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decode } from '../../src/parsers/source.js';
import { parseXml } from '../../src/parsers/xml.js';
import { parseProperties } from '../../src/parsers/properties.js';
import { parseJk2 } from '../../src/parsers/jk2.js';
import { parseHttpd } from '../../src/parsers/httpd.js';
import { kindFromContent, kindFromName } from '../../src/discover/classify.js';
import {
  CORPUS,
  HAVE_CORPUS,
  NO_CORPUS_REASON,
  REPO,
  checkJsonRun,
  describeMutations,
  listFiles,
  mutateAll,
  mutationsArb,
  removeTree,
  runCli,
  runs,
  tempDir,
  writeTree,
  type Mutation,
} from './helpers.js';

/** Folders discovery never walks into (src/discover/discover.ts). */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', 'logs', 'work', 'temp', 'target', '.idea']);

interface Base {
  name: string;
  /** Relative path → bytes. */
  files: Map<string, Buffer>;
}

function loadBase(name: string, dir: string): Base {
  const files = new Map<string, Buffer>();
  for (const f of listFiles(dir)) files.set(relative(dir, f), readFileSync(f));
  return { name, files };
}

const bases: Base[] = [];
for (const ex of ['seed-2006', 'clean-tomcat10-modjk', 'clean-proxy-balancer', 'clean-multi-host']) {
  const dir = join(REPO, 'examples', ex);
  if (listFiles(dir).length) bases.push(loadBase(`examples/${ex}`, dir));
}
// Every fixture case is a small cluster too (fixtures/<rule>/<case>/).
for (const rule of listFiles(join(REPO, 'fixtures')).map((f) => relative(join(REPO, 'fixtures'), f).split('/').slice(0, 2).join('/')).filter((v, i, a) => a.indexOf(v) === i)) {
  if (!rule.includes('/')) continue;
  bases.push(loadBase(`fixtures/${rule}`, join(REPO, 'fixtures', rule)));
}
if (HAVE_CORPUS) {
  for (const set of listFiles(join(CORPUS, 'sets')).map((f) => relative(join(CORPUS, 'sets'), f).split('/')[0]!).filter((v, i, a) => a.indexOf(v) === i)) {
    bases.push(loadBase(`corpus/sets/${set}`, join(CORPUS, 'sets', set)));
  }
}

/** The problems the file's own parser finds, as discovery would classify it. */
function parserProblems(path: string, bytes: Buffer): number {
  const source = decode(path, bytes);
  const kind = kindFromContent(path, source.text);
  switch (kind) {
    case 'server.xml':
    case 'web.xml':
    case 'web-fragment.xml':
    case 'context.xml':
      return parseXml(source).problems.length;
    case 'workers.properties':
    case 'uriworkermap.properties':
      return parseProperties(source).problems.length;
    case 'workers2.properties':
      return parseJk2(source).problems.length;
    case 'httpd.conf':
      return parseHttpd(source).problems.length;
    default:
      return 0;
  }
}

let root: string;
let counter = 0;
beforeAll(() => {
  root = tempDir('cli-fuzz');
});
afterAll(() => removeTree(root));

const caseArb = fc
  .record({
    base: fc.constantFrom(...bases),
    picks: fc.array(fc.tuple(fc.nat(), mutationsArb), { minLength: 1, maxLength: 2 }),
  })
  .map(({ base, picks }) => {
    const names = [...base.files.keys()].filter((n) => basename(n) !== 'RELEASE-NOTES');
    const mutations = new Map<string, Mutation[]>();
    for (const [k, ms] of picks) mutations.set(names[k % names.length]!, ms);
    return { base, mutations };
  });

describe('the CLI on mutated clusters', () => {
  it('has clusters to mutate', () => {
    expect(bases.length).toBeGreaterThanOrEqual(4);
  });

  // Without the corpus the run shows a skipped line saying so, rather than a test that passes doing nothing.
  if (!HAVE_CORPUS) it.skip(`${NO_CORPUS_REASON}: only the examples and fixtures are mutated`, () => {});

  it('exit 0 or 1, valid JSON, no stderr, every file listed, a parse-error where a file is broken', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ base, mutations }) => {
        const dir = join(root, `case-${counter++}`);
        const files = Object.fromEntries(base.files);
        for (const [name, ms] of mutations) files[name] = mutateAll(base.files.get(name)!, ms);
        writeTree(dir, files);
        const context = `${base.name}: ${[...mutations].map(([n, ms]) => `${n} ← ${describeMutations(ms)}`).join('; ')}`;
        const run = await runCli(['-f', 'json', '.'], dir);
        const results = checkJsonRun(run, context);
        const byFile = new Map(results.map((r) => [relative(dir, r.filePath), r]));
        // Files whose name says what they are stay listed, however broken.
        for (const name of Object.keys(files)) {
          if (kindFromName(name) !== undefined && !name.split('/').some((d) => SKIPPED_DIRS.has(d))) {
            expect(byFile.has(name), `${context}: ${name} missing from the output`).toBe(true);
          }
        }
        for (const name of mutations.keys()) {
          const r = byFile.get(name);
          if (!r) continue;
          if (parserProblems(join(dir, name), Buffer.from(files[name]!)) > 0) {
            expect(r.messages.some((m) => m.ruleId === 'parse-error'), `${context}: ${name} is broken but has no parse-error`).toBe(true);
          }
        }
        expect(run.ms, context).toBeLessThan(10_000);
        removeTree(dir);
      }),
      { numRuns: runs(500) },
    );
  });

  it('the other formats take the same input without a crash', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, fc.constantFrom('pretty', 'sarif', 'github', 'summary'), async ({ base, mutations }, format) => {
        const dir = join(root, `fmt-${counter++}`);
        const files = Object.fromEntries(base.files);
        for (const [name, ms] of mutations) files[name] = mutateAll(base.files.get(name)!, ms);
        writeTree(dir, files);
        const run = await runCli(['-f', format, '--no-color', '.'], dir);
        const context = `${format} on ${base.name}: ${[...mutations].map(([n, ms]) => `${n} ← ${describeMutations(ms)}`).join('; ')}`;
        expect(run.stderr, context).toBe('');
        expect([0, 1], context).toContain(run.code);
        removeTree(dir);
      }),
      { numRuns: runs(120) },
    );
  });
});
