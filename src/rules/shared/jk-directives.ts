/**
 * mod_jk and mod_jk2 vocabulary, shared by the directive rules (`unknown-directive`,
 * `deprecated-directive`, `invalid-worker-name`, `lb-without-members`, ...).
 *
 * Source: apache/tomcat-connectors `native/common/jk_util.c` — the tables
 * `supported_properties`, `deprecated_properties`, `list_properties` and
 * `unique_properties` and `jk_is_valid_property` — at tag JK_1_2_50 (mod_jk 1.2.50;
 * identical in 1.2.48 and on main at fdb5700f, 2026-07), checked against
 * `xdocs/reference/workers.xml` of the same tree. Worker types: `jk_worker_list.h`.
 * Name limits: `jk_global.h` (JK_MAX_NAME_LEN) and `jk_shm.h` (JK_SHM_STR_SIZ).
 * mod_jk2 section types: the factories registered in `jk/native2/common/jk_registry.c`
 * and `jk/native2/server/*` at e6bffe479^ (the last tree with jk2, 2005).
 *
 * Data and small pure helpers only: no rule logic here.
 */
import type { PropertyEntry } from '../../parsers/syntax.js';
import type { Span } from '../../types.js';
import type { JkConfig } from '../../model/types.js';
import { subSpan } from '../../model/frontend.js';

/**
 * Every directive `jk_is_valid_property` accepts as the last component of a
 * `worker.`-key (`supported_properties`, in source order). `list` and `maintain` are
 * there for the global `worker.list` / `worker.maintain`.
 */
export const JK_SUPPORTED_DIRECTIVES: readonly string[] = [
  'sysprops', 'stderr', 'stdout', 'secret', 'mx', 'ms', 'class_path', 'bridge', 'jvm_lib',
  'ld_path', 'cmd_line', 'native_lib', 'reference', 'host', 'source', 'port', 'type',
  'cachesize', 'connection_pool_size', 'connection_pool_minsize', 'cache_timeout',
  'connection_pool_timeout', 'connection_acquire_timeout', 'recovery_options', 'connect_timeout',
  'prepost_timeout', 'ping_timeout', 'ping_mode', 'reply_timeout', 'socket_timeout',
  'socket_connect_timeout', 'socket_buffer', 'socket_keepalive', 'connection_ping_interval',
  'recycle_timeout', 'lbfactor', 'distance', 'balanced_workers', 'balance_workers',
  'sticky_session', 'sticky_session_force', 'session_cookie', 'session_path',
  'set_session_cookie', 'session_cookie_path', 'local_worker', 'local_worker_only', 'jvm_route',
  'route', 'domain', 'redirect', 'mount', 'method', 'lock', 'disabled', 'stopped', 'activation',
  'recover_time', 'error_escalation_time', 'max_reply_timeouts', 'retry_interval', 'busy_limit',
  'max_packet_size', 'css', 'ns', 'xmlns', 'doctype', 'prefix', 'read_only', 'user',
  'user_case_insensitive', 'good', 'bad', 'secretkey', 'retries', 'lb_retries', 'fail_on_status',
  'list', 'maintain', 'prefer_ipv6',
];

const SUPPORTED = new Set(JK_SUPPORTED_DIRECTIVES);

/** Repeats are appended (`list_properties`): joined with `,`. */
export const JK_LIST_DIRECTIVES: readonly string[] = [
  'balance_workers', 'mount', 'user', 'good', 'bad', 'fail_on_status', 'list',
];

/**
 * Repeats overwrite with a warning (`unique_properties`). A directive in neither list
 * (`balanced_workers`, `distance`, `css`, the JNI names) is joined with `*` on repeat.
 */
