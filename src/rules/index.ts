import type { Rule } from './api.js';
import { parseError } from './parse-error.js';

/** Every rule, in the order of the design's table. One explicit list: no folder scanning. */
export const rules: Rule[] = [parseError];

export function findRule(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
