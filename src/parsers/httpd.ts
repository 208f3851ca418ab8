/**
 * Reader for Apache httpd configuration files, imitating httpd 2.4's config reader:
 *
 * - a line ending in `\` (right before the line break) is joined with the next one, the
 *   backslash and line break removed and nothing inserted (ap_cfg_getline); this happens
 *   before comments are recognised, so a comment ending in `\` swallows the next line too;
 * - the joined line is trimmed; a line starting with `#` is a comment (no trailing comments);
 * - words are split as ap_getword_conf does: whitespace-separated, or `"..."` / `'...'`
 *   quoted, where `\\` stands for `\` and, inside quotes, `\"` (resp. `\'`) for the quote;
 * - `<Name args>` opens a section whose args are the text before the LAST `>` of the line,
 *   `</Name>` closes it (names compared case-insensitively).
 *
 * Sections are nested with an explicit stack, so depth never overflows the call stack.
 * Never throws; linear in the size of the text.
 */
import type { LineComment, ParseProblem } from '../types.js';
import type { HttpdArgument, HttpdDirective, HttpdDocument } from './syntax.js';
import { LineIndex, type SourceText } from './source.js';
import { binaryProblem, commentText, internalProblem, isBlank, lineContentEnd } from './properties.js';

export function parseHttpd(source: SourceText): HttpdDocument {
  const directives: HttpdDirective[] = [];
  const comments: LineComment[] = [];
  const problems: ParseProblem[] = [];
  const doc: HttpdDocument = { kind: 'httpd', source, directives, comments, problems };
  try {
    if (source.text.includes('\0')) {
      problems.push(binaryProblem(source.text, new LineIndex(source.file, source.text))!);
      return doc;
    }
    new HttpdReader(source, directives, comments, problems).read();
  } catch (e) {
    problems.push(internalProblem(source.file, e));
  }
  return doc;
}

/** One logical line: physical lines joined at trailing backslashes. */
class LogicalLine {
  /** Logical offsets where each physical piece starts, and the matching text offsets. */
  private readonly logicalStarts: number[];
  private readonly physicalStarts: number[];

  constructor(
    readonly text: string,
    logicalStarts: number[],
    physicalStarts: number[],
  ) {
    this.logicalStarts = logicalStarts;
    this.physicalStarts = physicalStarts;
  }

  /** Text offset of the character at logical offset `pos`. */
  offset(pos: number): number {
    const ls = this.logicalStarts;
    let k = 0;
    if (ls.length > 1) {
      let lo = 0;
      let hi = ls.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ls[mid]! <= pos) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
    }
    return this.physicalStarts[k]! + (pos - ls[k]!);
  }

  /** Text offset just after the character at logical offset `pos - 1` (an exclusive end). */
  endOffset(pos: number, start: number): number {
    if (pos <= start) return this.offset(start);
    return this.offset(pos - 1) + 1;
  }
}

interface OpenSection {
  directive: HttpdDirective;
}

class HttpdReader {
  private readonly text: string;
  private readonly index: LineIndex;
  private readonly stack: OpenSection[] = [];
  /** How many sections of each (lower-cased) name are open: O(1) "is it open at all?". */
  private readonly openCount = new Map<string, number>();

  constructor(
    source: SourceText,
    private readonly directives: HttpdDirective[],
    private readonly comments: LineComment[],
    private readonly problems: ParseProblem[],
  ) {
    this.text = source.text;
    this.index = new LineIndex(source.file, source.text);
  }

