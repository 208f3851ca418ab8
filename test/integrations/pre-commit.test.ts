/**
 * The pre-commit hook with the real pre-commit: it installs this project the way it
 * installs any `language: node` hook (npm install, npm pack, npm install -g), then runs
 * it in a repository holding a cluster.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWorkingTree, gitCommitAll, has, must, ROOT, run } from './helpers.js';

describe.skipIf(!has('pre-commit') || !has('git'))('pre-commit hook', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cl-precommit-'));
  const hookRepo = join(tmp, 'cluster-lint');
  const home = join(tmp, 'pre-commit-home');
  let rev: string;
  // Keep pre-commit's cache and npm's global prefix inside the temporary folder.
  const env = { ...process.env, PRE_COMMIT_HOME: home, GIT_CONFIG_NOSYSTEM: '1', NO_COLOR: '1' };

  beforeAll(() => {
    // The hook repository must be a git repository at a commit: a copy of the working tree, committed.
    mkdirSync(hookRepo);
    copyWorkingTree(hookRepo);
    must('git', ['init', '-q'], { cwd: hookRepo });
    rev = gitCommitAll(hookRepo, 'snapshot for the pre-commit test');
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function clusterRepo(name: string, example: string, mutate?: (dir: string) => void): string {
    const dir = join(tmp, name);
    mkdirSync(dir);
    for (const node of ['tomcat1', 'tomcat2', 'apache']) cpSync(join(ROOT, 'examples', example, node), join(dir, node), { recursive: true });
    mutate?.(dir);
    writeFileSync(
      join(dir, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: cluster-lint\n        args: [--no-color, tomcat1, tomcat2, apache]\n`,
    );
    writeFileSync(join(dir, 'README.md'), 'a cluster\n');
    must('git', ['init', '-q'], { cwd: dir });
    gitCommitAll(dir, 'cluster');
    return dir;
  }

  it('fails on a broken cluster and shows the findings', () => {
    const dir = clusterRepo('broken', 'seed-2006', (d) => {
      // A parse error is reported whichever other rules exist.
      const file = join(d, 'tomcat2', 'conf', 'server.xml');
      writeFileSync(file, readFileSync(file, 'latin1').replace('</Server>', ''), 'latin1');
    });
    const r = run('pre-commit', ['run', '--all-files'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/cluster-lint\.+Failed/);
    expect(r.output).toContain('tomcat2/conf/server.xml');
    expect(r.output).toContain('parse-error');
  });

  it('passes on a clean cluster', () => {
    const dir = clusterRepo('clean', 'seed-2006-fixed');
    const r = run('pre-commit', ['run', '--all-files'], { cwd: dir, env });
    expect(r.output).toMatch(/cluster-lint\.+Passed/);
    expect(r.code, r.output).toBe(0);
  });

  it('runs on commit only when a cluster file changes', () => {
    const dir = clusterRepo('commit', 'seed-2006-fixed');
    must('pre-commit', ['install'], { cwd: dir, env });
    writeFileSync(join(dir, 'README.md'), 'a cluster, documented\n');
    must('git', ['add', 'README.md'], { cwd: dir });
    const docs = run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-m', 'docs'], { cwd: dir, env });
    expect(docs.code, docs.output).toBe(0);
    expect(docs.output).toMatch(/cluster-lint\.+\(no files to check\)Skipped/);

    const file = join(dir, 'tomcat1', 'conf', 'server.xml');
    writeFileSync(file, `${readFileSync(file, 'latin1')}<extra/>\n`, 'latin1');
    must('git', ['add', '-A'], { cwd: dir });
    const bad = run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-m', 'break it'], { cwd: dir, env });
    expect(bad.code, bad.output).not.toBe(0);
    expect(bad.output).toMatch(/cluster-lint\.+Failed/);
    expect(bad.output).toContain('tomcat1/conf/server.xml');
  });
});
