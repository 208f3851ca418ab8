/**
 * Encodings and line ends: the XML declaration is honoured (ISO-8859-1, GBK — the seed's files
 * carry Chinese comments), a BOM wins (UTF-8, UTF-16 LE/BE), and every finding keeps pointing
 * at the same text whatever the line ends (LF, CRLF, CR) or indentation (tabs) — positions
 * count characters of the decoded text, a tab as one.
 */
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { decode, LineIndex } from '../../src/parsers/source.js';
import { lintPaths } from '../helpers/run.js';
import { REPO, checkJsonRun, listFiles, removeTree, runCli, tempDir, writeTree, type JsonResult } from './helpers.js';

const root = tempDir('encoding');
afterAll(() => removeTree(root));

const SEED = join(REPO, 'examples', 'seed-2006');
const seedFiles = listFiles(SEED).map((f) => relative(SEED, f));

type Variant = (rel: string, bytes: Buffer) => Buffer;

const gbkText = (bytes: Buffer) => iconv.decode(bytes, 'gbk');

const VARIANTS: Record<string, Variant> = {
  original: (_, b) => b,
  crlf: (_, b) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'),
  cr: (_, b) => Buffer.from(b.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1'),
  'tab-indent': (_, b) => Buffer.from(b.toString('latin1').replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)), 'latin1'),
  'tab-indent-crlf': (_, b) => Buffer.from(b.toString('latin1').replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2)).replace(/\r?\n/g, '\r\n'), 'latin1'),
  'utf8-bom': (rel, b) => (rel.endsWith('.xml') ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(gbkText(b).replace('encoding="GBK"', 'encoding="UTF-8"'), 'utf8')]) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b])),
  'utf16le-bom': (rel, b) => (rel.endsWith('.xml') ? iconv.encode(gbkText(b).replace('encoding="GBK"', 'encoding="UTF-16"'), 'utf16le', { addBOM: true }) : b),
  'utf16be-bom': (rel, b) => (rel.endsWith('.xml') ? iconv.encode(gbkText(b).replace('encoding="GBK"', 'encoding="UTF-16"'), 'utf16-be', { addBOM: true }) : b),
};

interface Claim {
  rule: string;
  file: string;
  line: number;
  column: number;
  /** The decoded text at the finding's position, up to the end of the line or 24 characters. */
  token: string;
}

function claimsOf(results: JsonResult[], dir: string): Claim[] {
  const indexes = new Map<string, LineIndex>();
  return results.flatMap((r) => {
    const file = relative(dir, r.filePath).split(sep).join('/');
    let index = indexes.get(file);
    if (!index) {
      const source = decode(r.filePath, readFileSync(r.filePath));
      index = new LineIndex(r.filePath, source.text);
      indexes.set(file, index);
    }
    const text = index.text;
    return r.messages.map((m) => {
      const at = index.lineStart(m.line) + m.column - 1;
      const eol = text.slice(at).search(/[\r\n]/);
      return { rule: m.ruleId!, file, line: m.line, column: m.column, token: text.slice(at, at + Math.min(24, eol < 0 ? 24 : eol)) };
    });
  });
}

async function lintVariant(name: string, variant: Variant): Promise<Claim[]> {
  const dir = join(root, `seed-${name}`);
  writeTree(dir, Object.fromEntries(seedFiles.map((rel) => [rel, variant(rel, readFileSync(join(SEED, rel)))])));
  const run = await runCli(['-f', 'json', 'tomcat1', 'tomcat2', 'apache'], dir);
  return claimsOf(checkJsonRun(run, `seed ${name}`), dir);
}

