import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LineIndex } from '../../src/parsers/source.js';

/** A finding a fixture says must be there: rule, file (relative to the case), line, column. */
export interface Expectation {
  ruleId: string;
  file: string;
  line: number;
  column: number;
  /** Checked only when the marker names it: `expect: port-conflict(warning)`. */
  severity?: 'error' | 'warning';
}

const XML_MARKER = /<!--\s*expect:\s*([\s\S]*?)-->/g;
const HASH_MARKER = /^[ \t]*#[ \t]*expect:[ \t]*(.*)$/gm;

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function parseItems(list: string): { ruleId: string; at: string | undefined; severity: 'error' | 'warning' | undefined }[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.indexOf('@');
      const head = at < 0 ? item : item.slice(0, at);
      const m = /^(.*?)\((error|warning)\)$/.exec(head);
      return {
        ruleId: m ? m[1]! : head,
        at: at < 0 ? undefined : item.slice(at + 1),
        severity: m ? (m[2] as 'error' | 'warning') : undefined,
      };
    });
}

/**
 * Reads `expect:` markers. In XML a marker names the next element (`rule`) or one of
 * its attributes (`rule@port`); in `#` files the next non-comment line's first
 * character (`rule`) or the first occurrence of a text on that line (`rule@tomcat2`).
 */
export function readExpectations(caseDir: string): Expectation[] {
  const out: Expectation[] = [];
  for (const file of listFiles(caseDir)) {
    const rel = relative(caseDir, file).split(sep).join('/');
    if (rel === 'expect.json') continue;
    const text = readFileSync(file, 'utf8');
    const index = new LineIndex(file, text);
    const push = (item: { ruleId: string; severity: 'error' | 'warning' | undefined }, offset: number) => {
      const p = index.position(offset);
      out.push({ ruleId: item.ruleId, file: rel, line: p.line, column: p.column, ...(item.severity ? { severity: item.severity } : {}) });
    };
    for (const m of text.matchAll(XML_MARKER)) {
      let at = m.index + m[0].length;
      const tagStart = text.indexOf('<', at);
      if (tagStart < 0) throw new Error(`${rel}: expect marker with no element after it`);
      const tagEnd = text.indexOf('>', tagStart);
      const tag = text.slice(tagStart, tagEnd + 1);
      for (const item of parseItems(m[1]!)) {
        if (!item.at) {
          push(item, tagStart);
          continue;
        }
        const attr = new RegExp(`\\s(${item.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})\\s*=`).exec(tag);
        const inTag = attr ? attr.index + 1 : tag.indexOf(item.at);
        if (inTag < 0) throw new Error(`${rel}: marker ${item.ruleId}@${item.at}: not found in ${tag.slice(0, 60)}`);
        push(item, tagStart + inTag);
      }
      at = tagStart;
    }
    if (!file.endsWith('.xml') && !file.endsWith('.default')) {
      for (const m of text.matchAll(HASH_MARKER)) {
        // The next line that is neither blank nor a comment.
        let lineStart = text.indexOf('\n', m.index) + 1;
        while (lineStart > 0 && lineStart < text.length) {
          const end = text.indexOf('\n', lineStart);
          const line = text.slice(lineStart, end < 0 ? text.length : end);
          if (line.trim() !== '' && !line.trim().startsWith('#')) break;
          lineStart = end < 0 ? -1 : end + 1;
        }
        if (lineStart <= 0) throw new Error(`${rel}: expect marker with no line after it`);
        const end = text.indexOf('\n', lineStart);
        const line = text.slice(lineStart, end < 0 ? text.length : end);
        for (const item of parseItems(m[1]!)) {
          const col = item.at ? line.indexOf(item.at) : line.search(/\S/);
          if (col < 0) throw new Error(`${rel}: marker ${item.ruleId}@${item.at}: not found in "${line}"`);
          push(item, lineStart + col);
        }
      }
    }
  }
  const json = join(caseDir, 'expect.json');
  if (existsSync(json)) out.push(...(JSON.parse(readFileSync(json, 'utf8')) as Expectation[]));
  return out.sort(compareExpectations);
}

export function compareExpectations(a: Expectation, b: Expectation): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}
