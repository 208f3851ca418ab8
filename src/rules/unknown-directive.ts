import { closest, distance } from 'fastest-levenshtein';
import type { ClusterModel, FrontEnd, JkConfig } from '../model/types.js';
import type { PropertyEntry } from '../parsers/syntax.js';
import type { Report, Span } from '../types.js';
import type { Rule } from './api.js';
import {
  JK2_SECTION_TYPES,
  JK_DEPRECATED,
  JK_SUPPORTED_DIRECTIVES,
  JK_WORKER_TYPES,
  createdWorkers,
  directiveSpan,
  isValidJkKey,
  lastComponent,
} from './shared/jk-directives.js';
import { spanKey } from './shared/text.js';

/**
 * A `worker.*` key mod_jk rejects (`jk_is_valid_property`: the last component must be a
 * supported directive), an unknown worker `type`, and an unknown mod_jk2 section type.
 */
export const unknownDirective: Rule = {
  meta: {
    id: 'unknown-directive',
    severity: 'error',
    description:
      'A worker.* property mod_jk rejects (with "did you mean"), an unknown worker type, or an unknown mod_jk2 section type',
    catalogue: ['JK-01', 'JK2-05'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) {
      if (fe.jk) {
        checkKeys(model, fe.jk, report);
        checkTypes(fe.jk, report);
      }
      if (fe.jk2) checkJk2Sections(fe, report);
    }
  },
};

// ---------------------------------------------------------------- suggestions

/** Directives worth suggesting for `worker.<name>.<x>`: supported, not deprecated, not global. */
const WORKER_CANDIDATES = JK_SUPPORTED_DIRECTIVES.filter((d) => !JK_DEPRECATED.has(d) && d !== 'list' && d !== 'maintain');

/** Names from other products people write in workers.properties, and what mod_jk calls them. */
const ALIASES: Record<string, string> = {
  jvmroute: 'route',
  tomcatid: 'route',
  lb_factor: 'lbfactor',
  loadfactor: 'lbfactor',
  load_factor: 'lbfactor',
  stickysession: 'sticky_session',
  sticky: 'sticky_session',
  retry: 'retries',
  sticky_sessions: 'sticky_session',
  balancer_workers: 'balance_workers',
  balanced_worker: 'balance_workers',
  balance_worker: 'balance_workers',
  balancedworkers: 'balance_workers',
  lb_method: 'method',
  secret_key: 'secret',
  requiredsecret: 'secret',
  hostname: 'host',
  address: 'host',
};

