import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Runs a command and throws with its output when it fails. */
export function must(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = run(command, args, options);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.code}:\n${r.output}`);
  return r;
}

const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage', '.bench']);

/** Copies the working tree (what a commit of it would hold, roughly) without installed or built files. */
export function copyWorkingTree(to: string): void {
  for (const entry of readdirSync(ROOT)) {
    if (SKIP.has(entry)) continue;
    cpSync(join(ROOT, entry), join(to, entry), { recursive: true });
  }
}

export function gitCommitAll(dir: string, message: string): string {
  const git = (...args: string[]) => must('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  git('add', '-A');
  git('commit', '-q', '-m', message);
  return git('rev-parse', 'HEAD').stdout.trim();
}
