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
  workerEntries,
} from './shared/jk-directives.js';
import { pushTo } from './shared/collections.js';
import { fileLine } from './shared/text.js';

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
    pushTo(places, name, span);
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
    const rule = `workers.xml allows letters, digits, \`_\` and \`-\`, at most ${JK_MAX_NAME_LEN} characters`;
    let runtime: string;
    let severity: 'error' | 'warning' = 'warning';
    if (name.length > JK_SHM_MAX_NAME_LEN && created.has(name)) {
      severity = 'error';
      runtime = `mod_jk cannot store it in shared memory ("… is ${name.length - JK_SHM_MAX_NAME_LEN} bytes too long"), fails to create the worker and refuses to start`;
    } else if (tooLong && badChars.length === 0) {
      runtime = `mod_jk ${name.length > JK_SHM_MAX_NAME_LEN ? 'refuses to start once it creates this worker' : 'accepts up to 63 bytes, but its status worker cannot edit longer names'}`;
    } else if (/^(ajp13|ajp14|lb|status|channel\.[a-z]+):/.test(name)) {
      runtime = 'it looks like a mod_jk2 bean name: mod_jk starts, but the name is undocumented and is also the member\'s default route';
    } else if (badChars.includes('.') && !jk.workers.get(name)?.properties.has('route') && !jk.workers.get(name)?.properties.has('jvm_route')) {
      runtime = 'mod_jk starts, but reads the part of the member\'s route (by default its name) before the first `.` as its `domain` (used to pick failover members)';
    } else {
      runtime = 'mod_jk does not check the characters and starts, but the name is outside what it documents';
    }
    const suggestion = name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, JK_MAX_NAME_LEN);
    const everywhere = others.length > 0 ? ` in all ${others.length + 1} places` : '';
    report({
      span: first,
      severity,
      message: `Worker name \`${name}\` ${problems.join(' and ')} (${rule}): ${runtime}. Rename it${everywhere}, e.g. to \`${suggestion}\` or the jvmRoute of the Tomcat behind it.`,
      related: others.slice(0, MAX_RELATED).map((span) => ({ span, message: `\`${name}\` at ${fileLine(span)}` })),
    });
  }
}
