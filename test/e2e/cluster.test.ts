// Proof against real servers: every scenario under e2e/scenarios/ is rendered, linted with
// the built CLI, and run as a real cluster (Debian's tomcat10 ×2 + apache2 + mod_jk, inside
// a network namespace); scenario.json says what cluster-lint and the servers must show.
// Run with `npm run test:e2e` as root. E2E_SCENARIOS=clean,route-mismatch runs a subset;
// E2E_WRITE_RESULTS=1 rewrites e2e/RESULTS.md; E2E_KEEP=1 keeps the rendered folders and logs.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCluster } from './lib/cluster.js';
import { runtimeChecks } from './lib/expect.js';
import { ensurePackages } from './lib/install.js';
import { errorRules, lintCluster } from './lib/lint.js';
import { NS_PREFIX, Netns, removeStaleNamespaces } from './lib/netns.js';
import { E2E_DIR, listScenarios, REPO, renderScenario } from './lib/render.js';
import { renderResults, type ScenarioResult } from './lib/results.js';
import { killAllNow, stopAll } from './lib/sys.js';

const log = (line: string): void => {
  process.stdout.write(`[e2e] ${line}\n`);
};

const scenarios = listScenarios();
const results: ScenarioResult[] = [];
const namespaces = new Set<string>();
let workRoot = '';
let setupError: string | undefined;
const startedAt = Date.now();

// Whatever happens to this process, nothing it started outlives it.
const lastResort = (): void => {
  killAllNow();
  for (const ns of namespaces) Netns.removeSync(ns);
};
process.once('exit', lastResort);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    lastResort();
    process.exit(130);
  });
}

beforeAll(async () => {
  try {
    const inst = await ensurePackages(log);
    if (inst.installed.length) log(`installed ${inst.installed.join(', ')} in ${Math.round(inst.ms / 1000)} s`);
    await removeStaleNamespaces(log);
    if (!existsSync(join(REPO, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first (npm run test:e2e does)');
    workRoot = mkdtempSync(join(tmpdir(), 'cluster-lint-e2e-'));
    log(`work folder ${workRoot}; scenarios: ${scenarios.map((s) => s.name).join(', ')}`);
  } catch (e) {
    setupError = e instanceof Error ? e.message : String(e);
    log(`setup failed: ${setupError}`);
  }
}, 15 * 60_000);

afterAll(async () => {
  await stopAll();
  for (const ns of namespaces) await Netns.remove(ns);
  const total = Date.now() - startedAt;
  const md = renderResults(results, total);
  if (process.env.E2E_WRITE_RESULTS === '1') {
    writeFileSync(join(E2E_DIR, 'RESULTS.md'), md + '\n');
    log('wrote e2e/RESULTS.md');
  }
  if (workRoot) {
    writeFileSync(join(workRoot, 'RESULTS.md'), md + '\n');
    const raw = results.map((r) => ({ ...r, obs: r.obs ? { ...r.obs, logs: undefined, logsBeforeFailover: undefined } : undefined }));
    writeFileSync(join(workRoot, 'results.json'), JSON.stringify(raw, null, 2));
  }
  const table = md.split('\n## Details')[0] ?? md;
  process.stdout.write(`\n${table}\n`);
  const failed = results.some((r) => r.failed > 0 || r.error);
  if (workRoot && (failed || process.env.E2E_KEEP === '1')) log(`kept ${workRoot} (rendered configs and every log)`);
  else if (workRoot) rmSync(workRoot, { recursive: true, force: true });
  log(`e2e wall time ${Math.round(total / 1000)} s`);
}, 120_000);

scenarios.forEach((spec, index) => {
  describe(spec.name, () => {
    const result: ScenarioResult = { spec, passed: 0, failed: 0, failures: [] };
    results.push(result);

    beforeAll(async () => {
      if (setupError) return;
      const t0 = Date.now();
      try {
        const root = join(workRoot, spec.name);
        const dirs = renderScenario(spec.name, root);
        const paths = [dirs.tomcat.tomcat1, dirs.tomcat.tomcat2, dirs.apache];
        result.lint = await lintCluster(root, paths, 'e2e-host');
        result.lintInferred = await lintCluster(root, paths);
        const nsName = `${NS_PREFIX}${process.pid}-${index}`;
        namespaces.add(nsName);
        result.obs = await runCluster({ root, nsName, log: (l) => log(`${spec.name}: ${l}`) });
        namespaces.delete(nsName);
      } catch (e) {
        result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
        log(`${spec.name}: harness error: ${result.error}`);
      } finally {
        await stopAll();
      }
      log(`${spec.name}: done in ${Math.round((Date.now() - t0) / 1000)} s`);
    }, 5 * 60_000);

    const ready = (): void => {
      if (setupError) throw new Error(`setup failed: ${setupError}`);
      if (result.error) throw new Error(`harness error: ${result.error}`);
    };
    const record = (title: string, ok: boolean, saw: string): void => {
      if (ok) result.passed++;
      else {
        result.failed++;
        result.failures.push(`${title}: saw ${saw}`);
      }
    };

    const lintTitle = spec.expect.lint.length ? `cluster-lint reports ${spec.expect.lint.join(', ')}` : 'cluster-lint reports no error';
    it(lintTitle, () => {
      ready();
      const l = result.lint!;
      const errs = errorRules(l);
      const ok = !l.failure && (spec.expect.lint.length ? spec.expect.lint.every((r) => errs.includes(r)) : errs.length === 0);
      const saw = l.failure ?? `exit ${l.exitCode}; errors: ${errs.join(', ') || 'none'}; ${l.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId} ${m.file}:${m.line} ${m.message}`).join(' | ').slice(0, 1500)}`;
      record(lintTitle, ok, saw);
      expect(ok, saw).toBe(true);
    });

    for (const check of runtimeChecks(spec.expect)) {
      it(`runtime: ${check.title}`, () => {
        ready();
        const { ok, saw } = check.evaluate(result.obs!);
        record(check.title, ok, saw);
        expect(ok, saw).toBe(true);
      });
    }
  });
});