export const JK_UNIQUE_DIRECTIVES: readonly string[] = [
  'secret', 'reference', 'host', 'source', 'port', 'type', 'cachesize', 'connection_pool_size',
  'connection_pool_minsize', 'cache_timeout', 'connection_pool_timeout',
  'connection_acquire_timeout', 'recovery_options', 'connect_timeout', 'prepost_timeout',
  'ping_timeout', 'ping_mode', 'reply_timeout', 'socket_timeout', 'socket_connect_timeout',
  'socket_buffer', 'socket_keepalive', 'connection_ping_interval', 'recycle_timeout', 'lbfactor',
  'sticky_session', 'sticky_session_force', 'session_cookie', 'session_path',
  'set_session_cookie', 'session_cookie_path', 'local_worker', 'local_worker_only', 'jvm_route',
  'route', 'domain', 'redirect', 'method', 'lock', 'disabled', 'stopped', 'activation',
  'recover_time', 'error_escalation_time', 'max_reply_timeouts', 'retry_interval', 'busy_limit',
  'max_packet_size', 'css', 'read_only', 'retries', 'lb_retries', 'worker.maintain', 'ns',
  'xmlns', 'doctype', 'prefix', 'user_case_insensitive', 'prefer_ipv6',
];

export interface JkDeprecation {
  /** The directive to use instead; undefined when there is none. */
  successor: string | undefined;
  /** The mod_jk version that deprecated or removed it. */
  since: string;
  /** What mod_jk 1.2.50 does with the old directive: a predicate for "`<directive>` …" in messages. */
  effect: string;
}

/**
 * `deprecated_properties`: mod_jk logs "The attribute '…' is deprecated - please check
 * the documentation for the correct replacement." and goes on. Successors and effects
 * from workers.xml ("Deprecated Worker Directives"), the changelog and the getters in
 * jk_util.c.
 */
export const JK_DEPRECATED: ReadonlyMap<string, JkDeprecation> = new Map<string, JkDeprecation>([
  ['balanced_workers', { successor: 'balance_workers', since: '1.2.7', effect: 'is still read, but only when `balance_workers` is absent' }],
  ['cachesize', { successor: 'connection_pool_size', since: '1.2.16', effect: 'is still read, but only when `connection_pool_size` is absent' }],
  ['cache_timeout', { successor: 'connection_pool_timeout', since: '1.2.16', effect: 'is still read, but only when `connection_pool_timeout` is absent' }],
  ['recycle_timeout', { successor: 'connection_pool_timeout', since: '1.2.16', effect: 'has had no effect since mod_jk 1.2.16, which stopped reading it' }],
  ['jvm_route', { successor: 'route', since: '1.2.20', effect: 'is still read, but only when `route` is absent' }],
  ['disabled', { successor: 'activation', since: '1.2.19', effect: 'is still read, but only when `activation` is absent' }],
  ['stopped', { successor: 'activation', since: '1.2.19', effect: 'is still read, but only when `activation` is absent' }],
  ['local_worker', { successor: undefined, since: '1.2.9', effect: 'has had no effect since mod_jk 1.2.9, which stopped reading it' }],
  ['local_worker_only', { successor: undefined, since: '1.2.9', effect: 'has had no effect since mod_jk 1.2.9, which stopped reading it' }],
  // The JNI worker was deprecated in 1.2.28 and removed in 1.2.33.
  ...['sysprops', 'stdout', 'stderr', 'mx', 'ms', 'class_path', 'bridge', 'jvm_lib', 'ld_path', 'cmd_line', 'native_lib'].map(
    (d): [string, JkDeprecation] => [d, { successor: undefined, since: '1.2.33', effect: 'belonged to the JNI worker, removed in mod_jk 1.2.33, and has no effect' }],
  ),
]);

/** Worker types mod_jk can create (`worker_factories` in jk_worker_list.h; compared case-sensitively), most used first. */
export const JK_WORKER_TYPES: readonly string[] = ['ajp13', 'lb', 'status', 'ajp14', 'ajp12'];

