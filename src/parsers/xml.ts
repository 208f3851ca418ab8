/**
 * XML parser for server.xml, web.xml, context.xml and friends.
 *
 * The tree and every position come from one forward scan of the decoded text (linear: no
 * recursion, no re-slicing of the rest of the document). fast-xml-parser's `XMLValidator` gives a
 * second well-formedness verdict for documents with a DOCTYPE: a document is trusted only when
 * both agree. (Without a DOCTYPE the scan alone is at least as strict; the robustness tests fuzz
 * that claim, so the validator's second pass over every file is spared.)
 *
 * Why not `XMLParser` with `captureMetaData`: its metadata has only element `startIndex`/`endIndex`
 * (nothing for attributes, text or comments), an unclosed element gets no `endIndex`, a
 * mismatched end tag is silently accepted (the inner element's `endIndex` then runs to the outer
 * end tag), and nesting deeper than `maxNestedTags` throws. We would have re-scanned every start
 * tag for attribute positions anyway; scanning the rest too is simpler and handles broken input.
 *
 * Safety: no entity other than the five predefined ones and character references is ever
 * expanded (a reference to an entity declared in the DOCTYPE stays as written, `&name;`), nothing
 * external is ever read, and nothing here recurses, so hostile input costs linear time.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { LineComment, ParseProblem, Span } from '../types.js';
import { LineIndex, fileStartSpan, type SourceText } from './source.js';
import type { XmlAttribute, XmlDocument, XmlElement } from './syntax.js';

/** Deeper nesting is reported as a problem (no real Tomcat file comes near; it protects recursive consumers). */
export const MAX_XML_DEPTH = 1000;

// XML 1.0 (5th ed.) Name production; supplementary planes via surrogate pairs.
const NAME_START =
  ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = NAME_START + '\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040';
const PAIR = '[\\uD800-\\uDB7F][\\uDC00-\\uDFFF]';
const NAME_SRC = `(?:[${NAME_START}]|${PAIR})(?:[${NAME_CHAR}]|${PAIR})*`;
/** Sticky: set `lastIndex` and `exec` to read a name at an offset without slicing. */
const NAME_RE = new RegExp(NAME_SRC, 'y');
/** End of the XML Name starting at `p`, or `p` when there is none. ASCII fast path, regex for the rest. */
function readName(text: string, p: number): number {
  let c = text.charCodeAt(p);
  if (c < 128) {
    // [A-Za-z_:]
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58)) return p;
    let q = p + 1;
    for (;;) {
      c = text.charCodeAt(q);
      if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 45 || c === 46) q++;
      else break;
    }
    if (!(c >= 128)) return q; // NaN (end of text) or an ASCII non-name character
  }
  NAME_RE.lastIndex = p;
  const m = NAME_RE.exec(text);
  return m ? p + m[0].length : p;
}

/**
 * Spans from offsets with the document's one LineIndex. The scan asks for offsets in mostly
 * increasing order, so the line of the previous lookup is tried first (then the next one)
 * before a binary search: this keeps position lookups O(1) on the common path.
 */
class Spans {
  private readonly starts: number[];
  private hint = 0;

  constructor(
    private readonly file: string,
    index: LineIndex,
  ) {
    this.starts = index.lineStarts;
  }

  /** 0-based line index of an offset. */
  lineOf(offset: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    let h = this.hint;
    if (offset >= starts[h]!) {
      if (h === last || offset < starts[h + 1]!) return h;
      h++;
      if (h === last || offset < starts[h + 1]!) return (this.hint = h);
    }
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.hint = lo);
  }

  span(start: number, end: number): Span {
    if (end < start) end = start;
    const a = this.lineOf(start);
    const b = this.lineOf(end);
    return { file: this.file, line: a + 1, column: start - this.starts[a]! + 1, endLine: b + 1, endColumn: end - this.starts[b]! + 1 };
  }

  line(offset: number): number {
    return this.lineOf(offset) + 1;
  }
}