  read(): void {
    const { text, index } = this;
    const lineCount = index.lineCount;
    let line = 0;
    while (line < lineCount) {
      // Join physical lines ending in a backslash.
      const logicalStarts: number[] = [0];
      const physicalStarts: number[] = [index.lineStarts[line]!];
      const pieces: string[] = [];
      let logicalLength = 0;
      for (;;) {
        const start = index.lineStarts[line]!;
        const end = lineContentEnd(text, index, line);
        const hasBreak = line + 1 < lineCount;
        if (hasBreak && end > start && text.charCodeAt(end - 1) === 92 /* \ */) {
          pieces.push(text.slice(start, end - 1));
          logicalLength += end - 1 - start;
          line++;
          logicalStarts.push(logicalLength);
          physicalStarts.push(index.lineStarts[line]!);
          continue;
        }
        pieces.push(text.slice(start, end));
        line++;
        break;
      }
      const joined = pieces.length === 1 ? pieces[0]! : pieces.join('');
      this.readLogical(new LogicalLine(joined, logicalStarts, physicalStarts));
    }
    // Whatever is still open ends at end of file.
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const d = this.stack[i]!.directive;
      this.problems.push({ message: `<${d.name}> opened here is never closed`, span: d.span });
    }
    this.stack.length = 0;
  }

  private readLogical(l: LogicalLine): void {
    const s = l.text;
    let ls = 0;
    let le = s.length;
    while (ls < le && isSpace(s.charCodeAt(ls))) ls++;
    while (le > ls && isSpace(s.charCodeAt(le - 1))) le--;
    if (ls >= le) return;
    const first = s.charCodeAt(ls);
    if (first === 35 /* # */) {
      const start = l.offset(ls);
      const end = l.endOffset(le, ls);
      // Comment text from the joined line, so a continued comment reads as one.
      this.comments.push({ text: commentText(s, ls, le), span: this.index.span(start, end) });
      return;
    }
    if (first === 60 /* < */) {
      if (ls + 1 < le && s.charCodeAt(ls + 1) === 47 /* / */) this.closeSection(l, ls, le);
      else this.openSection(l, ls, le);
      return;
    }
    let nameEnd = ls;
    while (nameEnd < le && !isSpace(s.charCodeAt(nameEnd))) nameEnd++;
    const directive = this.makeDirective(l, ls, nameEnd, ls, le, s.slice(ls, nameEnd));
    directive.args = this.words(l, nameEnd, le);
    this.add(directive);
  }

  private openSection(l: LogicalLine, ls: number, le: number): void {
    const s = l.text;
    const nameStart = ls + 1;
    let nameEnd = nameStart;
    while (nameEnd < le && !isSpace(s.charCodeAt(nameEnd)) && s.charCodeAt(nameEnd) !== 62 /* > */) nameEnd++;
    if (nameEnd === nameStart) {
      this.problems.push({ message: "'<' is not followed by a section name", span: this.span(l, ls, le) });
      return;
    }
    const name = s.slice(nameStart, nameEnd);
    const gt = s.lastIndexOf('>', le - 1);
    let argsEnd = le;
    if (gt < nameEnd) {
      this.problems.push({ message: `<${name}> is missing its closing '>'`, span: this.span(l, ls, le) });
    } else {
      argsEnd = gt;
    }
    const directive = this.makeDirective(l, nameStart, nameEnd, ls, le, name);
    directive.args = this.words(l, nameEnd, argsEnd);
    directive.children = [];
    this.add(directive);
    this.stack.push({ directive });
    this.openCount.set(directive.key, (this.openCount.get(directive.key) ?? 0) + 1);
  }

  private closeSection(l: LogicalLine, ls: number, le: number): void {
    const s = l.text;
    const nameStart = ls + 2;
    let nameEnd = nameStart;
    while (nameEnd < le && !isSpace(s.charCodeAt(nameEnd)) && s.charCodeAt(nameEnd) !== 62 /* > */) nameEnd++;
    const name = s.slice(nameStart, nameEnd);
    const key = name.toLowerCase();
    const span = this.span(l, ls, le);
    let after = nameEnd;
    while (after < le && isSpace(s.charCodeAt(after))) after++;
    if (after >= le || s.charCodeAt(after) !== 62) {
      this.problems.push({ message: `</${name}> is missing its closing '>'`, span });
    } else if (after + 1 < le) {
      this.problems.push({ message: `unexpected text after </${name}>`, span: this.span(l, after + 1, le) });
    }
    const top = this.stack[this.stack.length - 1]?.directive;
    if (top && top.key === key) {
      this.pop();
      return;
    }
    if (!top || !this.openCount.get(key)) {
      const expected = top ? ` (expected </${top.name}>)` : '';
      this.problems.push({ message: `</${name}> closes nothing${expected}`, span });
      return;
    }
    // It closes a section further out: the ones in between end here.
    this.problems.push({ message: `expected </${top.name}> but saw </${name}>`, span });
    for (;;) {
      const popped = this.pop();
      if (!popped || popped.key === key) break;
    }
  }

  private pop(): HttpdDirective | undefined {
    const open = this.stack.pop();
    if (!open) return undefined;
    const key = open.directive.key;
    const n = (this.openCount.get(key) ?? 1) - 1;
    if (n > 0) this.openCount.set(key, n);
    else this.openCount.delete(key);
    return open.directive;
  }

  private add(directive: HttpdDirective): void {
    const top = this.stack[this.stack.length - 1]?.directive;
    if (top) {
      directive.parent = top;
      top.children!.push(directive);
    } else {
      this.directives.push(directive);
    }
  }

  private makeDirective(
    l: LogicalLine,
    nameStart: number,
    nameEnd: number,
    ls: number,
    le: number,
    name: string,
  ): HttpdDirective {
    const start = l.offset(ls);
    const end = l.endOffset(le, ls);
    return {
      name,
      key: name.toLowerCase(),
      args: [],
      span: this.index.span(start, end),
      nameSpan: this.span(l, nameStart, nameEnd),
      start,
      end,
      children: undefined,
      parent: undefined,
    };
  }

  private span(l: LogicalLine, from: number, to: number) {
    return this.index.span(l.offset(from), l.endOffset(to, from));
  }

  /** ap_getword_conf over [from, to) of the logical line, repeatedly. */
  private words(l: LogicalLine, from: number, to: number): HttpdArgument[] {
    const s = l.text;
    const args: HttpdArgument[] = [];
    let i = from;
    for (;;) {
      while (i < to && isSpace(s.charCodeAt(i))) i++;
      if (i >= to) break;
      const tokenStart = i;
      const q = s.charCodeAt(i);
      if (q === 34 /* " */ || q === 39 /* ' */) {
        let j = i + 1;
        let escaped = false;
        while (j < to && s.charCodeAt(j) !== q) {
          if (s.charCodeAt(j) === 92 && j + 1 < to && (s.charCodeAt(j + 1) === q || s.charCodeAt(j + 1) === 92)) {
            escaped = true;
            j += 2;
          } else {
            j++;
          }
        }
        const raw = s.slice(i + 1, j);
        const value = escaped ? unescape(raw, q) : raw;
        if (j < to) j++; // the closing quote
        args.push({ value, span: this.span(l, tokenStart, j), quoted: true });
        i = j;
      } else {
        let j = i;
        let escaped = false;
        while (j < to && !isSpace(s.charCodeAt(j))) {
          if (s.charCodeAt(j) === 92) escaped = true;
          j++;
        }
        const raw = s.slice(i, j);
        args.push({ value: escaped ? unescape(raw, 0) : raw, span: this.span(l, tokenStart, j), quoted: false });
        i = j;
      }
    }
    return args;
  }
}

/** substring_conf: `\\` is `\`; inside quotes `\<quote>` is the quote; other backslashes stay. */
function unescape(raw: string, quote: number): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw.charCodeAt(i) === 92 && i + 1 < raw.length) {
      const n = raw.charCodeAt(i + 1);
      if (n === 92 || (quote !== 0 && n === quote)) {
        out += raw.slice(last, i);
        last = i + 1; // keep the escaped character
        i++;
      }
    }
  }
  return out + raw.slice(last);
}

/** apr_isspace: space, tab, LF, VT, FF, CR. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
