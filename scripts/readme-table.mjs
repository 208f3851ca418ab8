// Regenerates the README's generated parts (rule table from rule metadata, the example's real output).
import { build } from 'esbuild';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.cl-readme-'));
try {
  const out = join(dir, 'readme.mjs');
  await build({
    entryPoints: ['src/readme.ts'],
    bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning', packages: 'external',
    define: { CLUSTER_LINT_VERSION: 'undefined' },
  });
  const { renderReadme } = await import(pathToFileURL(out).href);
  const readme = readFileSync('README.md', 'utf8');
  const next = await renderReadme(readme, process.cwd());
  if (next !== readme) writeFileSync('README.md', next);
  console.log(next === readme ? 'README is up to date' : 'README regenerated');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
