import type { FrontEnd, Mount } from '../model/types.js';
import type { HttpdDirective } from '../parsers/syntax.js';
import type { Report } from '../types.js';
import type { Rule } from './api.js';
import { expandPattern, virtualHost } from './shared/mounts.js';
import { fileLine, spanKey } from './shared/text.js';

/**
 * The same mod_jk URI pattern mapped to different workers in one defining source:
 * uriworkermap.properties ("There is no defined behaviour … using literally the same URI
 * pattern in the same defining source but with different worker targets"), the
 * `JkMount`s of one server or virtual host, or the `worker.X.mount` keys.
 */
export const duplicateMount: Rule = {
  meta: {
    id: 'duplicate-mount',
    severity: 'warning',
    description: 'The same mod_jk URI pattern mapped to different workers in one source (uriworkermap, JkMounts of one host): no defined behaviour',
    catalogue: ['JK-15'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) check(fe, report);
  },
};

function label(m: Mount): string {
  if (m.source === 'JkMount') return '`JkMount`';
  if (m.source === 'worker-mount') return `\`worker.${m.worker.value}.mount\``;
  return 'uriworkermap';
}

function check(fe: FrontEnd, report: Report): void {
  const byDirective = new Map<string, HttpdDirective>();
  for (const d of fe.directives) if (d.key === 'jkmount') byDirective.set(spanKey(d.span), d);

  // scope → pattern → first mount of each worker
  const seen = new Map<string, Map<string, Map<string, Mount>>>();
  for (const m of fe.mounts) {
    if (m.exclude || m.disabled) continue;
    let scope: string;
    if (m.source === 'JkMount') {
      const vhost = virtualHost(byDirective.get(spanKey(m.span)));
      scope = vhost ? `jkmount ${spanKey(vhost.span)}` : 'jkmount global';
    } else if (m.source === 'uriworkermap') scope = `uriworkermap ${m.file}`;
    else if (m.source === 'worker-mount') scope = 'worker-mount';
    else continue;
    const worker = m.worker.value;
    if (worker.length === 0) continue;
    let patterns = seen.get(scope);
    if (!patterns) seen.set(scope, (patterns = new Map()));
    let reported = false;
    for (const pattern of expandPattern(m.path)) {
      let workers = patterns.get(pattern);
      if (!workers) patterns.set(pattern, (workers = new Map()));
      if (workers.has(worker)) continue;
      const other = [...workers.values()][0];
      workers.set(worker, m);
      if (!other || reported) continue;
      reported = true;
      report({
        span: m.span,
        message:
          `${label(m)} maps \`${pattern}\` to \`${worker}\`, but ${label(other)} (${fileLine(other.span)}) already maps the same pattern to \`${other.worker.value}\`: ` +
          'mod_jk sorts equal patterns of one source in no defined order, so either worker may get these requests. Keep one mapping.',
        related: [{ span: other.span, message: `\`${pattern}\` → \`${other.worker.value}\`` }],
      });
    }
  }
}
