/**
 * Builds one `FrontEnd` from an httpd front end's files: httpd configuration
 * (mod_jk, mod_jk2 and mod_proxy directives), mod_jk's `workers.properties` and
 * `uriworkermap.properties`, and mod_jk2's `workers2.properties`.
 *
 * Version and dialect differences are resolved here into effective values with their
 * defaults, imitating what the connector itself does at start-up:
 *
 * - mod_jk (`jk_map.c`, `jk_util.c`, `jk_lb_worker.c`): `JkWorkerProperty` lines first,
 *   then the workers file; `$(var)` substituted at read time; list properties appended,
 *   unique ones overwritten; `reference` copies; undefined lb members become ajp13
 *   workers at localhost:8009; a member's route is `route`, else `jvm_route`, else its name.
 * - mod_jk2 (`jk_workerEnv.c`, `jk_worker_ajp13.c`, `jk_worker_lb.c`): every channel
 *   creates worker `ajp13:<name>`; `group=` joins (and silently creates) an lb; workers
 *   without a group join `lb:lb`; lb `worker=` entries naming no bean are skipped.
 * - mod_proxy_balancer: `<Proxy balancer://>`, `BalancerMember`, `ProxySet`, `ProxyPass`.
 *
 * Nothing here reads a file: every file comes from the input through the parse cache.
 * Member `target`/`candidates` are left empty; linking members to nodes happens later.
 * Never throws: a failure in one part is recorded as a problem and the rest is built.
 */
import path from 'node:path';
import type { ParseProblem, Span } from '../types.js';
import type { DiscoveredFile, FrontEndInput } from '../discover/types.js';
import type {
  HttpdArgument,
  HttpdDirective,
  HttpdDocument,
  Jk2Document,
  Jk2Section,
  PropertiesDocument,
  PropertyEntry,
} from '../parsers/syntax.js';
import { LineIndex, fileStartSpan } from '../parsers/source.js';
import type { ParseCache } from './parse-cache.js';
import type {
  Balancer,
  BalancerMember,
  FrontEnd,
  FrontEndKind,
  Jk2Config,
  JkConfig,
  JkProperty,
  JkWorkerDef,
  Located,
  Mount,
} from './types.js';

// ---------------------------------------------------------------- constants

/** mod_jk properties whose repeats are appended (`jk_util.c` list_properties, plus the deprecated `balanced_workers`). */
const JK_LIST_DIRECTIVES = new Set([
  'list',
  'balance_workers',
  'balanced_workers',
  'mount',
  'user',
  'good',
  'bad',
  'fail_on_status',
]);

/** mod_jk's `JK_MAP_RECURSION`: how deep `reference` chains are followed. */
const JK_REFERENCE_DEPTH = 20;

/** mod_jk's `$(var)` substitution gives up after this many replacements in one value. */
const JK_SUBSTITUTION_LIMIT = 20;

const JK_DEFAULT_HOST = 'localhost';
const JK_DEFAULT_PORT = 8009;
const JK_DEFAULT_WORKER_LIST = 'ajp13';
const JK_DEFAULT_TYPE = 'ajp13';

const JK2_CHANNEL_TYPES = ['channel.socket', 'channel.un', 'channel.jni'];
const JK2_DEFAULT_LB = 'lb:lb';

const DEFAULT_PORTS: Record<string, number> = {
  ajp: 8009,
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  h2c: 80,
  h2: 443,
};

// ---------------------------------------------------------------- entry point

export function buildFrontEnd(input: FrontEndInput, cache: ParseCache): FrontEnd {
  const declared = input.declaredHost !== undefined;
  const fe: FrontEnd = {
    id: input.id,
    name: input.name,
    root: input.root,
    host: { name: input.declaredHost ?? '', source: declared ? 'declared' : 'unknown' },
    kinds: [],
    jk: undefined,
    jk2: undefined,
    balancers: [],
    directMembers: [],
    mounts: [],
    listens: [],
    directives: [],
    modules: new Set<string>(),
  };
  const builder = new FrontEndBuilder(input, cache, fe);
  builder.build();
  return fe;
}

// ---------------------------------------------------------------- helpers: spans

/**
 * A span `length` characters long starting `from` characters into `span` (which must
 * be on one line); the whole span when it is not, or when the range does not fit.
 */
export function subSpan(span: Span, from: number, length: number): Span {
  if (span.line !== span.endLine || from < 0 || length < 0) return span;
  const column = span.column + from;
  const endColumn = column + length;
  if (endColumn > span.endColumn) return span;
  return { file: span.file, line: span.line, column, endLine: span.line, endColumn };
}

/**
 * The span of `value.slice(from, from + length)` inside an httpd argument: exact when
 * the argument is on one line and was written without escapes, else the argument's span.
 */
function argSubSpan(arg: HttpdArgument, from: number, length: number): Span {
  const s = arg.span;
  if (s.line !== s.endLine) return s;
  const width = s.endColumn - s.column;
  const open = arg.quoted ? 1 : 0;
  // Quoted: `"value"` (width value+2) or an unterminated `"value` (width value+1).
  const fits = arg.quoted
    ? width === arg.value.length + 2 || width === arg.value.length + 1
    : width === arg.value.length;
  if (!fits) return s;
  return subSpan(s, open + from, length);
}

// ---------------------------------------------------------------- helpers: values

/** mod_jk's `jk_get_bool_code`: off, f…, n…, 0 are false; on, t…, y…, 1 true; anything else the default. */
export function jkBool(value: string | undefined, def: boolean): boolean {
  if (value === undefined) return def;
  const v = value.trim();
  if (v.length === 0) return def;
  const lower = v.toLowerCase();
  const c = lower.charAt(0);
  if (lower === 'off' || c === 'f' || c === 'n' || c === '0') return false;
  if (lower === 'on' || c === 't' || c === 'y' || c === '1') return true;
  return def;
}

/** The leading decimal number of a value (as C `atoi` reads it), or undefined when there is none. */
function leadingInt(value: string): number | undefined {
  const m = /^\s*\+?(\d+)/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Strictly a port number: digits only, 0–65535. */
function strictPort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 65535 ? n : undefined;
}

/** Splits a list value on mod_jk's separators (space, tab, comma), with each item's offset. */
function splitList(value: string, separators: RegExp = /[^ \t,]+/g): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  for (const m of value.matchAll(separators)) out.push({ text: m[0], offset: m.index ?? 0 });
  return out;
}

/** `key=value` argument of an httpd directive (mod_proxy parameters); keys lower-cased. */
function keyValueArgs(args: HttpdArgument[]): Map<string, { value: string; arg: HttpdArgument; valueOffset: number }> {
  const out = new Map<string, { value: string; arg: HttpdArgument; valueOffset: number }>();
  for (const arg of args) {
    const eq = arg.value.indexOf('=');
    if (eq <= 0) continue;
    const key = arg.value.slice(0, eq).trim().toLowerCase();
    out.set(key, { value: arg.value.slice(eq + 1), arg, valueOffset: eq + 1 });
  }
  return out;
}

interface ParsedUrl {
  scheme: string;
  /** Host without IPv6 brackets. */
  host: string;
  /** Offset of the host (inside the brackets) in the URL. */
  hostOffset: number;
  port: number | undefined;
  /** Offset and length of the written port; undefined when the port is the scheme's default. */
  portOffset: number | undefined;
  portLength: number;
}

