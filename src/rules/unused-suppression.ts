import type { RuleMeta } from './api.js';

/**
 * Findings of this rule come from the settle step, which alone knows which suppression
 * comments were used; its metadata sits in the registry like every other rule's so that
 * `--list-rules`, `--explain`, `--rule`, SARIF and the README know it.
 */
export const unusedSuppression: RuleMeta = {
  id: 'unused-suppression',
  severity: 'warning',
  description: 'A cluster-lint-disable comment that suppresses nothing',
};
