/**
 * `--fix` and `--fix-dry-run`: applies the safe fixes findings carry.
 *
 * A fix is all-or-nothing: its edits (possibly in several files) go in together or
 * not at all. Fixes whose edits overlap one already taken wait for the next pass,
 * when the rules have seen the new text (ESLint's loop, at most MAX_PASSES).
 * A file is written only when its bytes can be reproduced exactly: same encoding,
 * same BOM, same line endings, and the disk still holds what was linted.
 */
import { chmodSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { formatPatch, structuredPatch } from 'diff';
import type { LineEnding, SourceText } from '../parsers/source.js';
import type { LintResult } from '../lint.js';
import type { Finding, Fix, TextEdit } from '../types.js';
import { encodeText, reproduces } from './encoding.js';

export const MAX_PASSES = 10;

/** One file's new text, planned from the fixes taken in one pass. */
export interface FileChange {
  file: string;
  source: SourceText;
  /** The new decoded text (line endings already those of the file). */
  text: string;
}

export interface FixPlan {
  changes: FileChange[];
  /** Fixes taken, with the finding that carried them. */
  applied: Finding[];
  /** Fixes left for a later pass (overlap) or never applicable (file unknown, edit out of range). */
  deferred: Finding[];
  /** Files that cannot be fixed, and why; fixes touching them are not taken. */
  skipped: { file: string; reason: string }[];
}

interface Range {
  start: number;
  end: number;
}

/** Two edits conflict when their ranges overlap, or both start at one offset (the order of two insertions is not known). */
function conflicts(a: Range, b: Range): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

/** Rewrites every line break in inserted text to the file's own. */
function withEol(text: string, eol: LineEnding): string {
  return text.replace(/\r\n|\r|\n/g, eol);
}

/**
 * Picks the fixes to apply in one pass and computes the new text of each file.
 * `unwritable` names files already known to be unwritable (checked by `checkWritable`).
 */
export function planFixes(
  findings: Finding[],
  sources: ReadonlyMap<string, SourceText>,
  unwritable: ReadonlyMap<string, string> = new Map(),
): FixPlan {
  const taken = new Map<string, TextEdit[]>();
  const applied: Finding[] = [];
  const deferred: Finding[] = [];
  const skipped = new Map<string, string>();

  const withFix = findings.filter((f): f is Finding & { fix: Fix } => !!f.fix && f.fix.edits.length > 0);
  // Earliest first, like ESLint: the position of a fix is its first edit's.
  const firstEdit = (fix: Fix) => fix.edits.reduce((a, b) => (a.file < b.file || (a.file === b.file && a.start <= b.start) ? a : b));
  withFix.sort((a, b) => {
    const x = firstEdit(a.fix);
    const y = firstEdit(b.fix);
    return x.file < y.file ? -1 : x.file > y.file ? 1 : x.start - y.start || x.end - y.end;
  });

  for (const finding of withFix) {
    const edits = finding.fix.edits;
    let ok = true;
    for (const edit of edits) {
      const source = sources.get(edit.file);
      const reason = !source ? 'it was not read in this run' : unwritable.get(edit.file);
      if (reason) {
        skipped.set(edit.file, reason);
        ok = false;
      } else if (!(edit.start >= 0 && edit.start <= edit.end && edit.end <= source!.text.length)) {
        ok = false;
      }
    }
    // Two edits of one fix may not conflict with each other either.
    const mine = [...edits].sort((a, b) => a.start - b.start);
    for (let i = 1; ok && i < mine.length; i++) {
      if (mine[i]!.file === mine[i - 1]!.file && conflicts(mine[i]!, mine[i - 1]!)) ok = false;
    }
    if (ok && edits.some((e) => (taken.get(e.file) ?? []).some((t) => conflicts(t, e)))) ok = false;
    if (!ok) {
      deferred.push(finding);
      continue;
    }
    for (const e of edits) taken.set(e.file, [...(taken.get(e.file) ?? []), e]);
    applied.push(finding);
  }

  const changes: FileChange[] = [];
  for (const [file, edits] of taken) {
    const source = sources.get(file)!;
    let text = source.text;
    // From the end backwards, so earlier offsets stay valid.
    for (const e of [...edits].sort((a, b) => b.start - a.start)) {
      text = text.slice(0, e.start) + withEol(e.text, source.eol) + text.slice(e.end);
    }
    if (text !== source.text) changes.push({ file, source, text });
  }
  changes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { changes, applied, deferred, skipped: [...skipped].map(([file, reason]) => ({ file, reason })) };
}

/**
 * Why a file cannot be rewritten safely, or undefined when it can: its bytes on disk must
 * be exactly what re-encoding the linted text gives (otherwise the encoding is not one we
 * can write, or decoding lost something, or the file changed since it was read).
 */
export function checkWritable(source: SourceText): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(source.file);
  } catch (error) {
    return `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  if (reproduces(source, bytes)) return undefined;
  if (encodeText(source.text, source.encoding, source.bom) === undefined) {
    return `its encoding (${source.encoding}) cannot be written back byte for byte`;
  }
  return 'its bytes on disk differ from what was linted (changed since, or not valid ' + source.encoding + ')';
}

/** Writes a file atomically: a temporary file in the same folder, then a rename over the original. */
export function writeAtomic(file: string, bytes: Uint8Array): void {
  const temp = join(dirname(file), `.${basename(file)}.cluster-lint-${process.pid}-${Date.now().toString(36)}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

/** Writes the planned changes. A change whose new text the encoding cannot hold is skipped, not mangled. */
export function writeChanges(changes: FileChange[]): { written: string[]; skipped: { file: string; reason: string }[] } {
  const written: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  for (const change of changes) {
    const reason = checkWritable(change.source);
    if (reason) {
      skipped.push({ file: change.file, reason });
      continue;
    }
    const bytes = encodeText(change.text, change.source.encoding, change.source.bom);
    if (!bytes) {
      skipped.push({ file: change.file, reason: `the fixed text has characters ${change.source.encoding} cannot hold` });
      continue;
    }
    writeAtomic(change.file, bytes);
    written.push(change.file);
  }
  return { written, skipped };
}

/** A unified diff of the planned changes, paths relative to `cwd` with git's a/ b/ prefixes (`git apply` takes it). */
export function unifiedDiff(changes: FileChange[], cwd: string): string {
  return changes
    .map((c) => {
      const rel = relative(cwd, c.file).split(sep).join('/');
      const patch = structuredPatch(`a/${rel}`, `b/${rel}`, c.source.text, c.text, undefined, undefined, { context: 3 });
      return formatPatch(patch, { includeIndex: false, includeUnderline: false, includeFileHeaders: true });
    })
    .join('');
}

/**
 * The files the fixes among `findings` would touch that may not be written, with why
 * (`known` holds verdicts already reached, e.g. in an earlier pass).
 */
export function unwritableFiles(
  findings: Finding[],
  sources: ReadonlyMap<string, SourceText>,
  known: ReadonlyMap<string, string> = new Map(),
): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of new Set(findings.flatMap((f) => f.fix?.edits.map((e) => e.file) ?? []))) {
    const source = sources.get(file);
    const reason = known.get(file) ?? (source ? checkWritable(source) : undefined);
    if (reason) out.set(file, reason);
  }
  return out;
}