/** Documented maximum length of a worker name (`JK_MAX_NAME_LEN`). */
export const JK_MAX_NAME_LEN = 60;
/** Longest name the shared memory accepts (`JK_SHM_STR_SIZ` - 1 = align(60 + 1, 8) - 1). */
export const JK_SHM_MAX_NAME_LEN = 63;
/** Characters workers.xml allows in a worker name. */
export const JK_WORKER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * mod_jk2 section types: every bean factory jk2 registers (`jk_registry.c`, the
 * servers' loggers) and the `logger` alias every server defines.
 */
export const JK2_SECTION_TYPES: readonly string[] = [
  'logger', 'logger.file', 'logger.win32', 'logger.apache2', 'logger.printf', 'logger.domino',
  'logger.ns', 'workerEnv', 'uriMap', 'uriEnv', 'endpoint', 'uri', 'config', 'ajp13', 'lb',
  'status', 'run', 'channel.un', 'channel.socket', 'channel.jni', 'shm', 'handler.response',
  'handler.logon', 'threadMutex', 'procMutex', 'worker.jni', 'vm', 'signal', 'user',
];

// ---------------------------------------------------------------- helpers

/** `jk_is_valid_property`: keys not starting with `worker.` are variables; others must end in `.<supported>`. */
export function isValidJkKey(key: string): boolean {
  if (!key.startsWith('worker.')) return true;
  const dot = key.lastIndexOf('.');
  return SUPPORTED.has(key.slice(dot + 1));
}

/** The last dot-separated component of a key (the directive mod_jk checks). */
export function lastComponent(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

/** The span of the last component of an entry's key (where a directive finding goes). */
export function directiveSpan(entry: PropertyEntry): Span {
  const d = lastComponent(entry.key);
  return subSpan(entry.keySpan, entry.key.length - d.length, d.length);
}

/** True when the entry's offsets cover its key exactly (a multi-line `JkWorkerProperty` does not). */
export function hasExactKeyOffsets(entry: PropertyEntry, text: string | undefined): boolean {
  return (
    text !== undefined &&
    entry.keyEnd - entry.keyStart === entry.key.length &&
    text.slice(entry.keyStart, entry.keyEnd) === entry.key
  );
}

/** True when the entry's offsets cover its value exactly. */
export function hasExactValueOffsets(entry: PropertyEntry, text: string | undefined): boolean {
  return (
    text !== undefined &&
    entry.valueEnd - entry.valueStart === entry.value.length &&
    text.slice(entry.valueStart, entry.valueEnd) === entry.value
  );
}

/**
 * `worker.<name>.<directive>` entries as mod_jk reads them (empty keys and values are
 * skipped, as jk_map_read_property does), with the worker name taken up to the last dot.
 */
export function workerEntries(jk: JkConfig): { entry: PropertyEntry; name: string; directive: string }[] {
  const out: { entry: PropertyEntry; name: string; directive: string }[] = [];
  for (const entry of jk.entries) {
    if (entry.key.length === 0 || entry.value.length === 0) continue;
    if (!entry.key.startsWith('worker.')) continue;
    const rest = entry.key.slice('worker.'.length);
    const dot = rest.lastIndexOf('.');
    if (dot < 0) continue;
    out.push({ entry, name: rest.slice(0, dot), directive: rest.slice(dot + 1) });
  }
  return out;
}

/** Items of a mod_jk list value (separators space, tab, comma) with their offsets. */
export function listItems(value: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  for (const m of value.matchAll(/[^ \t,]+/g)) out.push({ text: m[0], offset: m.index ?? 0 });
  return out;
}

/**
 * Names of the workers mod_jk creates at start-up: every name in `worker.list` (default
 * `ajp13`) and, recursively, the members of every lb created. Only these can make
 * mod_jk refuse to start.
 */
export function createdWorkers(jk: JkConfig): Set<string> {
  const created = new Set<string>();
  const queue = jk.list.map((l) => l.value);
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (created.has(name)) continue;
    created.add(name);
    const def = jk.workers.get(name);
    if (def?.type !== 'lb') continue;
    const members = def.properties.get('balance_workers') ?? def.properties.get('balanced_workers');
    if (members) for (const item of listItems(members.value)) queue.push(item.text);
  }
  return created;
}

/**
 * mod_jk's `jk_get_bool_code` exactly: `off`, `f…`, `n…`, `0` are false; `on`, `t…`,
 * `y…`, `1` true (case-insensitive); anything else, or no value, gives `def`.
 */
export function jkBoolCode(value: string | undefined, def: boolean): boolean {
  if (value === undefined) return def;
  const v = value;
  const c = v.charAt(0).toLowerCase();
  if (v.toLowerCase() === 'off' || c === 'f' || c === 'n' || v === '0') return false;
  if (v.toLowerCase() === 'on' || c === 't' || c === 'y' || v === '1') return true;
  return def;
}
