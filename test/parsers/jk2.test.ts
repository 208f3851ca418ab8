import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '../../src/parsers/source.js';
import { parseJk2 } from '../../src/parsers/jk2.js';
import type { Span } from '../../src/types.js';

const src = (text: string, file = 'workers2.properties') => decode(file, Buffer.from(text));
const pos = (s: Span) => [s.line, s.column, s.endLine, s.endColumn];

const SEED = `[shm]
info=Scoreboard. Requried for reconfiguration and status with multiprocess servers.
file=anon
\t\t# Defines a load balancer named lb. Use even if you only have one machine.
[lb:lb]
worker=ajp13:tomcat1
worker=ajp13:tomcat2
\t\t# Example socket channel, override port and host.
[channel.socket:localhost:9009]
port=9009
host=127.0.0.1
\t\t# define the worker
[ajp13:localhost:9009]
channel=channel.socket:localhost:9009
group=lb
`;

describe('parseJk2', () => {
  it('reads the seed workers2.properties into sections and entries', () => {
    const doc = parseJk2(src(SEED));
    expect(doc.kind).toBe('jk2');
    expect(doc.problems).toEqual([]);
    expect(doc.globals).toEqual([]);
    expect(
      doc.sections.map((s) => [s.type, s.name, s.inline, s.entries.map((e) => `${e.key}=${e.value}`)]),
    ).toEqual([
      ['shm', '', false, ['info=Scoreboard. Requried for reconfiguration and status with multiprocess servers.', 'file=anon']],
      ['lb', 'lb', false, ['worker=ajp13:tomcat1', 'worker=ajp13:tomcat2']],
      ['channel.socket', 'localhost:9009', false, ['port=9009', 'host=127.0.0.1']],
      ['ajp13', 'localhost:9009', false, ['channel=channel.socket:localhost:9009', 'group=lb']],
    ]);
    expect(doc.comments.map((c) => [c.text, pos(c.span)])).toEqual([
      ['Defines a load balancer named lb. Use even if you only have one machine.', [4, 3, 4, 77]],
      ['Example socket channel, override port and host.', [8, 3, 8, 52]],
      ['define the worker', [12, 3, 12, 22]],
    ]);
    const ch = doc.sections[2]!;
    expect(pos(ch.headerSpan)).toEqual([9, 1, 9, 32]);
    expect(pos(ch.typeSpan)).toEqual([9, 2, 9, 16]);
    expect(pos(ch.nameSpan)).toEqual([9, 17, 9, 31]);
    const shm = doc.sections[0]!;
    expect(pos(shm.headerSpan)).toEqual([1, 1, 1, 6]);
    expect(pos(shm.typeSpan)).toEqual([1, 2, 1, 5]);
    expect(pos(shm.nameSpan)).toEqual([1, 5, 1, 5]);
    const port = ch.entries[0]!;
    expect(pos(port.keySpan)).toEqual([10, 1, 10, 5]);
    expect(pos(port.valueSpan)).toEqual([10, 6, 10, 10]);
  });

  it('splits headers at the first colon only', () => {
    const doc = parseJk2(src('[uri:/clusterapp/*]\nworker=lb:lb\n[lb:]\n[channel.socket:127.0.0.1:8009]\n[logger.file:0]\n'));
    expect(doc.sections.map((s) => [s.type, s.name])).toEqual([
      ['uri', '/clusterapp/*'],
      ['lb', ''],
      ['channel.socket', '127.0.0.1:8009'],
      ['logger.file', '0'],
    ]);
    expect(pos(doc.sections[1]!.nameSpan)).toEqual([3, 5, 3, 5]);
    expect(doc.problems).toEqual([]);
  });

  it('puts entries before the first header into globals', () => {
    const doc = parseJk2(src('# top\nfoo=bar\n[shm]\nfile=anon\n'));
    expect(doc.globals.map((e) => [e.key, e.value, pos(e.keySpan)])).toEqual([['foo', 'bar', [2, 1, 2, 4]]]);
    expect(doc.sections[0]!.entries.map((e) => e.key)).toEqual(['file']);
  });

  it('turns type:name.prop=value into an inline section of its own', () => {
    const text = 'channel.socket:localhost:8009.port=8009\n[lb:lb]\nworker=a\n  channel.socket:127.0.0.1:8010.host = 127.0.0.1\nworker=b\n';
    const doc = parseJk2(src(text));
    expect(doc.problems).toEqual([]);
    expect(doc.globals).toEqual([]);
    expect(doc.sections.map((s) => [s.type, s.name, s.inline, s.entries.map((e) => `${e.key}=${e.value}`)])).toEqual([
      ['channel.socket', 'localhost:8009', true, ['port=8009']],
      ['lb', 'lb', false, ['worker=a', 'worker=b']],
      ['channel.socket', '127.0.0.1:8010', true, ['host=127.0.0.1']],
    ]);
    const first = doc.sections[0]!;
    expect(pos(first.typeSpan)).toEqual([1, 1, 1, 15]);
    expect(pos(first.nameSpan)).toEqual([1, 16, 1, 30]);
    expect(pos(first.headerSpan)).toEqual([1, 1, 1, 30]);
    const port = first.entries[0]!;
    expect(pos(port.keySpan)).toEqual([1, 31, 1, 35]);
    expect(text.slice(port.keyStart, port.keyEnd)).toBe('port');
    expect(pos(port.valueSpan)).toEqual([1, 36, 1, 40]);
    expect(pos(port.span)).toEqual([1, 1, 1, 40]);
    const host = doc.sections[2]!.entries[0]!;
    expect(pos(host.keySpan)).toEqual([4, 33, 4, 37]);
    expect(pos(host.valueSpan)).toEqual([4, 40, 4, 49]);
  });

  it('leaves keys with a colon but no property as ordinary entries', () => {
    const doc = parseJk2(src('[shm]\na:b=1\nc.d:e=2\nf:g.=3\n'));
    expect(doc.sections).toHaveLength(1);
    expect(doc.sections[0]!.entries.map((e) => e.key)).toEqual(['a:b', 'c.d:e', 'f:g.']);
  });

  it('strips trailing # comments after values and headers', () => {
    const doc = parseJk2(src('[ajp13:localhost:8009] # the worker\nchannel=channel.socket:localhost:8009 # its channel\n'));
    expect(doc.sections[0]!.name).toBe('localhost:8009');
    expect(doc.sections[0]!.entries[0]!.value).toBe('channel.socket:localhost:8009');
    expect(doc.comments.map((c) => c.text)).toEqual(['the worker', 'its channel']);
    expect(doc.problems).toEqual([]);
  });

  it('reports malformed headers and non key=value lines but keeps going', () => {
    const doc = parseJk2(src('[abc\nx=1\n[]\n[shm] junk\nnot a pair\n[lb:lb]\nworker=w\n'));
    expect(doc.problems.map((p) => [p.span.line, p.message])).toEqual([
      [1, "section header is missing its closing ']'"],
      [3, 'section header has no type'],
      [4, "unexpected text after section header ']'"],
      [5, 'line is not key=value'],
    ]);
    expect(pos(doc.problems[0]!.span)).toEqual([1, 1, 1, 5]);
    expect(pos(doc.problems[3]!.span)).toEqual([5, 1, 5, 11]);
    expect(doc.sections.map((s) => [s.type, s.entries.length])).toEqual([
      ['abc', 1],
      ['', 0],
      ['shm', 0],
      ['lb', 1],
    ]);
  });

  it('gives the same positions for LF, CRLF and CR', () => {
    const project = (eol: string) => {
      const doc = parseJk2(src(SEED.replace(/\n/g, eol)));
      // Offsets differ with the line ending; lines and columns must not.
      return JSON.stringify([
        doc.sections.map((s) => [s.type, s.name, s.headerSpan, s.typeSpan, s.nameSpan, s.entries.map((e) => [e.key, e.value, e.keySpan, e.valueSpan, e.span])]),
        doc.comments,
        doc.problems,
      ]);
    };
    expect(project('\r\n')).toBe(project('\n'));
    expect(project('\r')).toBe(project('\n'));
  });

  it('never throws on junk and stays fast on a 2,000,000-character line', () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 104729 + 7) & 0xff;
    expect(() => parseJk2(decode('junk', junk))).not.toThrow();
    expect(() => parseJk2(src('[\n]\n[:]\n:=\n:.=\n.:=\n[\0]\r\0=\0'))).not.toThrow();
    const t0 = performance.now();
    const doc = parseJk2(src('[' + 'a:'.repeat(1_000_000) + '\n' + 'x:' + 'y.'.repeat(1_000_000) + 'z=1\n' + '['.repeat(2_000_000)));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(doc.sections.map((s) => [s.inline, s.entries.map((e) => e.key)])).toEqual([
      [false, []],
      [true, ['z']],
      [false, []],
    ]);
  });

  it('never throws for arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '=', '#', ' ', '\t', '\r', '\n', '[', ']', ':', '.', '\0') }), (text) => {
        const doc = parseJk2(src(text));
        for (const s of doc.sections) {
          for (const e of s.entries) expect(text.slice(e.keyStart, e.keyEnd)).toBe(e.key);
        }
      }),
    );
  });

  it('parses the workers2-style files in the corpus', () => {
    const files = corpusFiles().filter((f) => /workers[23]\.properties$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const doc = parseJk2(decode(f, readFileSync(f)));
      expect(doc.problems, f).toEqual([]);
      expect(doc.sections.length, f).toBeGreaterThan(0);
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
