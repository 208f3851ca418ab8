import type { Rule } from './api.js';

export const parseError: Rule = {
  meta: {
    id: 'parse-error',
    severity: 'error',
    description: 'A file that cannot be read or parsed, at the line where it breaks',
  },
  check(model, report) {
    for (const problem of model.parseProblems) report({ span: problem.span, message: problem.message });
  },
};
