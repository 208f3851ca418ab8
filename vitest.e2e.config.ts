import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/e2e/summary-reporter.js';

// `npm run test:e2e`: real Tomcat + httpd + mod_jk clusters (see e2e/README.md).
// One file, one scenario after another; each scenario starts and stops its own servers.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 15 * 60_000,
    teardownTimeout: 120_000,
    reporters: ['default', new SummaryReporter()],
  },
});
