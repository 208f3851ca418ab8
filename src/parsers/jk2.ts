/**
 * Reader for mod_jk2's `workers2.properties`: `[type:name]` section headers, `key=value`
 * lines belonging to the last header (or to `globals` before any), `#` comments anywhere
 * on a line, and the inline form `type:name.prop=value`, which becomes a synthetic
 * section of its own (`inline: true`).
 *
 * Never throws; linear in the size of the text.
 */
import type { LineComment, ParseProblem } from '../types.js';
import type { Jk2Document, Jk2Section, PropertyEntry } from './syntax.js';
import { LineIndex, type SourceText } from './source.js';
import {
  binaryProblem,
  internalProblem,
  lineContentEnd,
  readKeyValue,
  stripHashComment,
  trimRange,
} from './properties.js';

export function parseJk2(source: SourceText): Jk2Document {
  const sections: Jk2Section[] = [];
  const globals: PropertyEntry[] = [];
  const comments: LineComment[] = [];
  const problems: ParseProblem[] = [];
  const doc: Jk2Document = { kind: 'jk2', source, sections, globals, comments, problems };
  try {
    const text = source.text;
    const index = new LineIndex(source.file, text);
    const binary = binaryProblem(text, index);
    if (binary) {
      problems.push(binary);
      return doc;
    }
    let current: Jk2Section | undefined;
    const lines = index.lineCount;
    for (let line = 0; line < lines; line++) {
      const start = index.lineStarts[line]!;
      const end = lineContentEnd(text, index, line);
      const body = stripHashComment(text, start, end, index, comments);
      const [s, e] = trimRange(text, start, body);
      if (s >= e) continue;
      if (text.charCodeAt(s) === 91 /* [ */) {
        current = readHeader(text, s, e, index, problems);
        sections.push(current);
        continue;
      }
      const result = readKeyValue(text, s, e, index);
      if (result === undefined) continue;
      if (!('key' in result)) {
        problems.push(result);
        continue;
      }
      const inline = splitInline(text, result, index);
      if (inline) sections.push(inline);
      else if (current) current.entries.push(result);
      else globals.push(result);
    }
  } catch (e) {
    problems.push(internalProblem(source.file, e));
  }
  return doc;
}

/** `[type:name]` in [s, e) (trimmed, comment removed, `text[s]` is `[`). */
function readHeader(text: string, s: number, e: number, index: LineIndex, problems: ParseProblem[]): Jk2Section {
  let close = -1;
  for (let i = s + 1; i < e; i++) {
    if (text.charCodeAt(i) === 93 /* ] */) {
      close = i;
      break;
    }
  }
  let innerEnd: number;
  let headerEnd: number;
  if (close < 0) {
    problems.push({ message: "section header is missing its closing ']'", span: index.span(s, e) });
    innerEnd = headerEnd = e;
  } else {
    innerEnd = close;
    headerEnd = close + 1;
    if (headerEnd < e) {
      problems.push({ message: "unexpected text after section header ']'", span: index.span(headerEnd, e) });
    }
  }
  const [is, ie] = trimRange(text, s + 1, innerEnd);
  let colon = -1;
  for (let i = is; i < ie; i++) {
    if (text.charCodeAt(i) === 58 /* : */) {
      colon = i;
      break;
    }
  }
  let typeStart: number, typeEnd: number, nameStart: number, nameEnd: number;
  if (colon < 0) {
    [typeStart, typeEnd] = [is, ie];
    nameStart = nameEnd = ie;
  } else {
    [typeStart, typeEnd] = trimRange(text, is, colon);
    [nameStart, nameEnd] = trimRange(text, colon + 1, ie);
    if (typeStart >= typeEnd) typeStart = typeEnd = colon;
    if (nameStart >= nameEnd) nameStart = nameEnd = colon + 1;
  }
  if (typeStart >= typeEnd) {
    problems.push({ message: 'section header has no type', span: index.span(s, headerEnd) });
  }
  return {
    type: text.slice(typeStart, typeEnd),
    name: text.slice(nameStart, nameEnd),
    headerSpan: index.span(s, headerEnd),
    typeSpan: index.span(typeStart, typeEnd),
    nameSpan: index.span(nameStart, nameEnd),
    entries: [],
    inline: false,
  };
}

/**
 * `type:name.prop=value`: when the key has a `:` and a `.` somewhere after it, the last
 * such `.` separates `type:name` from `prop`. Returns the synthetic section, or
 * undefined when the entry is an ordinary `key=value`.
 */
function splitInline(text: string, entry: PropertyEntry, index: LineIndex): Jk2Section | undefined {
  const { keyStart, keyEnd } = entry;
  let colon = -1;
  for (let i = keyStart; i < keyEnd; i++) {
    if (text.charCodeAt(i) === 58 /* : */) {
      colon = i;
      break;
    }
  }
  if (colon < 0) return undefined;
  let dot = -1;
  for (let i = keyEnd - 1; i > colon; i--) {
    if (text.charCodeAt(i) === 46 /* . */) {
      dot = i;
      break;
    }
  }
  // `a:b` (no property) or `a:b.` (empty property) are left as ordinary keys.
  if (dot < 0 || dot + 1 >= keyEnd) return undefined;
  const propStart = dot + 1;
  const prop: PropertyEntry = {
    ...entry,
    key: text.slice(propStart, keyEnd),
    keySpan: index.span(propStart, keyEnd),
    keyStart: propStart,
  };
  return {
    type: text.slice(keyStart, colon),
    name: text.slice(colon + 1, dot),
    headerSpan: index.span(keyStart, dot),
    typeSpan: index.span(keyStart, colon),
    nameSpan: index.span(colon + 1, dot),
    entries: [prop],
    inline: true,
  };
}
