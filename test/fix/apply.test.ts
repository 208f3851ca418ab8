import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWritable, fixUntilStable, MAX_PASSES, planFixes, unifiedDiff, writeChanges } from '../../src/fix/apply.js';
import { encodeText } from '../../src/fix/encoding.js';
import type { LintResult } from '../../src/lint.js';
import type { ClusterModel } from '../../src/model/types.js';
import { decode, type SourceText } from '../../src/parsers/source.js';
import type { Finding, TextEdit } from '../../src/types.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cl-fix-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function put(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function read(file: string): SourceText {
  return decode(file, readFileSync(file));
}

function finding(edits: TextEdit[], ruleId = 'missing-distributable'): Finding {
  const file = edits[0]!.file;
  return {
    ruleId,
    severity: 'error',
    message: 'm',
    span: { file, line: 1, column: 1, endLine: 1, endColumn: 1 },
    related: [],
    fix: { description: 'd', edits },
  };
}

/** Inserts `<distributable/>` after `<web-app ...>` with the indentation of the next line, as the rule will. */
function distributableFix(source: SourceText): Finding {
  const open = source.text.indexOf('>', source.text.indexOf('<web-app')) + 1;
  return finding([{ file: source.file, start: open, end: open, text: '\n    <distributable/>' }]);
}

function applyOnce(findings: Finding[], sources: SourceText[]) {
  const plan = planFixes(findings, new Map(sources.map((s) => [s.file, s])));
  return { plan, out: writeChanges(plan.changes) };
}

const WEB_XML_GBK =
  '<?xml version="1.0" encoding="GBK"?>\r\n<!-- 集群测试应用 -->\r\n<web-app version="2.4">\r\n    <display-name>集群</display-name>\r\n</web-app>\r\n';

