import iconv from 'iconv-lite';
import type { SourceText } from '../parsers/source.js';

const BOMS: Record<string, number[]> = {
  'utf-8': [0xef, 0xbb, 0xbf],
  'utf-16le': [0xff, 0xfe],
  'utf-16be': [0xfe, 0xff],
};

/** The WHATWG name of a label, or undefined when the platform does not know it. */
function canonical(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return undefined;
  }
}

/** Ways to turn text into bytes for an encoding label, most likely first. */
function encoders(label: string, name: string): ((text: string) => Buffer)[] {
  if (name === 'utf-8') return [(t) => Buffer.from(t, 'utf8')];
  if (name === 'utf-16le') return [(t) => Buffer.from(t, 'utf16le')];
  const out: ((text: string) => Buffer)[] = [];
  // `iso-8859-1` is windows-1252 to WHATWG, but Node's decoder reads it as plain latin1.
  if (name === 'windows-1252') out.push((t) => Buffer.from(t, 'latin1'));
  for (const n of new Set([label, name])) if (iconv.encodingExists(n)) out.push((t) => iconv.encode(t, n));
  return out;
}

/**
 * Encodes text back into a file's encoding, with its BOM. Undefined when this encoding
 * cannot be written or the text holds characters it cannot represent: writing
 * anyway would silently corrupt the file.
 */
export function encodeText(text: string, encoding: string, bom: boolean): Buffer | undefined {
  const name = canonical(encoding);
  if (!name) return undefined;
  // An encoder counts only when the reader's own decoder gives the text back: lone
  // surrogates, unmappable characters (iconv writes '?') and encoder/decoder
  // disagreements all show up here.
  const decoder = new TextDecoder(encoding);
  let body: Buffer | undefined;
  for (const encode of encoders(encoding, name)) {
    const bytes = encode(text);
    if (decoder.decode(bytes) === text) {
      body = bytes;
      break;
    }
  }
  if (!body || !bom) return body;
  const mark = BOMS[name];
  return mark ? Buffer.concat([Buffer.from(mark), body]) : undefined;
}

/** True when `bytes` are exactly what encoding `source.text` gives back. */
export function reproduces(source: SourceText, bytes: Uint8Array): boolean {
  const again = encodeText(source.text, source.encoding, source.bom);
  return again !== undefined && Buffer.compare(again, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) === 0;
}