/** `scheme://[user@]host[:port][/path]`, with `[v6]` hosts; undefined for anything else. */
export function parseUrl(url: string): ParsedUrl | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  const authStart = m[0].length;
  let authEnd = url.length;
  for (let i = authStart; i < url.length; i++) {
    const c = url.charAt(i);
    if (c === '/' || c === '?' || c === '#') {
      authEnd = i;
      break;
    }
  }
  let hostStart = authStart;
  const at = url.lastIndexOf('@', authEnd - 1);
  if (at >= authStart) hostStart = at + 1;
  let host: string;
  let hostOffset: number;
  let portText: string | undefined;
  let portOffset: number | undefined;
  if (url.charAt(hostStart) === '[') {
    const close = url.indexOf(']', hostStart);
    if (close < 0 || close > authEnd) return undefined;
    host = url.slice(hostStart + 1, close);
    hostOffset = hostStart + 1;
    if (url.charAt(close + 1) === ':') {
      portOffset = close + 2;
      portText = url.slice(portOffset, authEnd);
    }
  } else {
    const colon = url.indexOf(':', hostStart);
    if (colon >= 0 && colon < authEnd) {
      host = url.slice(hostStart, colon);
      portOffset = colon + 1;
      portText = url.slice(portOffset, authEnd);
    } else {
      host = url.slice(hostStart, authEnd);
    }
    hostOffset = hostStart;
  }
  let port: number | undefined;
  if (portText !== undefined && portText.length > 0) port = strictPort(portText);
  else {
    port = DEFAULT_PORTS[scheme];
    portOffset = undefined;
  }
  return { scheme, host, hostOffset, port, portOffset, portLength: portText?.length ?? 0 };
}

/** `host:port` / `[v6]:port` / `host` / bare IPv6: host and port with their offsets. */
function splitHostPort(value: string): {
  host: string;
  hostOffset: number;
  port: string | undefined;
  portOffset: number;
} {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close > 0) {
      const host = value.slice(1, close);
      if (value.charAt(close + 1) === ':') return { host, hostOffset: 1, port: value.slice(close + 2), portOffset: close + 2 };
      return { host, hostOffset: 1, port: undefined, portOffset: 0 };
    }
  }
  const first = value.indexOf(':');
  if (first >= 0 && first === value.lastIndexOf(':')) {
    return { host: value.slice(0, first), hostOffset: 0, port: value.slice(first + 1), portOffset: first + 1 };
  }
  // No colon, or several without brackets (a bare IPv6 address): no port.
  return { host: value, hostOffset: 0, port: undefined, portOffset: 0 };
}

// ---------------------------------------------------------------- helpers: file resolution

function slashes(p: string): string {
  return p.replace(/\\/g, '/');
}

function segments(p: string): string[] {
  return slashes(p)
    .split('/')
    .filter((s) => s.length > 0 && s !== '.');
}

/**
 * Maps a path named inside a config (`JkWorkersFile conf/workers.properties`) onto one of
 * the given files, never onto anything else: exact relative path against the base
 * directories, else the longest matching tail of path segments (at least the base
 * name), else the only file there is.
 */
