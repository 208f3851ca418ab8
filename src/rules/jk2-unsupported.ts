import type { FrontEnd } from '../model/types.js';
import type { RelatedLocation, Span } from '../types.js';
import type { Rule } from './api.js';

/**
 * mod_jk2 in use: `LoadModule jk2_module`, a workers2.properties, or `JkSet`/`JkUriSet`.
 * JK2 was declared unsupported on 2004-11-15; its last release is 2.0.4.
 */
export const jk2Unsupported: Rule = {
  meta: {
    id: 'jk2-unsupported',
    severity: 'warning',
    description: 'mod_jk2 in use: unsupported since November 2004 (last release 2.0.4); migrate to mod_jk 1.2 or mod_proxy_ajp',
    catalogue: ['JK2-06'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) {
      const where = evidence(fe);
      if (!where) continue;
      report({
        span: where.span,
        message:
          `mod_jk2 is in use (${where.what}), but JK2 has been unsupported since November 2004 (last release 2.0.4) and gets no fixes, security fixes included. ` +
          'Migrate to mod_jk 1.2 or mod_proxy_ajp (the rule\'s page maps each jk2 section to mod_jk).',
        related: where.related,
      });
    }
  },
};

function evidence(fe: FrontEnd): { span: Span; what: string; related: RelatedLocation[] } | undefined {
  const loadModule = fe.directives.find((d) => d.key === 'loadmodule' && d.args[0]?.value.toLowerCase() === 'jk2_module');
  const jk2 = fe.jk2;
  const firstSection = jk2?.document.sections[0];
  const jk2Start: Span | undefined = firstSection?.headerSpan ?? jk2?.document.globals[0]?.span;
  const jkSet = fe.directives.find((d) => d.key === 'jkset' || d.key === 'jkuriset');
  const related: RelatedLocation[] = [];
  if (loadModule) {
    if (jk2Start) related.push({ span: jk2Start, message: 'the mod_jk2 workers file' });
    return { span: loadModule.span, what: '`LoadModule jk2_module`', related };
  }
  if (jk2Start) {
    if (jkSet) related.push({ span: jkSet.span, message: `\`${jkSet.name}\`` });
    return { span: jk2Start, what: 'a workers2.properties file', related };
  }
  if (jkSet) return { span: jkSet.span, what: `\`${jkSet.name}\``, related };
  return undefined;
}
