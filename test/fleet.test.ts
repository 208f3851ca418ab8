/**
 * A clean generated fleet (bench/generate.mjs: Tomcat 10.1 nodes, 8 per host, one mod_jk
 * balancer over all of them) gives zero findings, and every file is linted. The benchmark
 * times the same fleets at 250 to 4000 nodes; this keeps CI honest about "clean" at a small size.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../bench/generate.mjs';
import { checkJsonRun, removeTree, runCli, tempDir } from './robustness/helpers.js';

const root = tempDir('fleet');
afterAll(() => removeTree(root));

describe('a clean fleet gives zero findings', () => {
  for (const [nodes, membership, perHost] of [
    [20, 'multicast', 8],
    [20, 'static', 8],
    [9, 'multicast', 1],
  ] as const) {
    it(`${nodes} nodes, ${membership} membership, ${perHost} per host`, async () => {
      const fleet = generateFleet({ nodes, dir: join(root, `${nodes}-${membership}-${perHost}`), membership, perHost });
      const run = await runCli(['-f', 'json'], fleet.dir);
      const results = checkJsonRun(run, `fleet of ${nodes}`);
      const findings = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(fleet.dir.length + 1)}:${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
      expect(findings).toEqual([]);
      expect(run.code).toBe(0);
      expect(results.map((r) => r.filePath).sort()).toEqual([...fleet.files].sort());
      const config = JSON.parse(readFileSync(join(fleet.dir, 'cluster-lint.config.json'), 'utf8')) as { nodes: unknown[] };
      expect(config.nodes.length).toBe(nodes + 1);
    });
  }
});
