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
  } catch {
    // An encoding name the platform does not know: read it as UTF-8 rather than fail.
    encoding = 'utf-8';
    text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(start));
  }
  return { file, text, encoding, bom, eol: detectEol(text) };
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
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
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
