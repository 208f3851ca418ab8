// One network namespace per scenario: loopback only, with a multicast route on lo so
// Tomcat's McastService membership works without touching any real interface.
import { existsSync, readdirSync } from 'node:fs';
import { mustRun, run, runSync } from './sys.js';

export const NS_PREFIX = 'cle2e-';

export class Netns {
  private constructor(readonly name: string) {}

  static async create(name: string): Promise<Netns> {
    await mustRun('ip', ['netns', 'add', name], { timeoutMs: 10_000 });
    const ns = new Netns(name);
    try {
      await mustRun('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { timeoutMs: 10_000 });
      await mustRun('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'multicast', 'on'], { timeoutMs: 10_000 });
      await mustRun('ip', ['netns', 'exec', name, 'ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo'], { timeoutMs: 10_000 });
    } catch (e) {
      await ns.delete();
      throw e;
    }
    return ns;
  }

  /** `ip netns exec <ns> cmd args...`: ip execs the command itself, so the PID is the command's. */
  wrap(cmd: string, args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.name, cmd, ...args]];
  }

  /** Listening TCP ports inside the namespace. */
  async listeningPorts(): Promise<number[]> {
    const r = await run('ip', ['netns', 'exec', this.name, 'ss', '-Hltn'], { timeoutMs: 10_000 });
    const ports: number[] = [];
    for (const line of r.stdout.split('\n')) {
      const local = line.trim().split(/\s+/)[3];
      const m = local?.match(/:(\d+)$/);
      if (m?.[1]) ports.push(Number(m[1]));
    }
    return ports;
  }

  async delete(): Promise<void> {
    await Netns.remove(this.name);
  }

  /** Deletes a namespace by name; no error when it is already gone. */
  static async remove(name: string): Promise<void> {
    if (existsSync(`/run/netns/${name}`)) await run('ip', ['netns', 'delete', name], { timeoutMs: 10_000 });
  }

  static removeSync(name: string): void {
    if (existsSync(`/run/netns/${name}`)) runSync('ip', ['netns', 'delete', name]);
  }
}

/**
 * Namespaces left by an e2e run that died (named `cle2e-<pid>-...` after a test process
 * that no longer exists). Another run that is still alive keeps its own.
 */
export async function removeStaleNamespaces(log: (line: string) => void): Promise<void> {
  let names: string[] = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.match(/^cle2e-(\d+)-/);
    if (!m?.[1]) continue;
    const pid = Number(m[1]);
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) continue;
    // Servers a killed run left behind in it: ours, found by the namespace, stopped by PID.
    const pids = (await run('ip', ['netns', 'pids', name], { timeoutMs: 10_000 })).stdout.split(/\s+/).filter((p) => /^\d+$/.test(p));
    log(`removing stale namespace ${name} (its test process ${pid} is gone${pids.length ? `; stopping ${pids.join(' ')}` : ''})`);
    for (const p of pids) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await run('ip', ['netns', 'delete', name], { timeoutMs: 10_000 });
  }
}
