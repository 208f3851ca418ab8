import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareExpectations, readExpectations } from './helpers/expectations.js';
import { lintPaths, summarize, type RunOptions } from './helpers/run.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/**
 * Every `fixtures/<rule>/<case>/` is a small cluster. Its `expect:` markers are the
 * complete list of findings of that rule, and of every other rule a marker names:
 * a case with no marker is a near miss that must stay silent.
 */
export function fixtureCases(): { rule: string; name: string; dir: string }[] {
  if (!existsSync(FIXTURES)) return [];
  return readdirSync(FIXTURES)
    .filter((r) => statSync(join(FIXTURES, r)).isDirectory())
    .flatMap((rule) =>
      readdirSync(join(FIXTURES, rule))
        .filter((c) => statSync(join(FIXTURES, rule, c)).isDirectory())
        .map((name) => ({ rule, name, dir: join(FIXTURES, rule, name) })),
    );
}

describe('fixtures', () => {
  for (const c of fixtureCases()) {
    it(`${c.rule}/${c.name}`, () => {
      const optionsFile = join(c.dir, 'options.json');
      const options: RunOptions & { paths?: string[] } = existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : {};
      const expected = readExpectations(c.dir);
      const checked = new Set([c.rule, ...expected.map((e) => e.ruleId)]);
      const result = lintPaths(c.dir, options.paths ?? ['.'], options);
      // A marker that names a severity is held to it; the others to rule and position only.
      const actual = summarize(result, c.dir)
        .filter((f) => checked.has(f.ruleId))
        .sort(compareExpectations)
        .map((f, i) => (expected[i]?.severity ? f : { ruleId: f.ruleId, file: f.file, line: f.line, column: f.column }));
      expect(actual).toEqual(expected);
    });
  }
});