describe('writing fixes back', () => {
  it('keeps GBK and CRLF: inserted line breaks become CRLF, Chinese text stays GBK bytes', () => {
    const file = put('web.xml', iconv.encode(WEB_XML_GBK, 'gbk'));
    const source = read(file);
    expect(source.encoding).toBe('gbk');
    expect(source.eol).toBe('\r\n');
    const { plan, out } = applyOnce([distributableFix(source)], [source]);
    expect(plan.applied).toHaveLength(1);
    expect(out).toEqual({ written: [file], skipped: [] });
    const bytes = readFileSync(file);
    const expected = WEB_XML_GBK.replace('<web-app version="2.4">', '<web-app version="2.4">\r\n    <distributable/>');
    expect(bytes.equals(iconv.encode(expected, 'gbk'))).toBe(true);
    // No bare LF anywhere: every line ends CRLF.
    expect(bytes.toString('latin1')).not.toMatch(/[^\r]\n/);
  });

  it('keeps a UTF-8 BOM', () => {
    const text = '<web-app>\n  <display-name>x</display-name>\n</web-app>\n';
    const file = put('web.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const source = read(file);
    expect(source.bom).toBe(true);
    applyOnce([distributableFix(source)], [source]);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('<web-app>\n    <distributable/>\n  <display-name>x</display-name>\n</web-app>\n');
  });

  it('keeps UTF-16LE with its BOM', () => {
    const text = '<?xml version="1.0" encoding="UTF-16"?>\r\n<web-app>\r\n</web-app>\r\n';
    const file = put('web.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const source = read(file);
    expect(source.encoding).toBe('utf-16le');
    applyOnce([distributableFix(source)], [source]);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(text.replace('<web-app>', '<web-app>\r\n    <distributable/>'));
  });

  it('writes ISO-8859-1 files as the windows-1252 they were decoded as', () => {
    const text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!-- Café € -->\n<web-app>\n</web-app>\n';
    const file = put('web.xml', iconv.encode(text, 'windows-1252'));
    const source = read(file);
    applyOnce([distributableFix(source)], [source]);
    expect(readFileSync(file).equals(iconv.encode(text.replace('<web-app>', '<web-app>\n    <distributable/>'), 'windows-1252'))).toBe(true);
  });

  it('keeps old Mac CR line endings', () => {
    const file = put('workers.properties', Buffer.from('worker.list=lb\rworker.t1.cachesize=10\r'));
    const source = read(file);
    const start = source.text.indexOf('cachesize');
    applyOnce([finding([{ file, start, end: start + 'cachesize'.length, text: 'connection_pool_size' }])], [source]);
    expect(readFileSync(file, 'latin1')).toBe('worker.list=lb\rworker.t1.connection_pool_size=10\r');
  });

  it('refuses a file whose bytes it cannot reproduce (invalid UTF-8), and leaves it untouched', () => {
    const original = Buffer.concat([Buffer.from('<web-app>\n<!-- '), Buffer.from([0xc3, 0x28]), Buffer.from(' -->\n</web-app>\n')]);
    const file = put('web.xml', original);
    const source = read(file);
    expect(checkWritable(source)).toMatch(/differ from what was linted/);
    const { out } = applyOnce([distributableFix(source)], [source]);
    expect(out.written).toEqual([]);
    expect(out.skipped).toEqual([{ file, reason: expect.stringMatching(/differ/) }]);
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  it('refuses an encoding it cannot write', () => {
    const file = put('web.xml', Buffer.from('<web-app>\n</web-app>\n'));
    const source: SourceText = { ...read(file), encoding: 'x-user-defined-nonsense' };
    expect(checkWritable(source)).toMatch(/cannot be written back/);
  });

  it('refuses fixed text the encoding cannot hold (Chinese into windows-1252)', () => {
    const text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<web-app>\n</web-app>\n';
    const file = put('web.xml', Buffer.from(text, 'latin1'));
    const source = read(file);
    const at = source.text.indexOf('</web-app>');
    const { out } = applyOnce([finding([{ file, start: at, end: at, text: '<!-- 集群 -->\n' }])], [source]);
    expect(out.skipped[0]?.reason).toMatch(/cannot hold/);
    expect(readFileSync(file, 'latin1')).toBe(text);
  });

  it('refuses a file changed on disk since it was linted', () => {
    const file = put('web.xml', Buffer.from('<web-app>\n</web-app>\n'));
    const source = read(file);
    writeFileSync(file, '<web-app>\n<!-- edited -->\n</web-app>\n');
    const { out } = applyOnce([distributableFix(source)], [source]);
    expect(out.written).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('<web-app>\n<!-- edited -->\n</web-app>\n');
  });

  it('writes atomically: keeps the file mode and leaves no temporary file', () => {
    const file = put('web.xml', Buffer.from('<web-app>\n</web-app>\n'));
    chmodSync(file, 0o640);
    const source = read(file);
    applyOnce([distributableFix(source)], [source]);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['web.xml']);
  });
});

describe('choosing fixes', () => {
  const src = (file: string, text: string): SourceText => ({ file, text, encoding: 'utf-8', bom: false, eol: '\n' });

  it('applies the first of two overlapping fixes and defers the other', () => {
    const s = src('/x/workers.properties', 'worker.a.cachesize=1\n');
    const first = finding([{ file: s.file, start: 9, end: 18, text: 'connection_pool_size' }], 'deprecated-directive');
    const second = finding([{ file: s.file, start: 7, end: 20, text: 'x' }], 'other');
    const plan = planFixes([second, first], new Map([[s.file, s]]));
    // Sorted by position: `second` starts first (offset 7).
    expect(plan.applied.map((f) => f.ruleId)).toEqual(['other']);
    expect(plan.deferred.map((f) => f.ruleId)).toEqual(['deprecated-directive']);
    expect(plan.changes[0]?.text).toBe('worker.x\n');
  });

  it('treats two insertions at one offset as a conflict, and adjacent edits as none', () => {
    const s = src('/x/a', 'abcdef');
    const ins1 = finding([{ file: s.file, start: 3, end: 3, text: '1' }], 'r1');
    const ins2 = finding([{ file: s.file, start: 3, end: 3, text: '2' }], 'r2');
    const adj = finding([{ file: s.file, start: 0, end: 3, text: 'X' }], 'r3');
    const plan = planFixes([ins1, ins2, adj], new Map([[s.file, s]]));
    expect(plan.applied.map((f) => f.ruleId)).toEqual(['r3', 'r1']);
    expect(plan.deferred.map((f) => f.ruleId)).toEqual(['r2']);
    expect(plan.changes[0]?.text).toBe('X1def');
  });

  it('takes a fix spanning two files whole or not at all', () => {
    const a = src('/x/a', 'aaaa');
    const b = src('/x/b', 'bbbb');
    const blocker = finding([{ file: b.file, start: 0, end: 2, text: 'B' }], 'blocker');
    const both = finding(
      [
        { file: a.file, start: 1, end: 2, text: 'A' },
        { file: b.file, start: 1, end: 3, text: 'C' },
      ],
      'both',
    );
    const plan = planFixes([both, blocker], new Map([[a.file, a], [b.file, b]]));
    // `both` sorts first (file /x/a), so it wins, and the blocker on /x/b waits.
    expect(plan.applied.map((f) => f.ruleId)).toEqual(['both']);
    expect(plan.changes.map((c) => c.text)).toEqual(['aAaa', 'bCb']);
    const unwritable = new Map([[b.file, 'no']]);
    const plan2 = planFixes([both], new Map([[a.file, a], [b.file, b]]), unwritable);
    expect(plan2.applied).toEqual([]);
    expect(plan2.changes).toEqual([]);
    expect(plan2.skipped).toEqual([{ file: b.file, reason: 'no' }]);
  });

  it('ignores edits outside the text and files it never read', () => {
    const s = src('/x/a', 'abc');
    const plan = planFixes(
      [finding([{ file: s.file, start: 2, end: 9, text: '' }]), finding([{ file: '/x/unknown', start: 0, end: 0, text: 'x' }])],
      new Map([[s.file, s]]),
    );
    expect(plan.applied).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it('prints a unified diff git can apply', () => {
    const s: SourceText = src('/proj/apache/conf/workers.properties', 'worker.list=lb\nworker.t1.type=ajp13\nworker.t1.cachesize=10\nworker.t1.port=8009\n');
    const start = s.text.indexOf('cachesize');
    const plan = planFixes([finding([{ file: s.file, start, end: start + 9, text: 'connection_pool_size' }])], new Map([[s.file, s]]));
    expect(unifiedDiff(plan.changes, '/proj')).toMatchInlineSnapshot(`
      "--- a/apache/conf/workers.properties
      +++ b/apache/conf/workers.properties
      @@ -1,4 +1,4 @@
       worker.list=lb
       worker.t1.type=ajp13
      -worker.t1.cachesize=10
      +worker.t1.connection_pool_size=10
       worker.t1.port=8009
      "
    `);
  });
});

describe('the fix loop', () => {
  /**
   * A stand-in for lint(): reads the files and reports, for every `cachesize` key, a
   * fix renaming it, and one more fix overlapping it that only the next pass can take.
   */
  function fakeLint(files: string[], rules: (s: SourceText) => Finding[]): () => LintResult {
    return () => {
      const sources = new Map(files.map((f) => [f, read(f)]));
      const findings = [...sources.values()].flatMap(rules);
      return { files, findings, rules: [], model: { sources } as unknown as ClusterModel };
    };
  }

  const renameDeprecated = (s: SourceText): Finding[] => {
    const out: Finding[] = [];
    for (const m of s.text.matchAll(/\.(cachesize|cache_timeout)=/g)) {
      const start = m.index + 1;
      const to = m[1] === 'cachesize' ? 'connection_pool_size' : 'connection_pool_timeout';
      out.push(finding([{ file: s.file, start, end: start + m[1]!.length, text: to }], 'deprecated-directive'));
      // A second fix on the same key (overlaps): must wait for a later pass and then find nothing.
      out.push(finding([{ file: s.file, start, end: start + m[1]!.length, text: to }], 'deprecated-directive'));
    }
    return out;
  };

  it('applies overlapping fixes over several passes until nothing is left, then a rerun changes nothing', () => {
    const text = 'worker.a.cachesize=1\r\nworker.a.cache_timeout=2\r\nworker.b.cachesize=3\r\n';
    const file = put('workers.properties', Buffer.from(text));
    const run = fixUntilStable(fakeLint([file], renameDeprecated));
    expect(readFileSync(file, 'utf8')).toBe('worker.a.connection_pool_size=1\r\nworker.a.connection_pool_timeout=2\r\nworker.b.connection_pool_size=3\r\n');
    expect(run.applied).toHaveLength(3);
    expect(run.result.findings).toEqual([]);
    expect(run.written).toEqual([file]);
    const before = statSync(file).mtimeMs;
    const again = fixUntilStable(fakeLint([file], renameDeprecated));
    expect(again.passes).toBe(0);
    expect(again.written).toEqual([]);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('stops after MAX_PASSES when a fix never settles', () => {
    const file = put('a.conf', Buffer.from('x\n'));
    const grow = (s: SourceText) => [finding([{ file: s.file, start: 0, end: 0, text: 'x' }])];
    const run = fixUntilStable(fakeLint([file], grow));
    expect(run.passes).toBe(MAX_PASSES);
    expect(readFileSync(file, 'utf8')).toBe(`${'x'.repeat(MAX_PASSES + 1)}\n`);
  });

  it('reports a file it may not write and leaves it alone', () => {
    const bad = Buffer.concat([Buffer.from('worker.a.cachesize=1\n#'), Buffer.from([0xff]), Buffer.from('\n')]);
    const file = put('workers.properties', bad);
    const run = fixUntilStable(fakeLint([file], renameDeprecated));
    expect(run.written).toEqual([]);
    expect(run.skipped).toEqual([{ file, reason: expect.stringMatching(/differ from what was linted/) }]);
    expect(readFileSync(file).equals(bad)).toBe(true);
  });
});

describe('encodeText', () => {
  it('round-trips GBK and refuses lone surrogates in UTF-8', () => {
    expect(encodeText('集群', 'gbk', false)?.equals(Buffer.from([0xbc, 0xaf, 0xc8, 0xba]))).toBe(true);
    expect(encodeText('a\ud800b', 'utf-8', false)).toBeUndefined();
    expect(encodeText('x', 'gbk', true)).toBeUndefined();
  });
});
