import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:integrations`: slow tests that drive real tools (pre-commit, Chromium, the
// Action's shell step). Each one is skipped when its tool is not installed.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['test/integrations/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
