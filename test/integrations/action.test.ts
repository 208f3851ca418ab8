/**
 * The GitHub Action's lint step, run with bash the way the runner runs a composite step:
 * the script from action.yml, its inputs in the environment, GITHUB_STEP_SUMMARY and
 * GITHUB_OUTPUT as files.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sarifErrors } from '../report/sarif-schema.js';
import { CLI, has, must, ROOT, run } from './helpers.js';

interface Step {
  name: string;
  id?: string;
  shell: string;
  run: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

describe('action.yml', () => {
  it('is a composite action that installs from its own checkout and runs dist/cli.js', () => {
    expect(action.runs.using).toBe('composite');
    const [install, lint] = action.runs.steps;
    expect(install!['working-directory']).toBe('${{ github.action_path }}');
    expect(install!.run).toMatch(/^npm ci\b/);
    expect(lint!.env!.CL_CLI).toBe('${{ github.action_path }}/dist/cli.js');
    expect(Object.keys(action.inputs).sort()).toEqual(['config', 'fail-on', 'paths', 'sarif-file']);
    // Every input reaches the script through the environment, never pasted into it.
    expect(lint!.run).not.toContain('${{');
    for (const name of ['paths', 'config', 'fail-on', 'sarif-file']) expect(Object.values(lint!.env!)).toContain(`\${{ inputs.${name} }}`);
  });
});

describe.skipIf(!has('bash'))('the lint step', () => {
  const lint = action.runs.steps.find((s) => s.id === 'lint')!;
  const work = mkdtempSync(join(tmpdir(), 'cl-action-'));
  beforeAll(() => {
    must('npm', ['run', 'build'], { cwd: ROOT });
    for (const example of ['seed-2006', 'seed-2006-fixed']) cpSync(join(ROOT, 'examples', example), join(work, example), { recursive: true });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function step(inputs: { paths?: string; config?: string; 'fail-on'?: string; 'sarif-file'?: string }, cwd: string) {
    const summary = join(work, `summary-${Math.random().toString(36).slice(2)}.md`);
    const output = `${summary}.out`;
    writeFileSync(summary, '# earlier step\n');
    writeFileSync(output, '');
    const r = run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', lint.run], {
      cwd,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_OUTPUT: output,
        CL_PATHS: inputs.paths ?? '',
        CL_CONFIG: inputs.config ?? '',
        CL_FAIL_ON: inputs['fail-on'] ?? action.inputs['fail-on']!.default!,
        CL_SARIF: inputs['sarif-file'] ?? '',
        CL_CLI: CLI,
      },
    });
    return { ...r, summary: readFileSync(summary, 'utf8'), outputs: readFileSync(output, 'utf8') };
  }

  it('annotates, appends the job summary with the topology, writes SARIF, and fails on errors', () => {
    const cwd = join(work, 'seed-2006');
    const r = step({ paths: 'tomcat1 tomcat2\napache', 'sarif-file': 'out/cluster-lint.sarif' }, cwd);
    expect(r.code, r.output).toBe(1);
    expect(r.outputs).toBe('exit-code=1\n');
    expect(r.stdout).toMatch(/^::error title=[a-z-]+,file=(tomcat1|tomcat2|apache)\//m);
    expect(r.summary.startsWith('# earlier step\n## cluster-lint: ')).toBe(true);
    expect(r.summary).toContain('```mermaid\nflowchart LR\n');
    const log = JSON.parse(readFileSync(join(cwd, 'out', 'cluster-lint.sarif'), 'utf8'));
    expect(sarifErrors(log)).toBeUndefined();
    expect(log.runs[0].results.length).toBe(r.stdout.split('\n').filter((l) => l.startsWith('::')).length);
  });

  it('fail-on never passes whatever it finds; a run that fails (exit 2) still fails', () => {
    const cwd = join(work, 'seed-2006');
    const r = step({ paths: 'tomcat1 tomcat2 apache', 'fail-on': 'never' }, cwd);
    expect(r.code, r.output).toBe(0);
    expect(r.outputs).toBe('exit-code=1\n');
    const missing = step({ paths: 'no-such-node', 'fail-on': 'never' }, cwd);
    expect(missing.code).toBe(2);
  });

  it('passes a clean cluster; fail-on warning fails on a warning alone', () => {
    const cwd = join(work, 'seed-2006-fixed');
    const clean = step({ paths: 'tomcat1 tomcat2 apache' }, cwd);
    expect(clean.code, clean.output).toBe(0);
    const withWarnings = /^::warning /m.test(clean.stdout);
    const strict = step({ paths: 'tomcat1 tomcat2 apache', 'fail-on': 'warning' }, cwd);
    expect(strict.code).toBe(withWarnings ? 1 : 0);
    expect(step({ 'fail-on': 'sometimes' }, cwd).code).toBe(2);
  });
});
