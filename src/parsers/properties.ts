/**
 * Reader for mod_jk's `workers.properties` and `uriworkermap.properties`, imitating
 * jk_map.c: a `#` anywhere on a line starts a comment, the rest is trimmed, blank lines
 * are skipped, and a line is split at its FIRST `=` into a trimmed key and value.
 * No `$(var)` substitution, no list appending: that is the model layer's business.
 *
 * Never throws; linear in the size of the text.
 */
import type { LineComment, ParseProblem } from '../types.js';
import type { PropertiesDocument, PropertyEntry } from './syntax.js';
import { LineIndex, type SourceText } from './source.js';

export function parseProperties(source: SourceText): PropertiesDocument {
  const entries: PropertyEntry[] = [];
  const comments: LineComment[] = [];
  const problems: ParseProblem[] = [];
  const doc: PropertiesDocument = { kind: 'properties', source, entries, comments, problems };
  try {
    const text = source.text;
    const index = new LineIndex(source.file, text);
    const binary = binaryProblem(text, index);
    if (binary) {
      problems.push(binary);
      return doc;
    }
    const lines = index.lineCount;
    for (let line = 0; line < lines; line++) {
      const start = index.lineStarts[line]!;
      const end = lineContentEnd(text, index, line);
      const body = stripHashComment(text, start, end, index, comments);
      const result = readKeyValue(text, start, body, index);
      if (result === undefined) continue;
      if ('key' in result) entries.push(result);
      else problems.push(result);
    }
  } catch (e) {
    // Defensive: a parser bug must become a problem, never an exception.
    problems.push(internalProblem(source.file, e));
  }
  return doc;
}

// ---------------------------------------------------------------- helpers shared with jk2.ts

/** C `isspace` without the line breaks (lines never contain them): space, tab, VT, FF. */
export function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

/** Offset one past the last character of a (0-based) line, before its CR, LF or CRLF. */
export function lineContentEnd(text: string, index: LineIndex, line: number): number {
  const starts = index.lineStarts;
  const start = starts[line]!;
  if (line + 1 >= starts.length) return text.length;
  let end = starts[line + 1]!;
  if (end > start && text.charCodeAt(end - 1) === 10) {
    end--;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
  } else if (end > start && text.charCodeAt(end - 1) === 13) {
    end--;
  }
  return end;
}

/**
 * Finds the first `#` in [start, end); records the comment from there to `end` and
 * returns the offset of the `#` (or `end` when there is none).
 */
export function stripHashComment(
  text: string,
  start: number,
  end: number,
  index: LineIndex,
  comments: LineComment[],
): number {
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 35 /* # */) {
      comments.push({ text: commentText(text, i, end), span: index.span(i, end) });
      return i;
    }
  }
  return end;
}

/** Text of a comment starting at `hash`: its run of leading `#` removed, trimmed. */
export function commentText(text: string, hash: number, end: number): string {
  let i = hash;
  while (i < end && text.charCodeAt(i) === 35) i++;
  return text.slice(i, end).trim();
}

/** Narrows [start, end) past blanks on both sides. */
export function trimRange(text: string, start: number, end: number): [number, number] {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return [start, end];
}

/**
 * Reads `key = value` from [start, end) (a line with its comment already removed).
 * Undefined for a blank line; a problem when there is no `=` or no key.
 */
export function readKeyValue(
  text: string,
  start: number,
  end: number,
  index: LineIndex,
): PropertyEntry | ParseProblem | undefined {
  const [s, e] = trimRange(text, start, end);
  if (s >= e) return undefined;
  let eq = -1;
  for (let i = s; i < e; i++) {
    if (text.charCodeAt(i) === 61 /* = */) {
      eq = i;
      break;
    }
  }
  if (eq < 0) return { message: 'line is not key=value', span: index.span(s, e) };
  const [keyStart, keyEnd] = trimRange(text, s, eq);
  if (keyStart >= keyEnd) return { message: "missing key before '='", span: index.span(s, e) };
  let [valueStart, valueEnd] = trimRange(text, eq + 1, e);
  if (valueStart >= valueEnd) valueStart = valueEnd = eq + 1;
  return {
    key: text.slice(keyStart, keyEnd),
    value: text.slice(valueStart, valueEnd),
    keySpan: index.span(keyStart, keyEnd),
    valueSpan: index.span(valueStart, valueEnd),
    span: index.span(keyStart, Math.max(valueEnd, eq + 1)),
    keyStart,
    keyEnd,
    valueStart,
    valueEnd,
  };
}

/**
 * A NUL character means the file is not text (a binary file under a config name, or a
 * corrupted one): the C readers stop the line there, so nothing after it would be read as
 * written. Returns the problem to report, or undefined for a text file.
 */
export function binaryProblem(text: string, index: LineIndex): ParseProblem | undefined {
  const at = text.indexOf('\0');
  if (at < 0) return undefined;
  const { line, column } = index.position(at);
  return { message: `not a text file: binary data (NUL) at line ${line}, column ${column}`, span: index.span(at, at + 1) };
}

/** What a parser reports if it ever fails internally, instead of throwing. */
export function internalProblem(file: string, e: unknown): ParseProblem {
  const why = e instanceof Error ? e.message : String(e);
  return {
    message: `internal parser error: ${why}`,
    span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 },
  };
}
