// The harness side of agent.mjs: HTTP requests made from inside the scenario's namespace.
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Netns } from './netns.js';
import { Managed } from './sys.js';

export interface HttpResponse {
  status: number; // 0 when the request failed (see error)
  error?: string;
  setCookie: string[];
  body: string;
  ms: number;
}

const AGENT = fileURLToPath(new URL('../agent.mjs', import.meta.url));

export class HttpAgent {
  private next = 1;
  private readonly waiting = new Map<number, (r: HttpResponse) => void>();
  private readonly proc: Managed;

  constructor(ns: Netns, logFile: string) {
    const [cmd, args] = ns.wrap(process.execPath, [AGENT]);
    this.proc = new Managed('http-agent', cmd, args, { logFile, pipe: true });
    const out = this.proc.child.stdout;
    if (!out) throw new Error('agent has no stdout');
    createInterface({ input: out }).on('line', (line) => {
      let msg: { id: number; status?: number; error?: string; setCookie?: string[]; body?: string; ms?: number };
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      const resolve = this.waiting.get(msg.id);
      if (!resolve) return;
      this.waiting.delete(msg.id);
      resolve({ status: msg.status ?? 0, error: msg.error, setCookie: msg.setCookie ?? [], body: msg.body ?? '', ms: msg.ms ?? 0 });
    });
    void this.proc.exited.then(() => {
      for (const [, resolve] of this.waiting) resolve({ status: 0, error: 'agent exited', setCookie: [], body: '', ms: 0 });
      this.waiting.clear();
    });
  }

  /** One GET from inside the namespace; resolves (never rejects) within timeoutMs plus a margin. */
  get(url: string, cookie?: string, timeoutMs = 8_000): Promise<HttpResponse> {
    const id = this.next++;
    return new Promise((resolve) => {
      if (!this.proc.running) {
        resolve({ status: 0, error: 'agent not running', setCookie: [], body: '', ms: 0 });
        return;
      }
      const guard = setTimeout(() => {
        this.waiting.delete(id);
        resolve({ status: 0, error: 'timeout (agent)', setCookie: [], body: '', ms: timeoutMs + 3_000 });
      }, timeoutMs + 3_000);
      this.waiting.set(id, (r) => {
        clearTimeout(guard);
        resolve(r);
      });
      this.proc.child.stdin?.write(JSON.stringify({ id, url, cookie, timeoutMs }) + '\n');
    });
  }

  async close(): Promise<void> {
    this.proc.child.stdin?.end();
    await this.proc.stop(3_000);
  }
}
