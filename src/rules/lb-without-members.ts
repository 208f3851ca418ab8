import type { JkConfig } from '../model/types.js';
import type { Report } from '../types.js';
import type { Rule } from './api.js';
import { createdWorkers, isValidJkKey, listItems, workerEntries } from './shared/jk-directives.js';

/**
 * A mod_jk `type=lb` worker that mod_jk creates but that names no member: lb `validate`
 * finds no `balance_workers` (nor the old `balanced_workers`) and fails, so mod_jk
 * refuses to start ("validate failed for X", "failed to create worker X").
 */
export const lbWithoutMembers: Rule = {
  meta: {
    id: 'lb-without-members',
    severity: 'error',
    description: 'A mod_jk load balancer (type=lb) in use without balance_workers: mod_jk cannot create it and does not start',
    catalogue: ['JK-06'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) if (fe.jk) checkJk(fe.jk, report);
  },
};

function checkJk(jk: JkConfig, report: Report): void {
  const created = createdWorkers(jk);
  // Workers with a key mod_jk rejects: mod_jk stops before it creates anything, and a
  // misspelt `balance_workers` is `unknown-directive`'s to report.
  const rejected = new Set<string>();
  for (const { entry, name } of workerEntries(jk)) if (!isValidJkKey(entry.key)) rejected.add(name);

  for (const def of jk.workers.values()) {
    if (def.type !== 'lb' || !created.has(def.name) || rejected.has(def.name)) continue;
    const list = def.properties.get('balance_workers') ?? def.properties.get('balanced_workers');
    if (list && listItems(list.value).length > 0) continue;
    const typeProp = def.properties.get('type');
    const span = typeProp && !typeProp.inherited ? typeProp.keySpan : def.span;
    const why = list ? `its \`${list.directive}\` names no worker` : 'it has no `balance_workers`';
    report({
      span,
      message:
        `Load balancer \`${def.name}\` has no members (${why}): mod_jk logs "validate failed for ${def.name}" and "failed to create worker ${def.name}" and refuses to start, so httpd exits. ` +
        `Add \`worker.${def.name}.balance_workers=<worker>,<worker>\` naming its ajp13 workers.`,
    });
  }
}
