import type { ClusterModel, JkConfig } from '../model/types.js';
import type { PropertyEntry } from '../parsers/syntax.js';
import type { Fix, Report } from '../types.js';
import type { Rule } from './api.js';
import {
  JK_DEPRECATED,
  type JkDeprecation,
  directiveSpan,
  hasExactKeyOffsets,
  hasExactValueOffsets,
  jkBoolCode,
  workerEntries,
} from './shared/jk-directives.js';
import { fileLine } from './shared/text.js';

/**
 * A deprecated mod_jk worker directive (`deprecated_properties` in jk_util.c). Offers a
 * rename to the successor when that keeps the behaviour; says when the old directive is
 * ignored (its successor is set too) or has no effect at all.
 */
export const deprecatedDirective: Rule = {
  meta: {
    id: 'deprecated-directive',
    severity: 'warning',
    description: 'A deprecated mod_jk directive: renamed, ignored because its successor is set, or without any effect',
    catalogue: ['JK-02'],
    fixable: true,
  },
  check(model, report) {
    for (const fe of model.frontEnds) if (fe.jk) checkJk(model, fe.jk, report);
  },
};

/** Deprecated directives whose successor takes the value unchanged: renaming keeps the behaviour. */
const RENAME_SAFE = new Set(['balanced_workers', 'cachesize', 'cache_timeout', 'jvm_route']);

function checkJk(model: ClusterModel, jk: JkConfig, report: Report): void {
  const entries = workerEntries(jk);
  // How many lines set each worker's deprecated directive (repeated `balanced_workers` lines are joined with `*`).
  const count = new Map<string, number>();
  for (const e of entries) {
    if (!JK_DEPRECATED.has(e.directive)) continue;
    const k = `${e.name}\u0000${e.directive}`;
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  for (const { entry, name, directive } of entries) {
    const dep = JK_DEPRECATED.get(directive);
    if (!dep) continue;
    const props = jk.workers.get(name)?.properties;
    const successorProp = dep.successor !== undefined ? props?.get(dep.successor) : undefined;
    const base = `\`${directive}\` is deprecated since mod_jk ${dep.since} (mod_jk logs "The attribute '${entry.key}' is deprecated" at start-up)`;
    const logged = `mod_jk only logs "The attribute '${entry.key}' is deprecated" at start-up`;
    if (dep.successor === undefined) {
      report({ span: directiveSpan(entry), message: `\`${directive}\` ${dep.effect}; ${logged}. Remove the line.` });
      continue;
    }
    if (directive === 'recycle_timeout') {
      report({
        span: directiveSpan(entry),
        message:
          `\`recycle_timeout\` ${dep.effect}, so it closes no idle connection; ${logged}. ` +
          (successorProp
            ? `Remove the line: \`connection_pool_timeout\` (${fileLine(successorProp.keySpan)}) is what applies.`
            : `Use \`connection_pool_timeout\` (seconds; match the connector's \`connectionTimeout\`, in milliseconds).`),
        ...(successorProp ? { related: [{ span: successorProp.keySpan, message: `\`connection_pool_timeout\` of \`${name}\`` }] } : {}),
      });
      continue;
    }
    if (successorProp) {
      report({
        span: directiveSpan(entry),
        message:
          `\`${directive}\` is ignored: worker \`${name}\` also sets its successor \`${dep.successor}\` (${fileLine(successorProp.keySpan)}), which wins. ` +
          `Remove this line (deprecated since mod_jk ${dep.since}).`,
        related: [{ span: successorProp.keySpan, message: `\`${dep.successor}\` of \`${name}\`` }],
      });
      continue;
    }
    if (directive === 'disabled' || directive === 'stopped') {
      reportActivation(model, jk, entry, name, directive, dep, base, report);
      continue;
    }
    const repeated = (count.get(`${name}\u0000${directive}`) ?? 0) > 1;
    const joined =
      directive === 'balanced_workers' && repeated
        ? ' Its repeated lines are joined with `*` (it is not a list directive), so mod_jk sees a single member named like `a*b`; `balance_workers` lines are joined with `,`.'
        : '';
    const fix = RENAME_SAFE.has(directive) ? renameFix(model, entry, directive, dep.successor) : undefined;
    report({
      span: directiveSpan(entry),
      message: `${base} and ${dep.effect}. Use \`${dep.successor}\`.${joined}`,
      ...(fix ? { fix } : {}),
    });
  }
}

/** `disabled`/`stopped` → `activation=D`/`S` (mod_jk: activation, else stopped, else disabled, else A). */
function reportActivation(
  model: ClusterModel,
  jk: JkConfig,
  entry: PropertyEntry,
  name: string,
  directive: 'disabled' | 'stopped',
  dep: JkDeprecation,
  base: string,
  report: Report,
): void {
  const props = jk.workers.get(name)?.properties;
  const stopped = props?.get('stopped');
  const disabled = props?.get('disabled');
  const effective =
    stopped && jkBoolCode(stopped.value, false) ? 'S' : disabled && jkBoolCode(disabled.value, false) ? 'D' : 'A';
  const meaning: Record<string, string> = { A: 'active', D: 'disabled', S: 'stopped' };
  const value = entry.value;
  // Only a plain boolean written once, alone, and no variable: then the new line means exactly the old one.
  const clearBool = !value.includes('$(') && jkBoolCode(value, true) === jkBoolCode(value, false);
  const alone = (directive === 'disabled' ? stopped : disabled) === undefined;
  const writtenOnce = (props?.get(directive)?.entries.length ?? 0) === 1;
  const fix = clearBool && alone && writtenOnce ? activationFix(model, entry, directive, effective) : undefined;
  report({
    span: directiveSpan(entry),
    message:
      `${base} and ${dep.effect}. Use \`activation=${effective}\` (${meaning[effective]}), which is what mod_jk makes of worker \`${name}\`'s ` +
      `${alone ? `\`${directive}\`` : '`disabled` and `stopped`'} today.`,
    ...(fix ? { fix } : {}),
  });
}

function sourceText(model: ClusterModel, file: string): string | undefined {
  return model.sources.get(file)?.text;
}

/** Replaces the directive part of the key by its successor. */
export function renameFix(model: ClusterModel, entry: PropertyEntry, directive: string, successor: string): Fix | undefined {
  const file = entry.keySpan.file;
  if (!hasExactKeyOffsets(entry, sourceText(model, file))) return undefined;
  return {
    description: `Rename \`${directive}\` to \`${successor}\``,
    edits: [{ file, start: entry.keyEnd - directive.length, end: entry.keyEnd, text: successor }],
  };
}

/** `disabled=true` → `activation=D`, `stopped=true` → `activation=S`, false → `activation=A`. */
export function activationFix(
  model: ClusterModel,
  entry: PropertyEntry,
  directive: 'disabled' | 'stopped',
  activation: string,
): Fix | undefined {
  const file = entry.keySpan.file;
  const text = sourceText(model, file);
  if (!hasExactKeyOffsets(entry, text) || !hasExactValueOffsets(entry, text)) return undefined;
  return {
    description: `Replace \`${directive}=${entry.value}\` by \`activation=${activation}\``,
    edits: [
      { file, start: entry.keyEnd - directive.length, end: entry.keyEnd, text: 'activation' },
      { file, start: entry.valueStart, end: entry.valueEnd, text: activation },
    ],
  };
}
