import { subSpan } from '../model/frontend.js';
import type { JkConfig } from '../model/types.js';
import type { Report, Span } from '../types.js';
import type { Rule } from './api.js';
import {
  JK_MAX_NAME_LEN,
  JK_SHM_MAX_NAME_LEN,
  JK_WORKER_NAME,
  createdWorkers,
  listItems,
  where,
  workerEntries,
} from './jk-directives.js';

/**
 * Worker names in `worker.list`, `balance_workers`/`balanced_workers` and
 * `worker.<name>.*` keys with characters outside `[A-Za-z0-9_-]` or longer than 60.
 */
export const invalidWorkerName: Rule = {
  meta: {
    id: 'invalid-worker-name',
    severity: 'error',
    description: 'A mod_jk worker name with characters outside [A-Za-z0-9_-] (jk2-style ajp13:host:port, dots) or longer than 60 characters',
    catalogue: ['JK-03'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) if (fe.jk) checkJk(fe.jk, report);
  },
};

const MAX_RELATED = 10;

function checkJk(jk: JkConfig, report: Report): void {
  // Every place each name is written, in reading order.
  const places = new Map<string, Span[]>();
  const add = (name: string, span: Span) => {
    if (name.length === 0 || name.includes('$(')) return;
    const list = places.get(name);
    if (list) list.push(span);
    else places.set(name, [span]);
  };
  for (const { entry, name, directive } of workerEntries(jk)) {
    add(name, subSpan(entry.keySpan, 'worker.'.length, name.length));
    if (directive === 'balance_workers' || directive === 'balanced_workers') {
      for (const item of listItems(entry.value)) add(item.text, subSpan(entry.valueSpan, item.offset, item.text.length));
    }
  }
  for (const entry of jk.entries) {
    if (entry.key !== 'worker.list' || entry.value.length === 0) continue;
    for (const item of listItems(entry.value)) add(item.text, subSpan(entry.valueSpan, item.offset, item.text.length));
  }
  const created = createdWorkers(jk);

  for (const [name, spans] of places) {
    const badChars = [...new Set(name.replace(/[A-Za-z0-9_-]/g, ''))];
    const tooLong = name.length > JK_MAX_NAME_LEN;
    if (JK_WORKER_NAME.test(name) && !tooLong) continue;
    const first = spans[0]!;
    const others = spans.slice(1);
    const problems: string[] = [];
    if (badChars.length > 0) problems.push(`contains ${badChars.map((c) => `\`${c}\``).join(' ')}`);
    if (tooLong) problems.push(`is ${name.length} characters long`);
    const rule = `mod_jk worker names may contain only letters, digits, \`_\` and \`-\`, at most ${JK_MAX_NAME_LEN} characters`;
    let runtime: string;
    let severity: 'error' | 'warning' = 'warning';
    if (name.length > JK_SHM_MAX_NAME_LEN && created.has(name)) {
      severity = 'error';
      runtime = `mod_jk cannot store it in its shared memory ("Worker name '${name}' is ${name.length - JK_SHM_MAX_NAME_LEN} bytes too long"), fails to create the worker and refuses to start`;
    } else if (tooLong && badChars.length === 0) {
      runtime = `mod_jk ${name.length > JK_SHM_MAX_NAME_LEN ? 'refuses to start once it creates this worker' : 'accepts up to 63 bytes, but its status worker cannot edit longer names'}`;
    } else if (/^(ajp13|ajp14|lb|status|channel\.[a-z]+):/.test(name)) {
      runtime = `it looks like a mod_jk2 bean name; mod_jk does not check the characters itself, so nothing fails at start-up, but the name is outside what mod_jk documents and also serves as the member's default route`;
    } else if (badChars.includes('.') && !jk.workers.get(name)?.properties.has('route') && !jk.workers.get(name)?.properties.has('jvm_route')) {
      runtime = `mod_jk does not check the characters itself, but it reads the part of a member's route (by default its name) before the first \`.\` as the member's \`domain\` (used to pick failover members)`;
    } else {
      runtime = `mod_jk does not check the characters itself, so nothing fails at start-up, but the name is outside what mod_jk documents`;
    }
    const suggestion = name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, JK_MAX_NAME_LEN);
    const more = others.length > 0 ? ` It is written ${others.length + 1} times; rename it everywhere.` : '';
    report({
      span: first,
      severity,
      message:
        `Worker name \`${name}\` ${problems.join(' and ')}: ${rule} (workers.xml); ${runtime}. ` +
        `Rename it, e.g. to \`${suggestion}\` or to the jvmRoute of the Tomcat behind it.${more}`,
      related: others.slice(0, MAX_RELATED).map((span) => ({ span, message: `\`${name}\` at ${where(span)}` })),
    });
  }
}
