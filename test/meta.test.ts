import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleMetas, rules } from '../src/rules/index.js';
import { renderReadme } from '../src/readme.js';
import { fixtureCases } from './fixtures.test.js';
import { readExpectations } from './helpers/expectations.js';

const ROOT = join(import.meta.dirname, '..');

describe('every rule is complete', () => {
  const cases = fixtureCases().map((c) => ({ ...c, expectations: readExpectations(c.dir) }));
  for (const meta of ruleMetas) {
    const id = meta.id;
    describe(id, () => {
      it('has a triggering fixture and a near miss', () => {
        const own = cases.filter((c) => c.rule === id);
        expect(own.some((c) => c.expectations.some((e) => e.ruleId === id)), 'a case that triggers it').toBe(true);
        expect(own.some((c) => !c.expectations.some((e) => e.ruleId === id)), 'a near miss that must stay silent').toBe(true);
      });
      it('has a docs page with the fixed outline', () => {
        const page = join(ROOT, 'docs', 'rules', `${id}.md`);
        expect(existsSync(page), page).toBe(true);
        const text = readFileSync(page, 'utf8');
        expect(text.startsWith(`# ${id}`)).toBe(true);
        for (const heading of ['## What it checks', '## What happens at runtime', '## How to fix', '## Sources']) {
          expect(text, `${id}.md needs "${heading}"`).toContain(heading);
        }
      });
      it('has a one-line description', () => {
        expect(meta.description.length).toBeGreaterThan(10);
        expect(meta.description).not.toContain('\n');
      });
    });
  }

  it('rule IDs are unique', () => {
    const ids = ruleMetas.map((m) => m.id);
    expect(rules.every((r) => ids.includes(r.meta.id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('the README rule table and example output are the generated ones (run `npm run readme`)', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(await renderReadme(readme, ROOT));
  });
});