export function resolveNamedFile(
  named: string,
  candidates: DiscoveredFile[],
  bases: string[],
): DiscoveredFile | undefined {
  if (candidates.length === 0) return undefined;
  const ref = slashes(named.trim());
  if (ref.length > 0) {
    const wanted = new Set<string>();
    if (path.posix.isAbsolute(ref) || /^[A-Za-z]:\//.test(ref)) wanted.add(path.posix.normalize(ref));
    else for (const base of bases) wanted.add(path.posix.normalize(path.posix.join(slashes(base), ref)));
    for (const c of candidates) if (wanted.has(path.posix.normalize(slashes(c.path)))) return c;
    const refSegs = segments(ref).filter((s) => s !== '..');
    let best: DiscoveredFile | undefined;
    let bestLen = 0;
    for (const c of candidates) {
      const cs = segments(c.path);
      let n = 0;
      while (n < refSegs.length && n < cs.length && refSegs[refSegs.length - 1 - n] === cs[cs.length - 1 - n]) n++;
      if (n > bestLen) {
        best = c;
        bestLen = n;
      }
    }
    if (best) return best;
  }
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** Among several files with none named, the one with the conventional name, else the first. */
function preferByName(candidates: DiscoveredFile[], names: string[]): DiscoveredFile | undefined {
  for (const n of names) {
    const hit = candidates.find((c) => path.posix.basename(slashes(c.path)).toLowerCase() === n);
    if (hit) return hit;
  }
  return candidates[0];
}

// ---------------------------------------------------------------- mod_jk flat property map

/** One key of mod_jk's property map after reading (jk_map_t), with where it was written. */
interface FlatProp {
  key: string;
  value: string;
  entries: JkProperty['entries'];
  keySpan: Span;
  valueSpan: Span;
  inherited: boolean;
}

/** An entry to read, from workers.properties or a `JkWorkerProperty` line. */
interface JkSourceEntry {
  key: string;
  value: string;
  keySpan: Span;
  valueSpan: Span;
}

interface JkRead {
  flat: Map<string, FlatProp>;
  /** Worker name → span of the first key that defined it (reading order). */
  firstKey: Map<string, Span>;
  unresolved: { name: string; span: Span }[];
  /** Raw value per entry (for list positions), keyed by the entry object. */
  raw: Map<JkProperty['entries'][number], string>;
}

/** `worker.<name>.<directive>` → name and directive (name up to the LAST dot); undefined for globals and variables. */
export function splitWorkerKey(key: string): { name: string; directive: string } | undefined {
  if (!key.startsWith('worker.')) return undefined;
  const rest = key.slice('worker.'.length);
  const dot = rest.lastIndexOf('.');
  if (dot < 0) return undefined;
  return { name: rest.slice(0, dot), directive: rest.slice(dot + 1) };
}

function directiveOf(key: string): string {
  const dot = key.lastIndexOf('.');
  return dot < 0 ? key : key.slice(dot + 1);
}

/**
 * `$(name)` substitution as jk_map_replace_properties does it: names looked up among
 * keys read earlier; unknown names stay literal (mod_jk would try the environment,
 * which we never read); substituted text is not rescanned.
 */
function substitute(
  raw: string,
  valueSpan: Span,
  flat: Map<string, FlatProp>,
  unresolved: { name: string; span: Span }[],
): string {
  if (!raw.includes('$(')) return raw;
  let out = '';
  let i = 0;
  let count = 0;
  while (i < raw.length) {
    const start = raw.indexOf('$(', i);
    if (start < 0) break;
    const end = raw.indexOf(')', start + 2);
    if (end < 0) break;
    if (count++ > JK_SUBSTITUTION_LIMIT) break;
    const name = raw.slice(start + 2, end);
    const known = flat.get(name);
    out += raw.slice(i, start);
    if (known) out += known.value;
    else {
      out += raw.slice(start, end + 1);
      unresolved.push({ name, span: subSpan(valueSpan, start, end + 1 - start) });
    }
    i = end + 1;
  }
  return out + raw.slice(i);
}

function readJkEntries(entries: JkSourceEntry[]): JkRead {
  const flat = new Map<string, FlatProp>();
  const firstKey = new Map<string, Span>();
  const unresolved: { name: string; span: Span }[] = [];
  const raw = new Map<JkProperty['entries'][number], string>();
  for (const e of entries) {
    // jk_map_read_property skips a line whose key or value is empty after trimming.
    if (e.key.length === 0 || e.value.length === 0) continue;
    const value = substitute(e.value, e.valueSpan, flat, unresolved);
    const record = { key: e.key, value, keySpan: e.keySpan, valueSpan: e.valueSpan };
    raw.set(record, e.value);
    const wk = splitWorkerKey(e.key);
    if (wk && !firstKey.has(wk.name)) firstKey.set(wk.name, e.keySpan);
    const old = flat.get(e.key);
    if (old && JK_LIST_DIRECTIVES.has(directiveOf(e.key))) {
      old.value = old.value.length > 0 ? `${old.value},${value}` : value;
      old.entries.push(record);
      old.keySpan = e.keySpan;
      old.valueSpan = e.valueSpan;
    } else if (old) {
      old.value = value;
      old.entries.push(record);
      old.keySpan = e.keySpan;
      old.valueSpan = e.valueSpan;
    } else {
      flat.set(e.key, {
        key: e.key,
        value,
        entries: [record],
        keySpan: e.keySpan,
        valueSpan: e.valueSpan,
        inherited: false,
      });
    }
  }
  resolveReferences(flat);
  return { flat, firstKey, unresolved, raw };
}

/**
 * jk_map_resolve_references: for every `worker.X.reference=worker.Y`, first resolve Y's
 * own reference, then copy every `worker.Y.<p>` to `worker.X.<p>` unless X sets it.
 * Chains deeper than 20 and loops stop (mod_jk refuses to start; a rule reports it).
 */
function resolveReferences(flat: Map<string, FlatProp>): void {
  const refKeys = [...flat.keys()].filter((k) => k.startsWith('worker.') && k.endsWith('.reference'));
  if (refKeys.length === 0) return;
  // Keys grouped by their prefix up to the last dot (`worker.Y.`), for copying.
  const byPrefix = new Map<string, string[]>();
  for (const k of flat.keys()) {
    const dot = k.lastIndexOf('.');
    if (dot < 0) continue;
    const prefix = k.slice(0, dot + 1);
    const list = byPrefix.get(prefix);
    if (list) list.push(k);
    else byPrefix.set(prefix, [k]);
  }
  const done = new Set<string>();
  const resolve = (target: string, depth: number, visiting: Set<string>): void => {
    // target: `worker.X` (the part before `.reference`).
    if (done.has(target) || visiting.has(target) || depth > JK_REFERENCE_DEPTH) return;
    const ref = flat.get(`${target}.reference`);
    if (!ref || ref.value.length === 0) {
      done.add(target);
      return;
    }
    visiting.add(target);
    resolve(ref.value, depth + 1, visiting);
    visiting.delete(target);
    const from = `${ref.value}.`;
    const to = `${target}.`;
    for (const k of byPrefix.get(from) ?? []) {
      const src = flat.get(k);
      if (!src) continue;
      const copyKey = to + k.slice(from.length);
      if (flat.has(copyKey)) continue;
      flat.set(copyKey, { ...src, key: copyKey, entries: [...src.entries], inherited: true });
      const list = byPrefix.get(to);
      if (list) list.push(copyKey);
      else byPrefix.set(to, [copyKey]);
    }
    done.add(target);
  };
  for (const k of refKeys) resolve(k.slice(0, -'.reference'.length), 1, new Set());
}

// ---------------------------------------------------------------- the builder

interface ProxyBalancerState {
  balancer: Balancer;
  /** True once a `<Proxy>` section or `BalancerMember` defined it (not only a ProxyPass). */
  defined: boolean;
}

interface PendingMountFile {
  named: string;
  directive: HttpdDirective;
}

class FrontEndBuilder {
  private readonly problems: ParseProblem[];
  private readonly lineIndexes = new Map<string, LineIndex>();
  private readonly jkWorkerPropertyEntries: { entry: PropertyEntry; file: DiscoveredFile }[] = [];
  private readonly jkWorkersFileNames: string[] = [];
  private readonly jkMountFiles: PendingMountFile[] = [];
  private readonly jk2ConfigFileNames: string[] = [];
  private readonly proxyBalancers = new Map<string, ProxyBalancerState>();
  private readonly proxyDirect = new Map<string, BalancerMember>();
  private readonly jkBalancers: Balancer[] = [];
  private readonly jk2Balancers: Balancer[] = [];
  /** Raw (unsubstituted) value of each mod_jk entry, to know when positions inside a value are exact. */
  private jkRaw = new Map<JkProperty['entries'][number], string>();
  private usesJkDirectives = false;
  private usesJk2Directives = false;

  constructor(
    private readonly input: FrontEndInput,
    private readonly cache: ParseCache,
    private readonly fe: FrontEnd,
  ) {
    this.problems = cache.problems;
  }

  build(): void {
    this.guard(this.input.httpdConfs[0]?.path ?? this.input.root, () => this.readHttpd());
    this.guard(this.input.workersProperties[0]?.path ?? this.input.root, () => this.readJk());
    this.guard(this.input.uriWorkerMaps[0]?.path ?? this.input.root, () => this.readUriWorkerMaps());
    this.guard(this.input.workers2Properties[0]?.path ?? this.input.root, () => this.readJk2());
    this.guard(this.input.root, () => this.collectJkDirectMembers());
    const proxy = [...this.proxyBalancers.values()].map((s) => s.balancer);
    this.fe.balancers.push(...this.jkBalancers, ...this.jk2Balancers, ...proxy);
    this.fe.directMembers.push(...this.proxyDirect.values());
    this.fe.kinds = this.kinds();
  }

  /** Runs one part; an internal failure becomes a problem, never an exception. */
  private guard(file: string, part: () => void): void {
    try {
      part();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.problems.push({ message: `internal error while reading the front end: ${why}`, span: fileStartSpan(file) });
    }
  }

  private kinds(): FrontEndKind[] {
    const m = this.fe.modules;
    const jk = this.fe.jk !== undefined || this.usesJkDirectives || m.has('jk_module');
    const jk2 = this.fe.jk2 !== undefined || this.usesJk2Directives || m.has('jk2_module');
    const proxy =
      this.proxyBalancers.size > 0 ||
      this.proxyDirect.size > 0 ||
      this.fe.mounts.some((x) => x.source === 'ProxyPass') ||
      m.has('proxy_balancer_module') ||
      m.has('proxy_ajp_module');
    const out: FrontEndKind[] = [];
    if (jk) out.push('jk');
    if (jk2) out.push('jk2');
    if (proxy) out.push('proxy');
    return out;
  }

  /** Directories a relative path inside a config may be relative to. */
  private baseDirs(): string[] {
    const dirs: string[] = [];
    const add = (d: string) => {
      if (d.length > 0 && !dirs.includes(d)) dirs.push(d);
    };
    add(this.input.root);
    for (const f of this.input.httpdConfs) add(path.dirname(f.path));
    for (const f of this.input.httpdConfs) add(path.dirname(path.dirname(f.path)));
    add(path.dirname(this.input.root));
    return dirs;
  }

  private lineIndex(file: DiscoveredFile): LineIndex {
    let idx = this.lineIndexes.get(file.path);
    if (!idx) {
      idx = new LineIndex(file.source.file, file.source.text);
      this.lineIndexes.set(file.path, idx);
    }
    return idx;
  }

  // ------------------------------------------------------------ httpd

  private readHttpd(): void {
    for (const file of this.input.httpdConfs) {
      this.guard(file.path, () => {
        const doc: HttpdDocument = this.cache.httpd(file);
        // The cache keys by path: a file also listed under another kind may come back as that kind.
        if (doc.kind !== 'httpd') return;
        const stack: HttpdDirective[] = [];
        for (let i = doc.directives.length - 1; i >= 0; i--) stack.push(doc.directives[i]!);
        while (stack.length > 0) {
          const d = stack.pop()!;
          this.fe.directives.push(d);
          this.guard(file.path, () => this.directive(d, file));
          const kids = d.children;
          if (kids) for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
        }
      });
    }
  }

  private directive(d: HttpdDirective, file: DiscoveredFile): void {
    const a = d.args;
    switch (d.key) {
      case 'loadmodule':
        if (a[0]) this.fe.modules.add(a[0].value.toLowerCase());
        return;
      case 'listen':
        this.listen(d);
        return;
      case 'jkworkersfile':
        this.usesJkDirectives = true;
        if (a[0]) this.jkWorkersFileNames.push(a[0].value);
        return;
      case 'jkworkerproperty':
        this.usesJkDirectives = true;
        this.jkWorkerProperty(d, file);
        return;
      case 'jkmount':
      case 'jkunmount':
        this.usesJkDirectives = true;
        this.jkMount(d, file);
        return;
      case 'jkmountfile':
        this.usesJkDirectives = true;
        if (a[0]) this.jkMountFiles.push({ named: a[0].value, directive: d });
        return;
      case 'jkset':
        this.usesJk2Directives = true;
        if (a[0]?.value.toLowerCase() === 'config.file' && a[1]) this.jk2ConfigFileNames.push(a[1].value);
        return;
      case 'jkuriset':
        this.usesJk2Directives = true;
        return;
      case 'proxy':
        this.proxySection(d);
        return;
      case 'balancermember':
        this.balancerMember(d);
        return;
      case 'proxyset':
        this.proxySet(d);
        return;
      case 'proxypass':
      case 'proxypassmatch':
        this.proxyPass(d, file);
        return;
      default:
        if (d.key.startsWith('jk')) this.usesJkDirectives = true;
    }
  }

  private listen(d: HttpdDirective): void {
    const arg = d.args[0];
    if (!arg) return;
    const v = arg.value;
    let address: string | undefined;
    let portText: string;
    let portOffset: number;
    if (v.startsWith('[')) {
      const close = v.indexOf(']');
      if (close < 0 || v.charAt(close + 1) !== ':') return;
      address = v.slice(1, close);
      portOffset = close + 2;
      portText = v.slice(portOffset);
    } else {
      const colon = v.lastIndexOf(':');
      if (colon >= 0) {
        address = v.slice(0, colon);
        portOffset = colon + 1;
        portText = v.slice(portOffset);
      } else {
        portOffset = 0;
        portText = v;
      }
    }
    const port = strictPort(portText);
    if (port === undefined) return;
    this.fe.listens.push({
      port: { value: port, span: argSubSpan(arg, portOffset, portText.length) },
      address,
      span: d.span,
    });
  }

  /** `JkWorkerProperty worker.x.y=z`: RAW_ARGS, so the rest of the line as written. */
  private jkWorkerProperty(d: HttpdDirective, file: DiscoveredFile): void {
    const first = d.args[0];
    const last = d.args[d.args.length - 1];
    if (!first || !last) return;
    const text = file.source.text;
    if (first.span.line === last.span.endLine) {
      const idx = this.lineIndex(file);
      const start = idx.lineStart(first.span.line) + first.span.column - 1;
      const end = idx.lineStart(last.span.endLine) + last.span.endColumn - 1;
      const eq = text.indexOf('=', start);
      if (eq < 0 || eq >= end) return;
      const [ks, ke] = trimBlank(text, start, eq);
      let [vs, ve] = trimBlank(text, eq + 1, end);
      if (ks >= ke) return;
      if (vs >= ve) vs = ve = eq + 1;
      this.jkWorkerPropertyEntries.push({
        file,
        entry: {
          key: text.slice(ks, ke),
          value: text.slice(vs, ve),
          keySpan: idx.span(ks, ke),
          valueSpan: idx.span(vs, ve),
          span: idx.span(ks, Math.max(ve, eq + 1)),
          keyStart: ks,
          keyEnd: ke,
          valueStart: vs,
          valueEnd: ve,
        },
      });
      return;
    }
    // Continued over several lines: rebuild from the words (positions are approximate).
    const joined = d.args.map((x) => x.value).join(' ');
    const eq = joined.indexOf('=');
    if (eq <= 0) return;
    const key = joined.slice(0, eq).trim();
    const value = joined.slice(eq + 1).trim();
    if (key.length === 0) return;
    this.jkWorkerPropertyEntries.push({
      file,
      entry: {
        key,
        value,
        keySpan: first.span,
        valueSpan: last.span,
        span: d.span,
        keyStart: d.start,
        keyEnd: d.start,
        valueStart: d.end,
        valueEnd: d.end,
      },
    });
  }

  private jkMount(d: HttpdDirective, file: DiscoveredFile): void {
    const a = d.args;
    let pathText: string;
    let workerArg: HttpdArgument;
    if (a.length >= 2) {
      pathText = a[0]!.value;
      workerArg = a[1]!;
    } else if (a.length === 1) {
      const loc = enclosingLocation(d);
      if (loc === undefined) return;
      pathText = loc;
      workerArg = a[0]!;
    } else {
      return;
    }
    const unmount = d.key === 'jkunmount';
    const pattern = mountPattern(pathText);
    // `worker;ext=value` rule extensions (1.2.27+) follow the worker name.
    const semi = workerArg.value.indexOf(';');
    const worker = semi < 0 ? workerArg.value : workerArg.value.slice(0, semi);
    this.fe.mounts.push({
      source: unmount ? 'JkUnMount' : 'JkMount',
      path: pattern.path,
      worker: { value: worker, span: argSubSpan(workerArg, 0, worker.length) },
      span: d.span,
      file: file.path,
      target: undefined,
      exclude: unmount || pattern.exclude,
      disabled: pattern.disabled,
    });
  }

  // ------------------------------------------------------------ mod_proxy

  private proxyBalancer(name: string, span: Span, defines: boolean): ProxyBalancerState {
    const key = name.toLowerCase();
    let state = this.proxyBalancers.get(key);
    if (!state) {
      state = {
        balancer: {
          kind: 'proxy',
          name,
          span,
          sticky: { value: false, span: undefined },
          sessionCookie: undefined,
          members: [],
          secret: undefined,
        },
        defined: defines,
      };
      this.proxyBalancers.set(key, state);
    } else if (defines && !state.defined) {
      state.defined = true;
      state.balancer.span = span;
    }
    return state;
  }

  /** `balancer://NAME/...` → NAME with its offset in the URL; undefined for other URLs. */
  private balancerName(url: string): { name: string; offset: number } | undefined {
    const m = /^balancer:\/\//i.exec(url);
    if (!m) return undefined;
    const start = m[0].length;
    let end = url.length;
    for (let i = start; i < url.length; i++) {
      const c = url.charAt(i);
      if (c === '/' || c === '?' || c === '#') {
        end = i;
        break;
      }
    }
    const name = url.slice(start, end);
    return name.length > 0 ? { name, offset: start } : undefined;
  }

  /** The balancer a `<Proxy balancer://NAME>` section around `d` names. */
  private enclosingProxyBalancer(d: HttpdDirective): ProxyBalancerState | undefined {
    for (let p = d.parent; p; p = p.parent) {
      if (p.key !== 'proxy') continue;
      const b = p.args[0] ? this.balancerName(p.args[0].value) : undefined;
      return b ? this.proxyBalancer(b.name, p.span, true) : undefined;
    }
    return undefined;
  }

  private proxySection(d: HttpdDirective): void {
    const b = d.args[0] ? this.balancerName(d.args[0].value) : undefined;
    if (b) this.proxyBalancer(b.name, d.span, true);
  }

  private balancerMember(d: HttpdDirective): void {
    const a = d.args;
    if (a.length === 0) return;
    let state: ProxyBalancerState | undefined;
    let urlIndex = 0;
    const explicit = this.balancerName(a[0]!.value);
    if (explicit) {
      state = this.proxyBalancer(explicit.name, d.span, true);
      urlIndex = 1;
    } else {
      state = this.enclosingProxyBalancer(d);
    }
    const urlArg = a[urlIndex];
    if (!state || !urlArg) return;
    const params = keyValueArgs(a.slice(urlIndex + 1));
    const member = this.proxyMember(urlArg, params, d.span);
    if (member) state.balancer.members.push(member);
  }

  private proxyMember(
    urlArg: HttpdArgument,
    params: Map<string, { value: string; arg: HttpdArgument; valueOffset: number }>,
    span: Span,
  ): BalancerMember | undefined {
    const url = urlArg.value;
    const parsed = parseUrl(url);
    if (!parsed) return undefined;
    const route = params.get('route');
    const secret = params.get('secret');
    return {
      name: url,
      kind: 'proxy',
      protocol: parsed.scheme === 'ajp' ? 'ajp' : 'http',
      host: { value: parsed.host, span: argSubSpan(urlArg, parsed.hostOffset, parsed.host.length) },
      port: {
        value: parsed.port,
        span: parsed.portOffset === undefined ? undefined : argSubSpan(urlArg, parsed.portOffset, parsed.portLength),
      },
      route: route
        ? { value: route.value, span: argSubSpan(route.arg, route.valueOffset, route.value.length) }
        : undefined,
      routeSource: route ? 'route' : 'none',
      secret: secret
        ? { value: secret.value, span: argSubSpan(secret.arg, secret.valueOffset, secret.value.length) }
        : undefined,
      defined: true,
      span,
      target: undefined,
      candidates: [],
    };
  }

  /** Balancer parameters given on `ProxySet` or `ProxyPass`. */
  private balancerParams(
    state: ProxyBalancerState,
    params: Map<string, { value: string; arg: HttpdArgument; valueOffset: number }>,
  ): void {
    const sticky = params.get('stickysession');
    if (sticky) {
      state.balancer.sticky = { value: true, span: sticky.arg.span };
      state.balancer.sessionCookie = {
        value: sticky.value,
        span: argSubSpan(sticky.arg, sticky.valueOffset, sticky.value.length),
      };
    }
  }

  private proxySet(d: HttpdDirective): void {
    const a = d.args;
    if (a.length === 0) return;
    let state: ProxyBalancerState | undefined;
    let from = 0;
    const explicit = this.balancerName(a[0]!.value);
    if (explicit) {
      state = this.proxyBalancer(explicit.name, d.span, false);
      from = 1;
    } else if (!a[0]!.value.includes('://')) {
      state = this.enclosingProxyBalancer(d);
    }
    if (state) this.balancerParams(state, keyValueArgs(a.slice(from)));
  }

  private proxyPass(d: HttpdDirective, file: DiscoveredFile): void {
    const a = d.args;
    if (a.length === 0) return;
    let pathText: string;
    let urlIndex: number;
    const loc = enclosingLocation(d);
    const first = a[0]!.value;
    if (loc !== undefined && (first === '!' || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(first))) {
      pathText = loc;
      urlIndex = 0;
    } else {
      if (a.length < 2) return;
      pathText = first;
      urlIndex = 1;
    }
    const urlArg = a[urlIndex]!;
    const url = urlArg.value;
    if (url === '!') return;
    const params = keyValueArgs(a.slice(urlIndex + 1));
    const b = this.balancerName(url);
    if (b) {
      const state = this.proxyBalancer(b.name, d.span, false);
      this.balancerParams(state, params);
      this.fe.mounts.push({
        source: 'ProxyPass',
        path: pathText,
        worker: { value: b.name, span: argSubSpan(urlArg, b.offset, b.name.length) },
        span: d.span,
        file: file.path,
        target: url,
      });
      return;
    }
    this.fe.mounts.push({
      source: 'ProxyPass',
      path: pathText,
      worker: { value: url, span: argSubSpan(urlArg, 0, url.length) },
      span: d.span,
      file: file.path,
      target: url,
    });
    const parsed = parseUrl(url);
    if (parsed?.scheme === 'ajp') {
      const key = `ajp://${parsed.host.toLowerCase()}:${parsed.port ?? ''}`;
      if (!this.proxyDirect.has(key)) {
        const member = this.proxyMember(urlArg, params, d.span);
        if (member) this.proxyDirect.set(key, member);
      }
    }
  }

  // ------------------------------------------------------------ mod_jk

  private chooseWorkersFile(): DiscoveredFile | undefined {
    const files = this.input.workersProperties;
    if (files.length === 0) return undefined;
    const named = this.jkWorkersFileNames[0];
    if (named !== undefined) {
      const hit = resolveNamedFile(named, files, this.baseDirs());
      if (hit) return hit;
    }
    if (files.length === 1) return files[0];
    return preferByName(files, ['workers.properties', 'worker.properties']);
  }

  private readJk(): void {
    const chosen = this.chooseWorkersFile();
    const parsed = chosen ? this.cache.properties(chosen) : undefined;
    // The cache keys by path: a file also listed under another kind may come back as that kind.
    const file = parsed?.kind === 'properties' ? chosen : undefined;
    const wp = this.jkWorkerPropertyEntries;
    let document: PropertiesDocument;
    let jkFile: string;
    if (file && parsed) {
      document = parsed;
      jkFile = file.path;
    } else {
      // Only JkWorkerProperty lines: their httpd file stands in for workers.properties.
      const host = wp[0]?.file;
      if (!host) return;
      document = {
        kind: 'properties',
        source: host.source,
        entries: wp.filter((x) => x.file === host).map((x) => x.entry),
        comments: [],
        problems: [],
      };
      jkFile = host.path;
    }
    // mod_jk reads JkWorkerProperty lines at configuration time, the file afterwards.
    const rawEntries: PropertyEntry[] = [...wp.map((x) => x.entry), ...(file ? document.entries : [])];
    const entries: JkSourceEntry[] = rawEntries;
    const read = readJkEntries(entries);
    this.jkRaw = read.raw;

    const variables = new Map<string, Located<string>>();
    const workers = new Map<string, JkWorkerDef>();
    for (const p of read.flat.values()) {
      if (!p.key.startsWith('worker.')) {
        variables.set(p.key, { value: p.value, span: p.valueSpan });
        continue;
      }
      const wk = splitWorkerKey(p.key);
      if (!wk) continue;
      let def = workers.get(wk.name);
      if (!def) {
        def = {
          name: wk.name,
          properties: new Map(),
          type: JK_DEFAULT_TYPE,
          span: read.firstKey.get(wk.name) ?? p.keySpan,
        };
        workers.set(wk.name, def);
      }
      def.properties.set(wk.directive, {
        directive: wk.directive,
        value: p.value,
        entries: p.entries,
        keySpan: p.keySpan,
        valueSpan: p.valueSpan,
        inherited: p.inherited,
      });
    }
    for (const def of workers.values()) {
      const t = def.properties.get('type')?.value;
      if (t !== undefined && t.length > 0) def.type = t;
    }

    const list: Located<string>[] = [];
    const listProp = read.flat.get('worker.list');
    if (listProp) list.push(...this.listItems(listProp.entries, read));
    else list.push({ value: JK_DEFAULT_WORKER_LIST, span: undefined });

    const jk: JkConfig = { file: jkFile, document, entries: rawEntries, workers, list, variables, unresolved: read.unresolved };
    this.fe.jk = jk;

    // One balancer per lb worker.
    for (const def of workers.values()) {
      if (def.type !== 'lb') continue;
      this.jkBalancers.push(this.jkBalancer(def, jk, read));
    }

    // worker.X.mount
    for (const def of workers.values()) {
      const mount = def.properties.get('mount');
      if (!mount) continue;
      for (const e of mount.entries) {
        const rawValue = read.raw.get(e) ?? e.value;
        const exact = rawValue === e.value;
        const nameSpan = workerNameSpanInKey(e.key, e.keySpan) ?? e.keySpan;
        for (const item of splitList(e.value)) {
          const pattern = mountPattern(item.text);
          this.fe.mounts.push({
            source: 'worker-mount',
            path: pattern.path,
            worker: { value: def.name, span: nameSpan },
            span: exact ? subSpan(e.valueSpan, item.offset, item.text.length) : e.valueSpan,
            file: e.keySpan.file,
            target: undefined,
            exclude: pattern.exclude,
            disabled: pattern.disabled,
          });
        }
      }
    }
  }

  /** Names of a list property's entries, each with its position inside the value. */
  private listItems(entries: JkProperty['entries'], read: JkRead): Located<string>[] {
    const out: Located<string>[] = [];
    for (const e of entries) {
      const rawValue = read.raw.get(e) ?? e.value;
      const exact = rawValue === e.value;
      for (const item of splitList(e.value)) {
        out.push({
          value: item.text,
          span: exact ? subSpan(e.valueSpan, item.offset, item.text.length) : e.valueSpan,
        });
      }
    }
    return out;
  }

  private jkBalancer(lb: JkWorkerDef, jk: JkConfig, read: JkRead): Balancer {
    const props = lb.properties;
    const secretProp = props.get('secret');
    const lbSecret: Located<string> | undefined = secretProp
      ? { value: secretProp.value, span: secretProp.valueSpan }
      : undefined;
    // jk_get_lb_worker_list: balance_workers, and only without it the old balanced_workers.
    const listProp = props.get('balance_workers') ?? props.get('balanced_workers');
    const names = listProp ? this.listItems(listProp.entries, read) : [];
    const members = names.map((n) => this.jkMember(n.value, jk, lbSecret, n.span ?? lb.span));
    const stickyProp = props.get('sticky_session');
    const cookie = props.get('session_cookie');
    return {
      kind: 'jk',
      name: lb.name,
      span: lb.span,
      sticky: {
        value: jkBool(stickyProp?.value, true),
        span: stickyProp ? stickyProp.valueSpan : undefined,
      },
      sessionCookie: cookie ? { value: cookie.value, span: cookie.valueSpan } : undefined,
      members,
      secret: lbSecret,
    };
  }

  /** A mod_jk worker as a member: its effective host, port, route and secret with defaults. */
  private jkMember(
    name: string,
    jk: JkConfig,
    lbSecret: Located<string> | undefined,
    nameSpan: Span,
  ): BalancerMember {
    const def = jk.workers.get(name);
    const props = def?.properties;
    const hostProp = props?.get('host');
    const portProp = props?.get('port');
    let host: Located<string> = { value: JK_DEFAULT_HOST, span: undefined };
    let port: Located<number | undefined> = { value: JK_DEFAULT_PORT, span: undefined };
    if (portProp) port = { value: leadingInt(portProp.value), span: portProp.valueSpan };
    if (hostProp) {
      const hp = splitHostPort(hostProp.value);
      const last = hostProp.entries[hostProp.entries.length - 1];
      const exact = last !== undefined && this.jkRaw.get(last) === last.value;
      host = {
        value: hp.host,
        span: exact ? subSpan(hostProp.valueSpan, hp.hostOffset, hp.host.length) : hostProp.valueSpan,
      };
      // `host=name:port` embeds the port, which wins over `port`.
      if (hp.port !== undefined && hp.port.length > 0) {
        port = {
          value: leadingInt(hp.port),
          span: exact ? subSpan(hostProp.valueSpan, hp.portOffset, hp.port.length) : hostProp.valueSpan,
        };
      }
    }
    const routeProp = props?.get('route') ?? props?.get('jvm_route');
    const route: Located<string> = routeProp
      ? { value: routeProp.value, span: routeProp.valueSpan }
      : { value: name, span: nameSpan };
    const secretProp = props?.get('secret');
    const secret: Located<string> | undefined = secretProp
      ? { value: secretProp.value, span: secretProp.valueSpan }
      : lbSecret;
    return {
      name,
      kind: 'jk',
      protocol: 'ajp',
      host,
      port,
      route,
      routeSource: routeProp ? 'route' : 'worker-name',
      secret,
      defined: def !== undefined,
      span: def ? def.span : nameSpan,
      target: undefined,
      candidates: [],
    };
  }

  /**
   * Workers used without a balancer: ajp13/ajp14 workers in `worker.list` that are not
   * lb members, or are mounted directly. A name written in `worker.list` but never
   * defined is still created by mod_jk (ajp13 at localhost:8009), so it counts too; the
   * implicit default list (`ajp13`) counts only when that worker is defined.
   */
  private collectJkDirectMembers(): void {
    const jk = this.fe.jk;
    if (!jk) return;
    const lbMembers = new Set<string>();
    for (const b of this.jkBalancers) for (const m of b.members) lbMembers.add(m.name);
    const mounted = new Set<string>();
    for (const m of this.fe.mounts) {
      if (m.source === 'JkMount' || m.source === 'uriworkermap' || m.source === 'worker-mount') {
        if (!m.exclude) mounted.add(m.worker.value);
      }
    }
    const seen = new Set<string>();
    for (const item of jk.list) {
      const name = item.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const def = jk.workers.get(name);
      if (!def && item.span === undefined) continue;
      const type = def?.type ?? JK_DEFAULT_TYPE;
      if (type !== 'ajp13' && type !== 'ajp14') continue;
      if (lbMembers.has(name) && !mounted.has(name)) continue;
      const span = item.span ?? def?.span ?? fileStartSpan(jk.file);
      this.fe.directMembers.push(this.jkMember(name, jk, undefined, span));
    }
  }

  // ------------------------------------------------------------ uriworkermap.properties

  private readUriWorkerMaps(): void {
    const maps = this.input.uriWorkerMaps;
    if (maps.length === 0) return;
    let chosen: DiscoveredFile[];
    if (this.jkMountFiles.length > 0) {
      chosen = [];
      for (const mf of this.jkMountFiles) {
        const hit = resolveNamedFile(mf.named, maps, this.baseDirs());
        if (hit && !chosen.includes(hit)) chosen.push(hit);
      }
    } else {
      chosen = [...maps];
    }
    for (const file of chosen) {
      this.guard(file.path, () => {
        const doc = this.cache.properties(file);
        if (doc.kind !== 'properties') return;
        for (const e of doc.entries) {
          const pattern = mountPattern(e.key);
          const semi = e.value.indexOf(';');
          const workerRaw = semi < 0 ? e.value : e.value.slice(0, semi);
          const lead = workerRaw.length - workerRaw.trimStart().length;
          const worker = workerRaw.trim();
          this.fe.mounts.push({
            source: 'uriworkermap',
            path: pattern.path,
            worker: { value: worker, span: subSpan(e.valueSpan, lead, worker.length) },
            span: e.span,
            file: file.path,
            target: undefined,
            exclude: pattern.exclude,
            disabled: pattern.disabled,
          });
        }
      });
    }
  }

  // ------------------------------------------------------------ mod_jk2

  private chooseWorkers2File(): DiscoveredFile | undefined {
    const files = this.input.workers2Properties;
    if (files.length === 0) return undefined;
    const named = this.jk2ConfigFileNames[0];
    if (named !== undefined) {
      const hit = resolveNamedFile(named, files, this.baseDirs());
      if (hit) return hit;
    }
    if (files.length === 1) return files[0];
    return preferByName(files, ['workers2.properties']);
  }

  private readJk2(): void {
    const file = this.chooseWorkers2File();
    if (!file) return;
    const document = this.cache.jk2(file);
    if (document.kind !== 'jk2') return;
    const built = buildJk2(file.path, document);
    this.fe.jk2 = built.config;
    this.jk2Balancers.push(...built.balancers);
    this.fe.mounts.push(...built.mounts);
  }
}

// ---------------------------------------------------------------- httpd helpers

/** Path of the nearest enclosing `<Location>` / `<LocationMatch>`, if any. */
function enclosingLocation(d: HttpdDirective): string | undefined {
  for (let p = d.parent; p; p = p.parent) {
    if (p.key === 'location' || p.key === 'locationmatch') return p.args[0]?.value ?? '';
  }
  return undefined;
}

function trimBlank(text: string, start: number, end: number): [number, number] {
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start++;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end--;
  return [start, end];
}

/** mod_jk's mount prefixes (`uri_worker_map_add`): `-` disables, `!` excludes. */
export function mountPattern(raw: string): { path: string; exclude: boolean; disabled: boolean } {
  let p = raw.trim();
  let exclude = false;
  let disabled = false;
  for (let i = 0; i < 2; i++) {
    if (!disabled && p.startsWith('-')) {
      disabled = true;
      p = p.slice(1);
    } else if (!exclude && p.startsWith('!')) {
      exclude = true;
      p = p.slice(1);
    }
  }
  return { path: p, exclude, disabled };
}

/** The `<name>` part of `worker.<name>.<directive>` inside a key span. */
function workerNameSpanInKey(key: string, keySpan: Span): Span | undefined {
  const wk = splitWorkerKey(key);
  if (!wk) return undefined;
  return subSpan(keySpan, 'worker.'.length, wk.name.length);
}

// ---------------------------------------------------------------- mod_jk2

interface Jk2Bean {
  /** `type:name` */
  full: string;
  type: string;
  local: string;
  sections: Jk2Section[];
  entries: PropertyEntry[];
  headerSpan: Span;
  nameSpan: Span;
}

function jk2FullName(section: Jk2Section): string {
  // `[lb]` / `[lb:]`: jk2 makes it the default balancer (`lb` alias); we call it `lb:lb`.
  if (section.type === 'lb' && section.name === '') return JK2_DEFAULT_LB;
  return `${section.type}:${section.name}`;
}

/** `group=lb` / `group=lb:x` → full lb name (jk2 looks the bare name up as `lb:<name>`). */
function jk2LbName(value: string): string {
  const v = value.trim();
  if (v.includes(':')) return v;
  return `lb:${v}`;
}

/** The last entry named `key` (jk2 property names are case-sensitive). */
function lastEntry(entries: PropertyEntry[], ...keys: string[]): PropertyEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (keys.includes(e.key)) return e;
  }
  return undefined;
}

