/**
 * The whole shared corpus of real configurations (`../shared/corpus` from the repository
 * root): every file of A/, B/ and E/ linted on its own, every folder of sets/ linted as one
 * cluster. Each run exits 0 or 1 with valid JSON, nothing on stderr and no internal error, and
 * lists every file the corpus manifest names. What each run reports (rule, severity,
 * position) is snapshotted, so any change in what the corpus says shows up in review — the
 * snapshot is the list of claims to check against the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, NO_CORPUS_REASON, checkJsonRun, removeTree, runCli, tempDir, type JsonResult } from './robustness/helpers.js';

/** MANIFEST.tsv: local_path, repo, path_in_repo, commit, group. */
function manifest(): string[] {
  return readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split('\t')[0]!)
    .filter(Boolean);
}

/** One line per finding: where, severity, rule. Paths relative to `base`, sorted as reported. */
function claims(results: JsonResult[], base: string): string[] {
  return results.flatMap((r) =>
    r.messages.map((m) => `${relative(base, r.filePath).split(sep).join('/') || '.'}:${m.line}:${m.column} ${m.severity === 2 ? 'error' : 'warning'} ${m.ruleId}`),
  );
}

function checkNoInternalError(results: JsonResult[], context: string): void {
  for (const r of results) {
    for (const m of r.messages) expect(m.message, `${context}: ${r.filePath}:${m.line}`).not.toMatch(/internal (parser )?error/i);
  }
}

// Runs from an empty folder so no cluster-lint.config.json above the corpus applies.
const cwd = tempDir('corpus');
afterAll(() => removeTree(cwd));

describe.skipIf(!HAVE_CORPUS)('the real corpus', () => {
  const listed = HAVE_CORPUS ? manifest() : [];

  for (const group of ['A', 'B', 'E']) {
    const names = HAVE_CORPUS ? readdirSync(join(CORPUS, group)).sort() : [];
    describe(`${group}/: each file on its own`, () => {
      for (const name of names) {
        it(name, async () => {
          const file = join(CORPUS, group, name);
          const run = await runCli(['-f', 'json', file], cwd);
          const results = checkJsonRun(run, `${group}/${name}`);
          expect(results.map((r) => r.filePath)).toEqual([file]);
          checkNoInternalError(results, `${group}/${name}`);
          expect(claims(results, join(CORPUS, group))).toMatchSnapshot();
        });
      }
    });
  }

  const sets = HAVE_CORPUS ? readdirSync(join(CORPUS, 'sets')).sort() : [];
  describe('sets/: each folder as one cluster', () => {
    for (const set of sets) {
      it(set, async () => {
        const dir = join(CORPUS, 'sets', set);
        const run = await runCli(['-f', 'json', dir], cwd);
        const results = checkJsonRun(run, `sets/${set}`);
        const files = new Set(results.map((r) => relative(CORPUS, r.filePath).split(sep).join('/')));
        const expected = listed.filter((p) => p.startsWith(`sets/${set}/`));
        expect(expected.length, `MANIFEST.tsv names no file of sets/${set}`).toBeGreaterThan(0);
        for (const p of expected) expect(files.has(p), `sets/${set}: ${p} is not in the output`).toBe(true);
        checkNoInternalError(results, `sets/${set}`);
        expect(claims(results, dir)).toMatchSnapshot();
      });
    }
  });

  it('every file the manifest names is covered by a test above', () => {
    for (const p of listed) expect(['A', 'B', 'E', 'sets'], p).toContain(p.split('/')[0]);
  });
});

describe.runIf(!HAVE_CORPUS)('the real corpus', () => {
  it.skip(NO_CORPUS_REASON, () => {});
});
