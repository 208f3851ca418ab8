// Bundles the CLI into one file: one module to load keeps start-up time low.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __clCreateRequire } from 'node:module'; const require = __clCreateRequire(import.meta.url);",
  },
  define: { CLUSTER_LINT_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
