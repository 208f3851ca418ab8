// Small process helpers for the e2e harness: bounded commands, bounded polling,
// and processes that are always stopped by their own PID (the whole process group).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, never longer than `timeoutMs`; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: opts.env ?? process.env, cwd: opts.cwd },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + (err && code === 1 && !stderr ? String(err.message) : '') });
      },
    );
  });
}

/** Like `run`, but throws with the command's output when it fails. */
export async function mustRun(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Polls `probe` until it returns a value other than undefined, or `timeoutMs` passes (then undefined). */
export async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, intervalMs = 200): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() >= end) return undefined;
    await sleep(Math.min(intervalMs, Math.max(0, end - Date.now())));
  }
}

/** Every process the harness started and has not yet stopped: stopped on teardown and on exit. */
const live = new Set<Managed>();

export class Managed {
  readonly child: ChildProcess;
  readonly pid: number;
  exitCode: number | null = null;
  exitSignal: string | null = null;
  exitedAt: number | undefined;
  readonly exited: Promise<void>;

  /** Starts `cmd` in its own process group (detached), stdout and stderr appended to `logFile`. */
  /** With `pipe`, stdin and stdout are pipes to this process (stderr still goes to `logFile`). */
  constructor(readonly name: string, cmd: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string; pipe?: boolean }) {
    const fd = openSync(opts.logFile, 'a');
    try {
      this.child = spawn(cmd, args, {
        detached: true,
        stdio: opts.pipe ? ['pipe', 'pipe', fd] : ['ignore', fd, fd],
        env: opts.env ?? process.env,
        cwd: opts.cwd,
      });
    } finally {
      closeSync(fd);
    }
    if (this.child.pid === undefined) throw new Error(`could not start ${name}: ${cmd}`);
    this.pid = this.child.pid;
    live.add(this);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        this.exitedAt = Date.now();
        resolve();
      });
      this.child.once('error', () => {
        this.exitCode = -1;
        this.exitedAt = Date.now();
        resolve();
      });
    });
  }

  get running(): boolean {
    return this.exitedAt === undefined;
  }

  /** Signals the whole process group; SIGKILL after `graceMs`. Resolves once the leader has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) {
      killGroup(this.pid, 'SIGKILL'); // stragglers of an exited leader
      live.delete(this);
      return;
    }
    killGroup(this.pid, 'SIGTERM');
    const done = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      killGroup(this.pid, 'SIGKILL');
      await Promise.race([this.exited, sleep(5_000)]);
    }
    killGroup(this.pid, 'SIGKILL');
    live.delete(this);
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** Stops every process the harness still has running (teardown; also on failure). */
export async function stopAll(graceMs = 8_000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

/** Last resort on exit of the test process: synchronous, by PID. */
export function killAllNow(): void {
  for (const p of live) killGroup(p.pid, 'SIGKILL');
  live.clear();
}

export function runSync(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}