describe('the seed (GBK, Chinese comments) in every encoding and line-end style', () => {
  it('its server.xml files are decoded as GBK: the Chinese comments read right', () => {
    const source = decode('server.xml', readFileSync(join(SEED, 'tomcat1', 'conf', 'server.xml')));
    expect(source.encoding).toBe('gbk');
    expect(source.text).toContain('启用原来禁用的Cluster设置');
    expect(source.text).toContain('安装了VPN, 虚拟网卡导致绑定失败');
    expect(source.text).not.toContain('\uFFFD');
  });

  it('gives the same findings, pointing at the same text, in every variant', async () => {
    const original = await lintVariant('original', VARIANTS.original!);
    expect(original.length).toBeGreaterThan(5);
    // Every finding of the original points at something: no position past the end of its line.
    for (const c of original) expect(c.token.length, JSON.stringify(c)).toBeGreaterThan(0);
    const key = (c: Claim) => `${c.file}:${c.line} ${c.rule} «${c.token.trim()}»`;
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const claims = await lintVariant(name, variant);
      expect(claims.map(key), name).toEqual(original.map(key));
      if (!name.startsWith('tab')) expect(claims.map((c) => c.column), `${name}: columns`).toEqual(original.map((c) => c.column));
    }
  });
});

describe('the XML declaration is honoured', () => {
  const server = (route: string, comment: string, decl: string) =>
    `<?xml version="1.0" encoding="${decl}"?>\n<!-- ${comment} -->\n<Server port="8005" shutdown="s8">\n  <Service name="Catalina">\n    <Engine name="Catalina" defaultHost="localhost" jvmRoute="${route}">\n      <!-- ${comment} --><Host name="localhost" appBase="webapps" bad=/>\n    </Engine>\n  </Service>\n</Server>\n`;

  for (const [decl, encoding, route, comment] of [
    ['ISO-8859-1', 'latin1', 'nodé', 'Zürich, façade, æøå'],
    ['GBK', 'gbk', '节点一', '启用原来禁用的Cluster设置'],
    ['GB2312', 'gbk', '节点二', '虚拟网卡导致绑定失败'],
    ['Shift_JIS', 'shift_jis', 'ノード', '日本語のコメント'],
    ['windows-1252', 'win1252', 'nœud', '“quoted” — dash'],
  ] as const) {
    it(`${decl}: values decoded, columns count characters`, async () => {
      const text = server(route, comment, decl);
      const dir = join(root, `decl-${decl}`);
      writeTree(dir, { 'tomcat1/conf/server.xml': iconv.encode(text, encoding) });
      // The broken line: the `/` after `bad=` (a value must be quoted), its column counted in characters.
      const line = text.split('\n').findIndex((l) => l.includes('bad=')) + 1;
      const column = text.split('\n')[line - 1]!.indexOf('bad=/') + 'bad='.length + 1;
      const run = await runCli(['-f', 'json', '.'], dir);
      const [result] = checkJsonRun(run, decl);
      const parseError = result!.messages.find((m) => m.ruleId === 'parse-error');
      expect(parseError, decl).toBeDefined();
      expect([parseError!.line, parseError!.column], decl).toEqual([line, column]);
      // Well-formed, the value is read in its declared encoding.
      writeTree(dir, { 'tomcat1/conf/server.xml': iconv.encode(text.replace(' bad=', ''), encoding) });
      const node = lintPaths(dir, ['.']).model.nodes[0];
      expect(node?.engine?.jvmRoute?.value).toBe(route);
    });
  }

  it('UTF-16 without a BOM but with a declaration is still read', () => {
    const text = server('n16', 'utf-16', 'UTF-16');
    for (const [enc, name] of [['utf16le', 'le'], ['utf16-be', 'be']] as const) {
      const dir = join(root, `utf16-nobom-${name}`);
      writeTree(dir, { 'tomcat1/conf/server.xml': iconv.encode(text.replace(' bad=', ''), enc) });
      expect(lintPaths(dir, ['.']).model.nodes[0]?.engine?.jvmRoute?.value, name).toBe('n16');
    }
  });

  it('an encoding name nobody knows is read as UTF-8 (no crash)', async () => {
    const dir = join(root, 'decl-unknown');
    writeTree(dir, { 'tomcat1/conf/server.xml': server('plain', 'x', 'X-NO-SUCH-CHARSET').replace(' bad=', '') });
    checkJsonRun(await runCli(['-f', 'json', '.'], dir), 'unknown encoding');
  });
});