/** The directive the user probably meant, or undefined when nothing is close enough. */
export function suggestDirective(written: string, candidates: readonly string[] = WORKER_CANDIDATES): string | undefined {
  const lower = written.toLowerCase();
  const alias = ALIASES[lower];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  const deprecated = JK_DEPRECATED.get(lower);
  if (deprecated?.successor !== undefined && candidates.includes(deprecated.successor)) return deprecated.successor;
  const exact = candidates.find((c) => c.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  if (candidates.length === 0 || lower.length === 0) return undefined;
  const best = closest(lower, candidates);
  const d = distance(lower, best);
  const limit = lower.length <= 3 ? 1 : lower.length <= 8 ? 2 : 3;
  return d <= limit ? best : undefined;
}

// ---------------------------------------------------------------- worker.* keys

function fromHttpd(model: ClusterModel, jk: JkConfig, entry: PropertyEntry): boolean {
  const file = entry.keySpan.file;
  const kind = model.files.find((f) => f.path === file)?.kind;
  return kind === 'httpd.conf' || (kind === undefined && file !== jk.file);
}

function checkKeys(model: ClusterModel, jk: JkConfig, report: Report): void {
  for (const entry of jk.entries) {
    // jk_map_read_property validates only lines with a non-empty key and value.
    if (entry.key.length === 0 || entry.value.length === 0) continue;
    if (isValidJkKey(entry.key)) continue;
    const directive = lastComponent(entry.key);
    const twoPart = entry.key.indexOf('.') === entry.key.lastIndexOf('.');
    const httpd = fromHttpd(model, jk, entry);
    const runtime = httpd
      ? `httpd refuses the line at start-up ("Invalid JkWorkerProperty ${entry.key}=…")`
      : `mod_jk refuses to start ("The attribute '${entry.key}' is not supported") and httpd exits, though \`apachectl -t\` says "Syntax OK"`;
    let message: string;
    if (twoPart) {
      const suggestion = suggestDirective(directive, ['list', 'maintain']);
      message =
        `\`${entry.key}\` is not a mod_jk key (worker keys are \`worker.<name>.<directive>\`; the global ones \`worker.list\` and \`worker.maintain\`): ${runtime}. ` +
        (suggestion ? `Did you mean \`worker.${suggestion}\`?` : `Write \`worker.${directive}.<directive>=…\`.`);
    } else {
      const suggestion = suggestDirective(directive);
      const caseOnly = suggestion !== undefined && suggestion.toLowerCase() === directive.toLowerCase();
      message =
        `\`${directive}\` is not a mod_jk worker directive${caseOnly ? ' (directive names are case-sensitive)' : ''}: ${runtime}. ` +
        (suggestion ? `Did you mean \`${suggestion}\`?` : 'Remove it, or use a directive from the workers.properties reference.');
    }
    report({ span: directiveSpan(entry), message });
  }
}

// ---------------------------------------------------------------- worker types

function checkTypes(jk: JkConfig, report: Report): void {
  const created = createdWorkers(jk);
  // A type written once in a `reference` template is reported once, for all its users.
  const byPlace = new Map<string, { type: string; span: Span; users: string[] }>();
  for (const def of jk.workers.values()) {
    const prop = def.properties.get('type');
    if (!prop) continue;
    const type = prop.value;
    if (JK_WORKER_TYPES.includes(type) || type.includes('$(')) continue;
    const at = prop.valueSpan;
    const key = spanKey(at);
    const place = byPlace.get(key);
    if (place) place.users.push(def.name);
    else byPlace.set(key, { type, span: at, users: [def.name] });
  }
  const known = 'mod_jk knows `ajp13`, `ajp14`, `ajp12`, `lb` and `status`';
  for (const { type, span, users } of byPlace.values()) {
    const caseMatch = JK_WORKER_TYPES.find((t) => t.toLowerCase() === type.toLowerCase());
    let hint: string;
    if (caseMatch) hint = `Worker types are case-sensitive: write \`${caseMatch}\`.`;
    else if (type.toLowerCase() === 'jni') hint = 'The JNI worker was removed in mod_jk 1.2.33: use an `ajp13` worker.';
    else {
      const s = closest(type.toLowerCase(), JK_WORKER_TYPES);
      hint = distance(type.toLowerCase(), s) <= 2 ? `Did you mean \`${s}\`?` : 'Use `ajp13` (a Tomcat backend), `lb` or `status`.';
    }
    const used = users.find((u) => created.has(u));
    if (used !== undefined) {
      report({
        span,
        message:
          `Unknown worker type \`${type}\` (${known}): mod_jk logs "Unknown worker type ${type} for worker ${used}", cannot create \`${used}\` and refuses to start, so httpd exits. ${hint}`,
      });
    } else {
      const names = users.map((w) => `\`${w}\``).join(', ');
      report({
        span,
        severity: 'warning',
        message:
          `Unknown worker type \`${type}\` (${known}): mod_jk does not create ${names} today (named in neither \`worker.list\` nor a \`balance_workers\`), but refuses to start as soon as it does. ${hint}`,
      });
    }
  }
}

// ---------------------------------------------------------------- mod_jk2 sections

function checkJk2Sections(fe: FrontEnd, report: Report): void {
  const jk2 = fe.jk2;
  if (!jk2) return;
  const seen = new Set<string>();
  for (const section of jk2.document.sections) {
    const type = section.type;
    // No type at all is a parse error; `disabled` is jk2's switch that creates nothing on purpose.
    if (type.length === 0 || type === 'disabled' || JK2_SECTION_TYPES.includes(type)) continue;
    const span: Span = section.typeSpan;
    const key = spanKey(span);
    if (seen.has(key)) continue;
    seen.add(key);
    const lower = type.toLowerCase();
    const caseMatch = JK2_SECTION_TYPES.find((t) => t.toLowerCase() === lower);
    let hint: string;
    if (caseMatch) hint = `Section types are case-sensitive: write \`${caseMatch}\`.`;
    else {
      const s = closest(type, JK2_SECTION_TYPES);
      hint = distance(lower, s.toLowerCase()) <= 2 ? `Did you mean \`${s}\`?` : 'Use one of the types of the workers2.properties reference.';
    }
    report({
      span,
      severity: 'warning',
      message:
        `Unknown mod_jk2 section type \`${type}\` in \`[${type}${section.name ? `:${section.name}` : ''}]\`: jk2 has no such component, logs "config.update(): Can't create ${type}:${section.name}" and ignores the whole section with its settings. ${hint}`,
    });
  }
}
