// Regenerates the README's rule table from rule metadata (src/rules/*.ts).
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.cl-readme-'));
try {
  const out = join(dir, 'table.mjs');
  await build({
    stdin: {
      contents: "export { rules } from './src/rules/index.ts'; export { rulesTable, replaceTable } from './src/rules/table.ts';",
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning', packages: 'external',
  });
  const { rules, rulesTable, replaceTable } = await import(pathToFileURL(out).href);
  const readme = readFileSync('README.md', 'utf8');
  const next = replaceTable(readme, rulesTable(rules));
  if (next !== readme) writeFileSync('README.md', next);
  console.log(next === readme ? 'README rule table is up to date' : 'README rule table regenerated');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