const REF_RE = new RegExp(`&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(${NAME_SRC}));`, 'y');
/** Characters XML 1.0 forbids anywhere (C0 controls except tab/LF/CR, U+FFFE, U+FFFF). */
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const ENTITY_DECL = new RegExp(`<!ENTITY\\s+(${NAME_SRC})`, 'g');
const PE_REFERENCE = new RegExp(`%${NAME_SRC};`);
const ENCODING_DECL = /\sencoding\s*=\s*(?:"([^"]*)"|'([^']*)')/;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NOT_WELL_FORMED = 'XML is not well-formed: ';

/** A well-formedness error met by the scan: offsets of the offending text and a message. */
class XmlSyntaxError extends Error {
  constructor(
    readonly start: number,
    readonly end: number,
    message: string,
  ) {
    super(message);
  }
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/** A name or reference as shown in a message: long ones are cut. */
function clip(s: string): string {
  return s.length <= 60 ? s : s.slice(0, 57) + '...';
}

function hex4(c: number): string {
  return 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Shows a character in a message, readable even when it is whitespace or a control. */
function showChar(text: string, offset: number): string {
  const c = text.charCodeAt(offset);
  if (Number.isNaN(c)) return 'end of file';
  if (c < 0x20 || c === 0x7f) return hex4(c);
  return `'${String.fromCodePoint(text.codePointAt(offset)!)}'`;
}

interface ScanResult {
  topLevel: XmlElement[];
  comments: LineComment[];
  declaredEncoding: string | undefined;
  /** Offsets of the DOCTYPE, if any (masked out before the validator sees the text). */
  doctype: { start: number; end: number } | undefined;
  error: XmlSyntaxError | undefined;
}

class Scanner {
  private readonly n: number;
  private readonly stack: XmlElement[] = [];
  private readonly topLevel: XmlElement[] = [];
  private readonly comments: LineComment[] = [];
  private declaredEncoding: string | undefined;
  private doctype: { start: number; end: number } | undefined;
  /** General entities declared in the internal subset (kept unexpanded). */
  private readonly declaredEntities = new Set<string>();
  /** True when entities may be declared where we cannot see them (external subset, parameter entities). */
  private externalDeclarations = false;

  private readonly spans: Spans;

  constructor(
    private readonly text: string,
    file: string,
    index: LineIndex,
  ) {
    this.n = text.length;
    this.spans = new Spans(file, index);
  }

  run(): ScanResult {
    let error: XmlSyntaxError | undefined;
    try {
      this.scan();
    } catch (e) {
      if (!(e instanceof XmlSyntaxError)) throw e;
      error = e;
    }
    return {
      topLevel: this.topLevel,
      comments: this.comments,
      declaredEncoding: this.declaredEncoding,
      doctype: this.doctype,
      error,
    };
  }

  private fail(start: number, end: number, message: string): never {
    throw new XmlSyntaxError(start, Math.min(Math.max(end, start), this.n), message);
  }

  private line(offset: number): number {
    return this.spans.line(offset);
  }

  private scan(): void {
    const text = this.text;
    const n = this.n;
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (text.startsWith('<?xml', i) && (isWs(text.charCodeAt(i + 5)) || text.charCodeAt(i + 5) === 63)) {
      i = this.readXmlDeclaration(i);
    }
    while (i < n) {
      if (text.charCodeAt(i) !== 60 /* < */) {
        let next = text.indexOf('<', i);
        if (next < 0) next = n;
        this.characterData(i, next);
        i = next;
        continue;
      }
      const c1 = text.charCodeAt(i + 1);
      if (c1 === 33 /* ! */) {
        if (text.startsWith('<!--', i)) i = this.readComment(i);
        else if (text.startsWith('<![CDATA[', i)) i = this.readCdata(i);
        else if (text.startsWith('<!DOCTYPE', i)) i = this.readDoctype(i);
        else this.fail(i, i + 2, NOT_WELL_FORMED + `unexpected '<!' (a comment starts with '<!--')`);
      } else if (c1 === 63 /* ? */) {
        i = this.readProcessingInstruction(i);
      } else if (c1 === 47 /* / */) {
        i = this.readEndTag(i);
      } else {
        i = this.readStartTag(i);
      }
    }
    const open = this.stack.length;
    if (open > 0) {
      const el = this.stack[open - 1]!;
      const where = `opened in line ${this.line(el.start)}`;
      const message =
        open === 1
          ? `root element '${clip(el.name)}' (${where}) is never closed: end of file reached`
          : `element '${clip(el.name)}' (${where}) is never closed: end of file reached inside ` +
            (open === 2 ? `'${clip(this.stack[0]!.name)}'` : `${open - 1} enclosing elements`);
      this.fail(el.start, el.startTagEnd, NOT_WELL_FORMED + message);
    }
  }

  private readXmlDeclaration(i: number): number {
    const end = this.text.indexOf('?>', i + 5);
    if (end < 0) this.fail(i, i + 5, NOT_WELL_FORMED + `the XML declaration '<?xml' is never closed with '?>'`);
    const m = ENCODING_DECL.exec(this.text.slice(i + 5, end));
    if (m) this.declaredEncoding = m[1] ?? m[2];
    return end + 2;
  }

  /** Text between markup: collected for the open element; outside the root only whitespace may appear. */
  private characterData(from: number, to: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top) {
      top.text += this.decode(from, to, false, top.name);
      return;
    }
    const text = this.text;
    for (let k = from; k < to; k++) {
      if (!isWs(text.charCodeAt(k))) {
        const where = this.topLevel.length > 0 ? 'after the root element' : 'before the root element';
        this.fail(k, k + 1, NOT_WELL_FORMED + `text ${where} (${showChar(text, k)}); only comments and whitespace may be there`);
      }
    }
  }

  private readComment(i: number): number {
    const text = this.text;
    const end = text.indexOf('-->', i + 4);
    if (end < 0) this.fail(i, i + 4, NOT_WELL_FORMED + `comment opened in line ${this.line(i)} is never closed ('-->' missing)`);
    const dashes = text.indexOf('--', i + 4);
    if (dashes < end) {
      this.fail(dashes, dashes + 2, NOT_WELL_FORMED + `'--' is not allowed inside a comment (comment opened in line ${this.line(i)})`);
    }
    this.comments.push({ text: text.slice(i + 4, end).trim(), span: this.spans.span(i, end + 3) });
    return end + 3;
  }

  private readCdata(i: number): number {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.fail(i, i + 9, NOT_WELL_FORMED + 'CDATA section outside the root element');
    const end = this.text.indexOf(']]>', i + 9);
    if (end < 0) this.fail(i, i + 9, NOT_WELL_FORMED + `CDATA section opened in line ${this.line(i)} is never closed (']]>' missing)`);
    top.text += normaliseEol(this.text.slice(i + 9, end));
    return end + 3;
  }

  private readProcessingInstruction(i: number): number {
    const text = this.text;
    const targetEnd = readName(text, i + 2);
    if (targetEnd === i + 2) this.fail(i, i + 2, NOT_WELL_FORMED + `'<?' must be followed by a processing instruction name`);
    const target = text.slice(i + 2, targetEnd);
    if (target.toLowerCase() === 'xml') {
      this.fail(i, i + 5, NOT_WELL_FORMED + `the XML declaration '<?xml ...?>' is only allowed at the very start of the file (nothing, not even a blank line, may precede it)`);
    }
    const end = text.indexOf('?>', i + 2 + target.length);
    if (end < 0) this.fail(i, i + 2 + target.length, NOT_WELL_FORMED + `processing instruction '<?${clip(target)}' is never closed ('?>' missing)`);
    return end + 2;
  }

  /** Skips a DOCTYPE (quoted literals, internal subset, comments and PIs in it); records declared entity names. */
  private readDoctype(i: number): number {
    const text = this.text;
    const n = this.n;
    if (this.topLevel.length > 0) this.fail(i, i + 9, NOT_WELL_FORMED + 'DOCTYPE after the root element');
    if (this.doctype) this.fail(i, i + 9, NOT_WELL_FORMED + 'second DOCTYPE');
    if (!isWs(text.charCodeAt(i + 9))) this.fail(i, i + 9, NOT_WELL_FORMED + `'<!DOCTYPE' must be followed by whitespace and the root element name`);
    let p = i + 9;
    let subsetStart = -1;
    let subsetEnd = -1;
    let inSubset = false;
    let end = -1;
    while (p < n) {
      const c = text.charCodeAt(p);
      if (c === 34 || c === 39) {
        const close = text.indexOf(c === 34 ? '"' : "'", p + 1);
        if (close < 0) this.fail(p, p + 1, NOT_WELL_FORMED + `quoted literal in the DOCTYPE is never closed`);
        p = close + 1;
      } else if (inSubset) {
        if (c === 93 /* ] */) {
          inSubset = false;
          subsetEnd = p;
          p++;
        } else if (text.startsWith('<!--', p)) {
          p = this.readComment(p);
        } else if (text.startsWith('<?', p)) {
          const close = text.indexOf('?>', p + 2);
          if (close < 0) this.fail(p, p + 2, NOT_WELL_FORMED + `processing instruction in the DOCTYPE is never closed`);
          p = close + 2;
        } else {
          p++;
        }
      } else if (c === 91 /* [ */ && subsetStart < 0) {
        inSubset = true;
        subsetStart = p + 1;
        p++;
      } else if (c === 62 /* > */) {
        end = p + 1;
        break;
      } else {
        p++;
      }
    }
    if (end < 0) this.fail(i, i + 9, NOT_WELL_FORMED + `DOCTYPE opened in line ${this.line(i)} is never closed`);
    const external = text.slice(i + 9, subsetStart < 0 ? end - 1 : subsetStart - 1);
    if (/\b(SYSTEM|PUBLIC)\b/.test(external)) this.externalDeclarations = true;
    if (subsetStart >= 0) {
      const subset = text.slice(subsetStart, subsetEnd);
      if (PE_REFERENCE.test(subset)) this.externalDeclarations = true;
      ENTITY_DECL.lastIndex = 0;
      for (let m = ENTITY_DECL.exec(subset); m; m = ENTITY_DECL.exec(subset)) this.declaredEntities.add(m[1]!);
    }
    this.doctype = { start: i, end };
    return end;
  }

  private readStartTag(i: number): number {
    const text = this.text;
    const n = this.n;
    const nameEnd = readName(text, i + 1);
    if (nameEnd === i + 1) {
      this.fail(i, i + 2, NOT_WELL_FORMED + `'<' must be followed by an element name, not ${showChar(text, i + 1)} (write &lt; for a literal '<')`);
    }
    const name = text.slice(i + 1, nameEnd);
    const attributes: XmlAttribute[] = [];
    let seen: Set<string> | undefined;
    let p = nameEnd;
    let selfClosing = false;
    for (;;) {
      const wsStart = p;
      while (p < n && isWs(text.charCodeAt(p))) p++;
      if (p >= n) {
        this.fail(i, nameEnd, NOT_WELL_FORMED + `start tag '<${clip(name)}' (line ${this.line(i)}) is never closed with '>'`);
      }
      const c = text.charCodeAt(p);
      if (c === 62 /* > */) {
        p++;
        break;
      }
      if (c === 47 /* / */) {
        if (text.charCodeAt(p + 1) === 62) {
          p += 2;
          selfClosing = true;
          break;
        }
        this.fail(p, p + 1, NOT_WELL_FORMED + `expected '/>' or '>' in start tag '<${clip(name)}'`);
      }
      const nameStart = p;
      const attrNameEnd = readName(text, p);
      if (attrNameEnd === p) {
        const hint = c === 60 ? ` (is '>' missing at the end of '<${clip(name)}'?)` : '';
        this.fail(p, p + 1, NOT_WELL_FORMED + `unexpected ${showChar(text, p)} in start tag '<${clip(name)}'${hint}`);
      }
      const attrName = text.slice(nameStart, attrNameEnd);
      if (p === wsStart) {
        this.fail(p, attrNameEnd, NOT_WELL_FORMED + `missing whitespace before attribute '${clip(attrName)}' in '<${clip(name)}'`);
      }
      p = attrNameEnd;
      while (p < n && isWs(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 61 /* = */) {
        this.fail(nameStart, attrNameEnd, NOT_WELL_FORMED + `attribute '${clip(attrName)}' of '<${clip(name)}' has no value (expected '="..."')`);
      }
      p++;
      while (p < n && isWs(text.charCodeAt(p))) p++;
      const q = text.charCodeAt(p);
      if (q !== 34 && q !== 39) {
        this.fail(p, p + 1, NOT_WELL_FORMED + `value of attribute '${clip(attrName)}' in '<${clip(name)}' must be in quotes`);
      }
      const valueStart = p + 1;
      const valueEnd = text.indexOf(q === 34 ? '"' : "'", valueStart);
      if (valueEnd < 0) {
        this.fail(p, p + 1, NOT_WELL_FORMED + `value of attribute '${clip(attrName)}' in '<${clip(name)}' has no closing quote`);
      }
      const value = this.decode(valueStart, valueEnd, true, attrName);
      if (attributes.length > 0) {
        seen ??= new Set(attributes.map((x) => x.name));
        if (seen.has(attrName)) {
          this.fail(nameStart, attrNameEnd, NOT_WELL_FORMED + `attribute '${clip(attrName)}' appears twice in '<${clip(name)}'`);
        }
        seen.add(attrName);
      }
      p = valueEnd + 1;
      attributes.push({
        name: attrName,
        value,
        span: this.spans.span(nameStart, p),
        nameSpan: this.spans.span(nameStart, attrNameEnd),
        valueSpan: this.spans.span(valueStart, valueEnd),
        valueStart,
        valueEnd,
      });
    }
    const parent = this.stack[this.stack.length - 1];
    const colon = name.indexOf(':');
    const startTagSpan = this.spans.span(i, p);
    const element: XmlElement = {
      name,
      localName: colon >= 0 ? name.slice(colon + 1) : name,
      attributes,
      children: [],
      text: '',
      span: selfClosing ? { ...startTagSpan } : startTagSpan,
      startTagSpan,
      nameSpan: this.spans.span(i + 1, nameEnd),
      start: i,
      startTagEnd: p,
      end: p,
      selfClosing,
      parent,
    };
    if (parent) parent.children.push(element);
    else this.topLevel.push(element);
    if (!selfClosing) {
      this.stack.push(element);
      if (this.stack.length > MAX_XML_DEPTH) {
        this.fail(i, p, `XML nesting too deep: more than ${MAX_XML_DEPTH} nested elements (line ${this.line(i)})`);
      }
    }
    return p;
  }

  private readEndTag(i: number): number {
    const text = this.text;
    const nameEnd = readName(text, i + 2);
    if (nameEnd === i + 2) this.fail(i, i + 3, NOT_WELL_FORMED + `'</' must be followed by an element name, not ${showChar(text, i + 2)}`);
    const name = text.slice(i + 2, nameEnd);
    let p = nameEnd;
    while (p < this.n && isWs(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) !== 62) {
      this.fail(i, p, NOT_WELL_FORMED + `end tag '</${clip(name)}' must end with '>', found ${showChar(text, p)}`);
    }
    p++;
    const top = this.stack.pop();
    if (!top) this.fail(i, p, NOT_WELL_FORMED + `closing tag '</${clip(name)}>' has no matching start tag`);
    if (top.name !== name) {
      this.fail(i, p, NOT_WELL_FORMED + `expected closing tag '${clip(top.name)}' (opened in line ${this.line(top.start)}) instead of '${clip(name)}'`);
    }
    top.end = p;
    top.span = this.spans.span(top.start, p);
    return p;
  }

  /**
   * Decodes character data or an attribute value: predefined entities and character references;
   * line ends become '\n' (text) or ' ' (attribute values, as is tab, per attribute-value
   * normalisation). References to DOCTYPE-declared entities are kept as written.
   */
  private decode(from: number, to: number, attribute: boolean, owner: string): string {
    const text = this.text;
    let out = '';
    let chunk = from;
    for (let k = from; k < to; k++) {
      const c = text.charCodeAt(k);
      if (c === 38 /* & */) {
        out += text.slice(chunk, k);
        REF_RE.lastIndex = k;
        const m = REF_RE.exec(text);
        if (!m || k + m[0].length > to) {
          this.fail(k, k + 1, NOT_WELL_FORMED + `'&' must start a reference like '&amp;' or '&#38;' (write &amp; for a literal '&')`);
        }
        const ref = m[0];
        if (m[3] !== undefined) {
          const predefined = PREDEFINED[m[3]];
          if (predefined !== undefined) out += predefined;
          else if (this.declaredEntities.has(m[3]) || this.externalDeclarations) out += ref;
          else {
            this.fail(k, k + ref.length, NOT_WELL_FORMED + `entity '${clip(ref)}' is not defined (XML knows only &lt; &gt; &amp; &quot; &apos; and character references like &#160;)`);
          }
        } else {
          const digits = m[1] ?? m[2]!;
          const significant = digits.replace(/^0+/, '');
          const cp = significant.length > 8 ? -1 : parseInt(significant || '0', m[1] !== undefined ? 16 : 10);
          if (!isXmlChar(cp)) this.fail(k, k + ref.length, NOT_WELL_FORMED + `character reference '${clip(ref)}' is not an allowed XML character`);
          out += String.fromCodePoint(cp);
        }
        k += ref.length - 1;
        chunk = k + 1;
      } else if (c === 13 /* CR */) {
        out += text.slice(chunk, k) + (attribute ? ' ' : '\n');
        if (text.charCodeAt(k + 1) === 10 && k + 1 < to) k++;
        chunk = k + 1;
      } else if (attribute) {
        if (c === 10 || c === 9) {
          out += text.slice(chunk, k) + ' ';
          chunk = k + 1;
        } else if (c === 60 /* < */) {
          this.fail(k, k + 1, NOT_WELL_FORMED + `'<' is not allowed in the value of attribute '${clip(owner)}' (write &lt; instead; or is a closing quote missing?)`);
        }
      } else if (c === 62 /* > */ && k - 2 >= from && text.charCodeAt(k - 1) === 93 && text.charCodeAt(k - 2) === 93) {
        this.fail(k - 2, k + 1, NOT_WELL_FORMED + `']]>' is not allowed in the text of '${clip(owner)}' outside a CDATA section`);
      }
    }
    return chunk === from ? text.slice(from, to) : out + text.slice(chunk, to);
  }
}

function normaliseEol(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

/** Offset of fast-xml-parser validator's (line, col): it splits lines on /\r?\n/ and drops a leading BOM. */
function validatorOffset(text: string, line: number, col: number | undefined): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  offset += Math.max((col ?? 1) - 1, 0);
  if (text.charCodeAt(0) === 0xfeff && line <= 1) offset++;
  return Math.min(offset, text.length);
}

/** fast-xml-parser's verdict on the text; the DOCTYPE (checked by the scan) is blanked out because the validator misreads '>' inside its literals. */
function validatorProblem(text: string, index: LineIndex, doctype: { start: number; end: number } | undefined): ParseProblem | undefined {
  let input = text;
  if (doctype) {
    input = text.slice(0, doctype.start) + text.slice(doctype.start, doctype.end).replace(/[^\r\n]/g, ' ') + text.slice(doctype.end);
  }
  let result: ReturnType<typeof XMLValidator.validate>;
  try {
    result = XMLValidator.validate(input);
  } catch {
    return undefined; // no verdict from the validator: the scan's stands
  }
  if (result === true) return undefined;
  const { msg, line, col } = result.err;
  const offset = validatorOffset(text, line, col);
  const message = msg === 'Start tag expected.' ? 'XML has no root element' : NOT_WELL_FORMED + clipMessage(msg.replace(/\.$/, ''));
  return { message, span: index.span(offset, Math.min(offset + 1, text.length)) };
}

function clipMessage(s: string): string {
  return s.length <= 300 ? s : s.slice(0, 297) + '...';
}

function firstNonWs(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length && isWs(text.charCodeAt(i))) i++;
  return i;
}

function parseChecked(source: SourceText, text: string): XmlDocument {
  const index = new LineIndex(source.file, text);
  const doc: XmlDocument = { kind: 'xml', source, root: undefined, comments: [], declaredEncoding: undefined, problems: [] };
  const problem = (message: string, start: number, end: number): void => {
    doc.problems.push({ message, span: index.span(start, end) });
  };

  const first = firstNonWs(text);
  if (first >= text.length) {
    problem('empty file: no root element', 0, 0);
    return doc;
  }
  const bad = FORBIDDEN_CHAR.exec(text);
  if (bad) {
    const at = bad.index;
    const { line, column } = index.position(at);
    const c = text.charCodeAt(at);
    if (c === 0 || text.charCodeAt(first) !== 60) {
      problem(`not an XML file: binary data at line ${line}, column ${column} (${hex4(c)})`, at, at + 1);
    } else {
      problem(`${NOT_WELL_FORMED}character ${hex4(c)} is not allowed in XML (line ${line}, column ${column})`, at, at + 1);
    }
    return doc;
  }
  if (text.charCodeAt(first) !== 60) {
    const { line, column } = index.position(first);
    problem(`not an XML file: it starts with text, not '<' (line ${line}, column ${column})`, first, first + 1);
    return doc;
  }

  const scan = new Scanner(text, source.file, index).run();
  doc.comments = scan.comments;
  doc.declaredEncoding = scan.declaredEncoding;
  const { topLevel } = scan;
  if (topLevel.length > 1) {
    const second = topLevel[1]!;
    const lines = topLevel.slice(0, 5).map((e) => `'${clip(e.name)}' (line ${index.position(e.start).line})`).join(', ');
    doc.problems.push({
      message: `XML fragment: ${topLevel.length} top-level elements; Tomcat needs exactly one root: ${lines}${topLevel.length > 5 ? ', ...' : ''}`,
      span: second.startTagSpan,
    });
  }
  if (scan.error) {
    problem(scan.error.message, scan.error.start, scan.error.end);
  } else if (topLevel.length === 0) {
    problem('XML has no root element', first, first);
  }
  // The validator's second opinion only where it can differ: without a DOCTYPE the scan is at
  // least as strict (fuzzed: test/robustness/parsers.fuzz.test.ts), and the validator would
  // cost a second pass over every file.
  if (doc.problems.length === 0 && scan.doctype) {
    const verdict = validatorProblem(text, index, scan.doctype);
    if (verdict) doc.problems.push(verdict);
  }
  if (doc.problems.length === 0) doc.root = topLevel[0];
  return doc;
}

/**
 * Parses an XML file into elements, attributes and comments with positions. Never throws:
 * anything wrong with the input becomes a problem, and `root` is undefined unless the
 * document is well-formed with exactly one root element.
 */
export function parseXml(source: SourceText): XmlDocument {
  try {
    const text = typeof source.text === 'string' ? source.text : '';
    return parseChecked(source, text);
  } catch (e) {
    const reason = e instanceof RangeError ? 'input too large or too deeply nested' : e instanceof Error ? e.message : String(e);
    const file = typeof source?.file === 'string' ? source.file : '';
    const span: Span = fileStartSpan(file);
    return {
      kind: 'xml',
      source,
      root: undefined,
      comments: [],
      declaredEncoding: undefined,
      problems: [{ message: `XML could not be parsed: ${reason}`, span }],
    };
  }
}