/** `--fix-dry-run`: the fixes one pass would apply, checked against the disk, nothing written. */
export function previewFixes(findings: Finding[], sources: ReadonlyMap<string, SourceText>): FixPlan & { unwritable: Map<string, string> } {
  const unwritable = unwritableFiles(findings, sources);
  return { ...planFixes(findings, sources, unwritable), unwritable };
}

export interface FixRun {
  /** The lint result after the last pass: what remains. */
  result: LintResult;
  /** Every fix applied, over all passes. */
  applied: Finding[];
  /** Files changed on disk. */
  written: string[];
  skipped: { file: string; reason: string }[];
  passes: number;
}

/**
 * ESLint's loop: lint, apply the fixes that do not overlap, lint again, until nothing
 * is left to fix or MAX_PASSES. Returns the last lint result (the remaining findings).
 */
export function fixUntilStable(lintOnce: () => LintResult): FixRun {
  const applied: Finding[] = [];
  const written = new Set<string>();
  const skipped = new Map<string, string>();
  let result = lintOnce();
  let passes = 0;
  while (passes < MAX_PASSES) {
    const sources = result.model.sources;
    const plan = planFixes(result.findings, sources, unwritableFiles(result.findings, sources, skipped));
    for (const s of plan.skipped) skipped.set(s.file, s.reason);
    if (plan.changes.length === 0) break;
    const out = writeChanges(plan.changes);
    for (const s of out.skipped) skipped.set(s.file, s.reason);
    if (out.written.length === 0) break;
    for (const f of out.written) written.add(f);
    applied.push(...plan.applied.filter((f) => !f.fix!.edits.some((e) => out.skipped.some((s) => s.file === e.file))));
    passes++;
    result = lintOnce();
  }
  return { result, applied, written: [...written], skipped: [...skipped].map(([file, reason]) => ({ file, reason })), passes };
}
