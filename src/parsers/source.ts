import type { Span } from '../types.js';

export type LineEnding = '\n' | '\r\n' | '\r';

/** A file's decoded text with what is needed to write it back byte-for-byte compatible. */
export interface SourceText {
  file: string;
  text: string;
  /** The encoding the bytes were decoded with (WHATWG label, e.g. 'utf-8', 'gbk', 'utf-16le'). */
  encoding: string;
  bom: boolean;
  eol: LineEnding;
}

const XML_DECL = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/**
 * Decodes a file the way its consumer would: a BOM wins, then an XML declaration's
 * encoding (Tomcat honours it; the seed's files are GBK), else UTF-8.
 */
export function decode(file: string, bytes: Uint8Array): SourceText {
  let encoding = 'utf-8';
  let bom = false;
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    bom = true;
    start = 3;
  } else if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    bom = true;
    start = 2;
  } else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    bom = true;
    start = 2;
  } else if (bytes.length >= 4 && bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) {
    encoding = 'utf-16le';
  } else if (bytes.length >= 4 && bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) {
    encoding = 'utf-16be';
  } else {
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    const declared = XML_DECL.exec(head)?.[1];
    if (declared && !/^utf-?8$/i.test(declared)) encoding = normaliseLabel(declared);
  }
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: false }).decode(bytes.subarray(start));
    if (WINDOWS_1252.has(encoding)) text = fixWindows1252(text);
  } catch {
    // An encoding name the platform does not know: read it as UTF-8 rather than fail.
    encoding = 'utf-8';
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(start));
  }
  return { file, text, encoding, bom, eol: detectEol(text) };
}

const WINDOWS_1252 = new Set(['windows-1252', 'cp1252', 'x-cp1252']);
/** windows-1252's characters at 0x80–0x9F (where ISO-8859-1 has C1 controls); 0 = unassigned, left as is. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];

/**
 * Node 20's TextDecoder decodes 'windows-1252' as ISO-8859-1 (0x80–0x9F come out as C1
 * controls); Java, and so Tomcat, gives `€`, `œ`, `“` there. Maps those 32 characters.
 */
function fixWindows1252(text: string): string {
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] || c.charCodeAt(0))) : text;
}

function normaliseLabel(label: string): string {
  const l = label.toLowerCase();
  if (l === 'gb2312' || l === 'gb_2312-80') return 'gbk';
  return l;
}

function detectEol(text: string): LineEnding {
  const i = text.indexOf('\n');
  if (i > 0 && text.charCodeAt(i - 1) === 13) return '\r\n';
  if (i < 0 && text.includes('\r')) return '\r';
  return '\n';
}

/** Maps character offsets to 1-based line/column. A CRLF counts as one line break. */
export class LineIndex {
  readonly lineStarts: number[];

  constructor(readonly file: string, readonly text: string) {
    const starts = [0];
    // Jumps from break to break with the native search: a LF ends a line, and so does a CR
    // not followed by a LF (a CRLF ends its line at the LF).
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    while (lf >= 0 || cr >= 0) {
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (text.charCodeAt(cr + 1) !== 10) starts.push(cr + 1);
        cr = text.indexOf('\r', cr + 1);
      } else {
        starts.push(lf + 1);
        lf = text.indexOf('\n', lf + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  span(start: number, end: number): Span {
    const a = this.position(start);
    const b = this.position(Math.max(start, end));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** Offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line - 1, 0), this.lineStarts.length - 1)]!;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

/** A span covering a whole file's first line: where a problem without a better position goes. */
export function fileStartSpan(file: string): Span {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