function buildJk2(
  file: string,
  document: Jk2Document,
): { config: Jk2Config; balancers: Balancer[]; mounts: Mount[] } {
  // Sections by full name, merged (the inline form gives one section per line).
  const beansByName = new Map<string, Jk2Bean>();
  const order: Jk2Bean[] = [];
  for (const s of document.sections) {
    const full = jk2FullName(s);
    let bean = beansByName.get(full);
    if (!bean) {
      const colon = full.indexOf(':');
      bean = {
        full,
        type: colon < 0 ? full : full.slice(0, colon),
        local: colon < 0 ? '' : full.slice(colon + 1),
        sections: [],
        entries: [],
        headerSpan: s.headerSpan,
        nameSpan: s.nameSpan,
      };
      beansByName.set(full, bean);
      order.push(bean);
    }
    bean.sections.push(s);
    bean.entries.push(...s.entries);
  }

  // Worker beans: explicit [ajp13:X] and the ajp13:X every channel creates.
  const workers: { bean: Jk2Bean | undefined; full: string; local: string; channel: Jk2Bean | undefined; channelName: string | undefined; span: Span; nameSpan: Span }[] = [];
  const beans = new Map<string, { span: Span; channel: string | undefined }>();
  for (const b of order) {
    if (b.type === 'ajp13') {
      const chEntry = lastEntry(b.entries, 'channel');
      let channelName = chEntry?.value.trim();
      let channel = channelName !== undefined ? beansByName.get(channelName) : undefined;
      if (channelName === undefined || channelName.length === 0) {
        channelName = undefined;
        for (const t of JK2_CHANNEL_TYPES) {
          const c = beansByName.get(`${t}:${b.local}`);
          if (c) {
            channel = c;
            channelName = c.full;
            break;
          }
        }
      }
      workers.push({ bean: b, full: b.full, local: b.local, channel, channelName, span: b.headerSpan, nameSpan: b.nameSpan });
      beans.set(b.full, { span: b.headerSpan, channel: channelName });
    } else if (JK2_CHANNEL_TYPES.includes(b.type)) {
      const full = `ajp13:${b.local}`;
      if (beansByName.has(full)) continue;
      if (beans.has(full)) continue;
      workers.push({ bean: undefined, full, local: b.local, channel: b, channelName: b.full, span: b.headerSpan, nameSpan: b.nameSpan });
      beans.set(full, { span: b.headerSpan, channel: b.full });
    }
  }

  // Load balancers: explicit sections first, then those group= creates.
  const lbs = new Map<string, { span: Span; explicit: boolean }>();
  for (const b of order) if (b.type === 'lb') lbs.set(b.full, { span: b.headerSpan, explicit: true });

  const joined = new Map<string, string[]>(); // lb → worker full names, join order
  const join = (lb: string, worker: string) => {
    const list = joined.get(lb);
    if (list) {
      if (!list.includes(worker)) list.push(worker);
    } else joined.set(lb, [worker]);
  };

  const members = new Map<string, BalancerMember>();
  for (const w of workers) {
    const own = w.bean?.entries ?? [];
    const ch = w.channel?.entries ?? [];
    members.set(w.full, jk2Member(w, own, ch));
    // group: on the worker, else passed down from its channel; none → the default lb.
    const ownGroups = own.filter((e) => e.key === 'group');
    const effective = ownGroups.length > 0 ? ownGroups : ch.filter((e) => e.key === 'group');
    if (effective.length === 0) {
      if (!lbs.has(JK2_DEFAULT_LB)) lbs.set(JK2_DEFAULT_LB, { span: w.span, explicit: false });
      join(JK2_DEFAULT_LB, w.full);
      continue;
    }
    for (const g of effective) {
      for (const item of splitList(g.value)) {
        const lb = jk2LbName(item.text);
        if (!lb.startsWith('lb:')) continue;
        if (!lbs.has(lb)) lbs.set(lb, { span: subSpan(g.valueSpan, item.offset, item.text.length), explicit: false });
        join(lb, w.full);
      }
    }
  }

  const balancers: Balancer[] = [];
  for (const [lbName, info] of lbs) {
    const section = beansByName.get(lbName);
    const entries = section?.entries ?? [];
    const names = [...(joined.get(lbName) ?? [])];
    for (const e of entries) {
      if (e.key !== 'worker') continue;
      for (const item of splitList(e.value)) {
        if (beans.has(item.text) && !names.includes(item.text)) names.push(item.text);
      }
    }
    const sticky = lastEntry(entries, 'stickySession');
    balancers.push({
      kind: 'jk2',
      name: lbName,
      span: info.span,
      sticky: { value: jkBool(sticky?.value, true), span: sticky?.valueSpan },
      sessionCookie: undefined,
      members: names.map((n) => members.get(n)).filter((m): m is BalancerMember => m !== undefined),
      secret: undefined,
    });
  }

  // [uri:PATH] → mounts to their group (old name: worker), default lb:lb.
  const mounts: Mount[] = [];
  for (const b of order) {
    if (b.type !== 'uri') continue;
    const g = lastEntry(b.entries, 'group', 'worker');
    const worker: Located<string> = g
      ? { value: jk2LbOrWorker(g.value), span: g.valueSpan }
      : { value: JK2_DEFAULT_LB, span: undefined };
    mounts.push({
      source: 'jk2-uri',
      path: b.local,
      worker,
      span: b.headerSpan,
      file,
      target: undefined,
    });
  }

  return { config: { file, document, beans, lbs }, balancers, mounts };
}

