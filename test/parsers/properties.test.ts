import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '../../src/parsers/source.js';
import { parseProperties } from '../../src/parsers/properties.js';
import type { Span } from '../../src/types.js';

const src = (text: string, file = 'workers.properties') => decode(file, Buffer.from(text));
const pos = (s: Span) => [s.line, s.column, s.endLine, s.endColumn];

describe('parseProperties', () => {
  it('gives exact spans and offsets for keys and values', () => {
    const text = 'worker.list=lb\n  worker.lb.type = lb  \n';
    const doc = parseProperties(src(text));
    expect(doc.kind).toBe('properties');
    expect(doc.problems).toEqual([]);
    expect(doc.entries.map((e) => [e.key, e.value])).toEqual([
      ['worker.list', 'lb'],
      ['worker.lb.type', 'lb'],
    ]);
    const [a, b] = doc.entries;
    expect(pos(a!.keySpan)).toEqual([1, 1, 1, 12]);
    expect(pos(a!.valueSpan)).toEqual([1, 13, 1, 15]);
    expect(pos(a!.span)).toEqual([1, 1, 1, 15]);
    expect(pos(b!.keySpan)).toEqual([2, 3, 2, 17]);
    expect(pos(b!.valueSpan)).toEqual([2, 20, 2, 22]);
    expect(pos(b!.span)).toEqual([2, 3, 2, 22]);
    expect(a!.keySpan.file).toBe('workers.properties');
    for (const e of doc.entries) {
      expect(text.slice(e.keyStart, e.keyEnd)).toBe(e.key);
      expect(text.slice(e.valueStart, e.valueEnd)).toBe(e.value);
    }
  });

  it('treats a # anywhere as the start of a comment, as mod_jk does', () => {
    const text = '# header\nworker.a.host=web#1 # trailing\n   #indented\nworker.a.port=8009#\n';
    const doc = parseProperties(src(text));
    expect(doc.entries.map((e) => [e.key, e.value])).toEqual([
      ['worker.a.host', 'web'],
      ['worker.a.port', '8009'],
    ]);
    expect(pos(doc.entries[0]!.valueSpan)).toEqual([2, 15, 2, 18]);
    expect(doc.comments.map((c) => c.text)).toEqual(['header', '1 # trailing', 'indented', '']);
    expect(doc.comments.map((c) => pos(c.span))).toEqual([
      [1, 1, 1, 9],
      [2, 18, 2, 31],
      [3, 4, 3, 13],
      [4, 19, 4, 20],
    ]);
  });

  it('splits on the first = and allows spaces, tabs and an empty value', () => {
    const text = '/app/*=lb\n!/img/*.gif = lb\nkey==x=y\n\tworker.a.type\t=\tajp13\nworker.a.redirect=\nworker.b.x =   \n';
    const doc = parseProperties(src(text, 'uriworkermap.properties'));
    expect(doc.problems).toEqual([]);
    expect(doc.entries.map((e) => [e.key, e.value])).toEqual([
      ['/app/*', 'lb'],
      ['!/img/*.gif', 'lb'],
      ['key', '=x=y'],
      ['worker.a.type', 'ajp13'],
      ['worker.a.redirect', ''],
      ['worker.b.x', ''],
    ]);
    const tab = doc.entries[3]!;
    expect(pos(tab.keySpan)).toEqual([4, 2, 4, 15]);
    expect(pos(tab.valueSpan)).toEqual([4, 18, 4, 23]);
    const empty = doc.entries[4]!;
    expect(pos(empty.valueSpan)).toEqual([5, 19, 5, 19]);
    expect(empty.valueStart).toBe(empty.valueEnd);
    expect(text.charAt(empty.valueStart - 1)).toBe('=');
    const spaced = doc.entries[5]!;
    expect(pos(spaced.valueSpan)).toEqual([6, 13, 6, 13]);
    expect(pos(spaced.span)).toEqual([6, 1, 6, 13]);
  });

  it('keeps repeated keys as separate entries in file order', () => {
    const doc = parseProperties(src('worker.list=a\nworker.list=b\nworker.list=a,c\n'));
    expect(doc.entries.map((e) => [e.key, e.value, e.keySpan.line])).toEqual([
      ['worker.list', 'a', 1],
      ['worker.list', 'b', 2],
      ['worker.list', 'a,c', 3],
    ]);
  });

  it('reports a line without = at its first non-space character', () => {
    const doc = parseProperties(src('worker.list=lb\n\n   worker.lb.type lb  # no equals\n=orphan\n'));
    expect(doc.entries).toHaveLength(1);
    expect(doc.problems).toHaveLength(2);
    expect(doc.problems[0]!.message).toBe('line is not key=value');
    expect(pos(doc.problems[0]!.span)).toEqual([3, 4, 3, 21]);
    expect(doc.problems[1]!.message).toMatch(/missing key/);
    expect(pos(doc.problems[1]!.span)).toEqual([4, 1, 4, 8]);
  });

  it('takes a trailing backslash literally (no continuation in mod_jk)', () => {
    const doc = parseProperties(src('worker.lb.balance_workers=a,\\\n  b\n'));
    expect(doc.entries.map((e) => [e.key, e.value])).toEqual([['worker.lb.balance_workers', 'a,\\']]);
    expect(doc.problems.map((p) => [p.message, p.span.line, p.span.column])).toEqual([['line is not key=value', 2, 3]]);
  });

  it('gives the same lines and columns for LF, CRLF and lone CR', () => {
    const lines = ['# c', 'worker.list=lb', '  worker.lb.type = lb # x', '', 'bad line', 'a='];
    const project = (eol: string) => {
      const doc = parseProperties(src(lines.join(eol) + eol));
      return {
        entries: doc.entries.map((e) => [e.key, e.value, pos(e.keySpan), pos(e.valueSpan), pos(e.span)]),
        comments: doc.comments.map((c) => [c.text, pos(c.span)]),
        problems: doc.problems.map((p) => [p.message, pos(p.span)]),
      };
    };
    const lf = project('\n');
    expect(lf.entries).toHaveLength(3);
    expect(project('\r\n')).toEqual(lf);
    expect(project('\r')).toEqual(lf);
  });

  it('handles a file without a final newline, an empty file and a BOM', () => {
    expect(parseProperties(src('')).entries).toEqual([]);
    expect(parseProperties(src('a=b')).entries.map((e) => pos(e.valueSpan))).toEqual([[1, 3, 1, 4]]);
    const bom = parseProperties(decode('w.properties', Buffer.from('\ufeffa=b\n')));
    expect(bom.entries.map((e) => [e.key, pos(e.keySpan)])).toEqual([['a', [1, 1, 1, 2]]]);
  });

  it('never throws on junk and stays fast on a 2,000,000-character line', () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
    expect(() => parseProperties(decode('junk', junk))).not.toThrow();
    expect(() => parseProperties(src('\0\0=\0\r\r\n\r#\0\n=\n==\n \\\n'))).not.toThrow();
    const t0 = performance.now();
    const long = parseProperties(src('k=' + 'x'.repeat(2_000_000) + '\n' + 'y'.repeat(2_000_000) + '\n' + '#'.repeat(2_000_000)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(long.entries[0]!.value).toHaveLength(2_000_000);
    expect(long.problems).toHaveLength(1);
    // Many short lines without '#': no scan runs past its own line.
    const many = 'worker.a.b=c\n'.repeat(200_000);
    const t1 = performance.now();
    expect(parseProperties(src(many)).entries).toHaveLength(200_000);
    expect(performance.now() - t1).toBeLessThan(2000);
  });

  it('never throws for arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '=', '#', ' ', '\t', '\r', '\n', '\\', '\0', 'é') }), (text) => {
        const doc = parseProperties(src(text));
        for (const e of doc.entries) {
          expect(text.slice(e.keyStart, e.keyEnd)).toBe(e.key);
          expect(text.slice(e.valueStart, e.valueEnd)).toBe(e.value);
        }
      }),
    );
  });

  it('parses the real-world workers/uriworkermap files in the corpus', () => {
    const files = corpusFiles().filter((f) => /(workers?|uriworkermap)\.properties$/.test(f) && !/workers[23]\.properties$/.test(f));
    for (const f of files) {
      const doc = parseProperties(decode(f, readFileSync(f)));
      expect(doc.problems, f).toEqual([]);
      expect(doc.entries.length, f).toBeGreaterThan(0);
    }
  });
});

function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk('/work/shared/corpus/B');
  walk('/work/shared/corpus/sets');
  return out;
}