/** A uri's group as jk2 resolves it: a full bean name stays, a bare name is an lb. */
function jk2LbOrWorker(value: string): string {
  const v = value.trim();
  return v.includes(':') ? v : `lb:${v}`;
}

function jk2Member(
  w: { full: string; local: string; channel: Jk2Bean | undefined; channelName: string | undefined; span: Span; nameSpan: Span },
  own: PropertyEntry[],
  ch: PropertyEntry[],
): BalancerMember {
  // Host and port: the channel's host/port, else from the channel's name HOST:PORT
  // (jk2 reads the name up to its first ':'), else jk2's defaults localhost:8009.
  const hostEntry = lastEntry(ch, 'host');
  const portEntry = lastEntry(ch, 'port');
  let nameText: string;
  let nameSpan: Span;
  let nameExact: boolean;
  let channelType: string;
  if (w.channel) {
    nameText = w.channel.local;
    nameSpan = w.channel.nameSpan;
    nameExact = true;
    channelType = w.channel.type;
  } else if (w.channelName !== undefined) {
    // `channel=` names a channel that has no section: only its name tells.
    const colon = w.channelName.indexOf(':');
    nameText = colon < 0 ? '' : w.channelName.slice(colon + 1);
    nameSpan = w.span;
    nameExact = false;
    channelType = colon < 0 ? w.channelName : w.channelName.slice(0, colon);
  } else {
    // No channel at all (jk2 cannot connect); the worker's own name is the best guess.
    nameText = w.local;
    nameSpan = w.nameSpan;
    nameExact = true;
    channelType = 'channel.socket';
  }
  const isSocket = channelType === 'channel.socket';
  const colon = nameText.indexOf(':');
  const nameHost = colon < 0 ? nameText : nameText.slice(0, colon);
  const namePort = colon < 0 ? undefined : nameText.slice(colon + 1);
  const at = (offset: number, length: number) => (nameExact ? subSpan(nameSpan, offset, length) : nameSpan);

  let host: Located<string>;
  if (hostEntry) host = { value: hostEntry.value, span: hostEntry.valueSpan };
  else if (isSocket && nameHost.length > 0) host = { value: nameHost, span: at(0, nameHost.length) };
  else host = { value: JK_DEFAULT_HOST, span: undefined };

  let port: Located<number | undefined>;
  if (portEntry) port = { value: leadingInt(portEntry.value), span: portEntry.valueSpan };
  else if (isSocket && namePort !== undefined && namePort.length > 0) {
    port = { value: leadingInt(namePort), span: at(colon + 1, namePort.length) };
  } else if (isSocket) port = { value: JK_DEFAULT_PORT, span: undefined };
  else port = { value: undefined, span: undefined };

  // Route: route/tomcatId on the worker, else on its channel, else the worker's local name.
  const routeEntry = lastEntry(own, 'route', 'tomcatId') ?? lastEntry(ch, 'route', 'tomcatId');
  let route: Located<string>;
  let routeSource: BalancerMember['routeSource'];
  if (routeEntry) {
    route = { value: routeEntry.value, span: routeEntry.valueSpan };
    routeSource = routeEntry.key === 'tomcatId' ? 'tomcatId' : 'route';
  } else {
    route = { value: w.local, span: w.nameSpan };
    routeSource = 'host-port';
  }
  const secretEntry = lastEntry(own, 'secretkey', 'secret') ?? lastEntry(ch, 'secretkey', 'secret');
  return {
    name: w.full,
    kind: 'jk2',
    protocol: 'ajp',
    host,
    port,
    route,
    routeSource,
    secret: secretEntry ? { value: secretEntry.value, span: secretEntry.valueSpan } : undefined,
    defined: true,
    span: w.span,
    target: undefined,
    candidates: [],
  };
}
