/**
 * Property-based tests over every parser: real files (corpus, fixtures, examples) mutated
 * (truncated, bytes flipped, chunks dropped or doubled, BOM, UTF-16, CRLF, CR, 200 000-character
 * runs, binary data, emptied) never make a parser throw, every position stays inside the file,
 * and a file cut inside its root element is always a problem. Generated documents with tabs
 * and mixed line ends keep their columns exact.
 */
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decode, LineIndex, type SourceText } from '../../src/parsers/source.js';
import { parseXml } from '../../src/parsers/xml.js';
import { parseProperties } from '../../src/parsers/properties.js';
import { parseJk2 } from '../../src/parsers/jk2.js';
import { parseHttpd } from '../../src/parsers/httpd.js';
import { kindFromContent } from '../../src/discover/classify.js';
import type { HttpdDirective, SyntaxTree, XmlElement } from '../../src/parsers/syntax.js';
import type { Span } from '../../src/types.js';
import { describeMutations, mutateAll, mutationsArb, realSamples, runs, type Sample } from './helpers.js';

const PARSERS = {
  xml: parseXml,
  properties: parseProperties,
  jk2: parseJk2,
  httpd: parseHttpd,
} as const;

/** Every span of a tree, problems and comments included. */
function spansOf(tree: SyntaxTree): Span[] {
  const out: Span[] = [...tree.problems.map((p) => p.span), ...tree.comments.map((c) => c.span)];
  switch (tree.kind) {
    case 'xml': {
      const stack: XmlElement[] = tree.root ? [tree.root] : [];
      while (stack.length) {
        const el = stack.pop()!;
        out.push(el.span, el.startTagSpan, el.nameSpan);
        for (const a of el.attributes) out.push(a.span, a.nameSpan, a.valueSpan);
        stack.push(...el.children);
      }
      break;
    }
    case 'properties':
      for (const e of tree.entries) out.push(e.span, e.keySpan, e.valueSpan);
      break;
    case 'jk2':
      for (const e of tree.globals) out.push(e.span, e.keySpan, e.valueSpan);
      for (const s of tree.sections) {
        out.push(s.headerSpan, s.typeSpan, s.nameSpan);
        for (const e of s.entries) out.push(e.span, e.keySpan, e.valueSpan);
      }
      break;
    case 'httpd': {
      const stack: HttpdDirective[] = [...tree.directives];
      while (stack.length) {
        const d = stack.pop()!;
        out.push(d.span, d.nameSpan, ...d.args.map((a) => a.span));
        if (d.children) stack.push(...d.children);
      }
      break;
    }
  }
  return out;
}

/** A span lies inside the text: 1-based, ordered, on existing lines, columns within the line (+1 past its end). */
function checkSpans(tree: SyntaxTree, source: SourceText, context: () => string): void {
  const index = new LineIndex(source.file, source.text);
  const lineLength = (line: number) => {
    const start = index.lineStart(line);
    const next = line < index.lineCount ? index.lineStart(line + 1) : source.text.length;
    return next - start;
  };
  for (const s of spansOf(tree)) {
    const ok =
      s.file === source.file &&
      s.line >= 1 &&
      s.line <= index.lineCount &&
      s.endLine >= s.line &&
      s.endLine <= index.lineCount &&
      s.column >= 1 &&
      s.column <= lineLength(s.line) + 1 &&
      s.endColumn >= 1 &&
      s.endColumn <= lineLength(s.endLine) + 1 &&
      (s.endLine > s.line || s.endColumn >= s.column);
    if (!ok) throw new Error(`${context()}: span out of the text: ${JSON.stringify(s)} (${index.lineCount} lines)`);
  }
}

function parseTimed(sample: Sample, bytes: Buffer): { tree: SyntaxTree; source: SourceText; ms: number } {
  const start = performance.now();
  const source = decode(`/virtual/${sample.name}`, bytes);
  kindFromContent(source.file, source.text);
  const tree = PARSERS[sample.kind](source);
  return { tree, source, ms: performance.now() - start };
}

const samples = realSamples();
const sampleArb = fc.constantFrom(...samples);

describe('parsers never throw on mutated real files', () => {
  it('has real files of every kind to mutate', () => {
    for (const kind of Object.keys(PARSERS)) expect(samples.some((s) => s.kind === kind), kind).toBe(true);
  });

  it('every parser, every mutation: a tree with positions inside the file, in bounded time', () => {
    fc.assert(
      fc.property(sampleArb, mutationsArb, (sample, mutations) => {
        const bytes = mutateAll(sample.bytes, mutations);
        const context = () => `${sample.origin} after ${describeMutations(mutations)}`;
        const { tree, source, ms } = parseTimed(sample, bytes);
        expect(tree.kind === 'xml' ? sample.kind === 'xml' : true).toBe(true);
        expect(Array.isArray(tree.problems)).toBe(true);
        checkSpans(tree, source, context);
        // Generous: a 200 000-character run is the slowest case, well under this even on a busy CI.
        expect(ms, context()).toBeLessThan(3000);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('every parser takes arbitrary bytes (binary data, lone surrogates, NULs)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(PARSERS) as (keyof typeof PARSERS)[])), fc.uint8Array({ maxLength: 2000 }), (kind, raw) => {
        const source = decode(`/virtual/${kind}`, raw);
        const tree = PARSERS[kind](source);
        checkSpans(tree, source, () => `${kind} on ${Buffer.from(raw).toString('hex').slice(0, 200)}`);
        if (kind === 'xml' && tree.kind === 'xml' && tree.root === undefined) expect(tree.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('XML cut anywhere inside the root element is always a problem (and then there is no root)', () => {
    const wellFormed = samples.filter((s) => s.kind === 'xml' && parseXml(decode('/v/x.xml', s.bytes)).problems.length === 0);
    expect(wellFormed.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.constantFrom(...wellFormed), fc.double({ min: 0, max: 1, noNaN: true }), (sample, where) => {
        const full = decode('/v/server.xml', sample.bytes);
        const root = parseXml(full).root!;
        // Strictly after `<` of the root and before the last `>` of its end tag.
        const cut = root.start + 1 + Math.floor(where * (root.end - 1 - root.start - 1));
        const source = { ...full, text: full.text.slice(0, cut) };
        const tree = parseXml(source);
        expect(tree.problems.length, `${sample.origin} cut at ${cut}`).toBeGreaterThan(0);
        expect(tree.root).toBeUndefined();
      }),
      { numRuns: runs(1000) },
    );
  });

  // parseXml asks fast-xml-parser's validator for a second verdict only on documents with a
  // DOCTYPE: without one, the scan must be at least as strict. These two properties are that claim.
  const validatorAccepts = (text: string) => {
    try {
      return XMLValidator.validate(text) === true;
    } catch {
      return false;
    }
  };

  it('without a DOCTYPE, a mutated real document parseXml accepts, the validator accepts too', () => {
    const xml = samples.filter((s) => s.kind === 'xml');
    fc.assert(
      fc.property(fc.constantFrom(...xml), mutationsArb, (sample, mutations) => {
        const source = decode('/v/server.xml', mutateAll(sample.bytes, mutations));
        if (/<!DOCTYPE/.test(source.text) || parseXml(source).problems.length > 0) return;
        expect(validatorAccepts(source.text), `${sample.origin} after ${describeMutations(mutations)}`).toBe(true);
      }),
      { numRuns: runs(3000) },
    );
  });

  it('without a DOCTYPE, token soup parseXml accepts, the validator accepts too', () => {
    const token = fc.constantFrom(
      '<a', '<b', '<a:b', '<_x', '<1', '</a>', '</b>', '</a:b>', '</_x>', '>', '/>', ' ', '\t', '\n', '\r\n', '\r', ' c="d"', " e='f'", ' g=h', ' i',
      '="', '"', "'", '&amp;', '&lt;', '&#65;', '&#x41;', '&#0;', '&#xD800;', '&bogus;', '&', '<!--', '-->', '--', '<?pi x?>', '<?xml version="1.0"?>',
      '<![CDATA[', ']]>', 'text', '<', 'é', '\uFFFE', '\u0001', '中', '<中', '</中>', ':', '.', '-', '<a c="1" c="2"/>', '<a xmlns:p="u" p:c="1"/>',
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.option(fc.constantFrom('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n', '\uFEFF', ' ')), fc.array(token, { maxLength: 30 }), (head, tokens) => {
        const text = `${head ?? ''}<r>${tokens.join('')}</r>`;
        if (parseXml({ file: '/v/x.xml', text, encoding: 'utf-8', bom: false, eol: '\n' }).problems.length > 0) return;
        accepted++;
        expect(validatorAccepts(text), JSON.stringify(text)).toBe(true);
      }),
      { numRuns: runs(20000) },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------- exact columns with tabs and mixed line ends

const ws = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', '\r', '  '), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const inlineWs = fc.array(fc.constantFrom(' ', '\t'), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
const eol = fc.constantFrom('\n', '\r\n', '\r');
const nameArb = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,11}$/);
const valueArb = fc.stringMatching(/^[A-Za-z0-9 ._:\/\t中é-]{0,20}$/);

/** Offset of a span's start in the text. */
function offsetOf(index: LineIndex, line: number, column: number): number {
  return index.lineStart(line) + column - 1;
}

describe('positions stay exact with tabs, CRLF, CR and non-ASCII text', () => {
  it('XML: element names and attribute values map back to their text', () => {
    const attrArb = fc.record({ name: nameArb, value: valueArb, before: ws, eqWs: fc.constantFrom('', ' ', '\t') });
    const elArb = fc.record({ name: nameArb, attrs: fc.uniqueArray(attrArb, { selector: (a) => a.name, maxLength: 4 }), lead: ws });
    fc.assert(
      fc.property(fc.array(elArb, { minLength: 1, maxLength: 6 }), eol, (els, nl) => {
        let text = `<?xml version="1.0" encoding="UTF-8"?>${nl}<root>`;
        const expected: { name: string; attrs: { name: string; valueStart: number; value: string }[]; start: number }[] = [];
        for (const el of els) {
          text += el.lead;
          const start = text.length;
          text += `<${el.name}`;
          const attrs = [];
          for (const a of el.attrs) {
            text += `${a.before}${a.name}${a.eqWs}=${a.eqWs}"`;
            attrs.push({ name: a.name, valueStart: text.length, value: a.value });
            text += a.value.replace(/\t/g, '&#9;') + '"';
            // keep the raw value as written for the offset check
            attrs[attrs.length - 1]!.value = a.value.replace(/\t/g, '&#9;');
          }
          text += '/>';
          expected.push({ name: el.name, attrs, start });
        }
        text += `${nl}</root>${nl}`;
        const source: SourceText = { file: '/v/server.xml', text, encoding: 'utf-8', bom: false, eol: '\n' };
        const tree = parseXml(source);
        expect(tree.problems).toEqual([]);
        const index = new LineIndex(source.file, text);
        const children = tree.root!.children;
        expect(children.map((c) => c.name)).toEqual(expected.map((e) => e.name));
        children.forEach((el, i) => {
          const want = expected[i]!;
          expect(offsetOf(index, el.span.line, el.span.column)).toBe(want.start);
          expect(text.slice(offsetOf(index, el.nameSpan.line, el.nameSpan.column), offsetOf(index, el.nameSpan.endLine, el.nameSpan.endColumn))).toBe(el.name);
          el.attributes.forEach((a, k) => {
            const vs = offsetOf(index, a.valueSpan.line, a.valueSpan.column);
            expect(vs).toBe(want.attrs[k]!.valueStart);
            expect(text.slice(vs, offsetOf(index, a.valueSpan.endLine, a.valueSpan.endColumn))).toBe(want.attrs[k]!.value);
            expect(text.slice(offsetOf(index, a.nameSpan.line, a.nameSpan.column), offsetOf(index, a.nameSpan.endLine, a.nameSpan.endColumn))).toBe(a.name);
          });
        });
      }),
      { numRuns: runs(500) },
    );
  });

  it('workers.properties: keys and values map back to their text', () => {
    const lineArb = fc.record({ key: fc.stringMatching(/^worker\.[a-z0-9_]{1,8}\.[a-z_]{1,10}$/), value: valueArb, a: inlineWs, b: fc.constantFrom('', ' ', '\t'), c: fc.constantFrom('', ' ', '\t') });
    fc.assert(
      fc.property(fc.array(fc.tuple(lineArb, eol), { minLength: 1, maxLength: 10 }), fc.boolean(), (lines, bom) => {
        let text = '';
        for (const [l, nl] of lines) text += `${l.a}${l.key}${l.b}=${l.c}${l.value}${nl}`;
        const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
        const source = decode('/v/workers.properties', bytes);
        const tree = parseProperties(source);
        const index = new LineIndex(source.file, source.text);
        expect(tree.entries.map((e) => e.key)).toEqual(lines.map(([l]) => l.key));
        for (const e of tree.entries) {
          expect(source.text.slice(offsetOf(index, e.keySpan.line, e.keySpan.column), offsetOf(index, e.keySpan.endLine, e.keySpan.endColumn))).toBe(e.key);
          if (e.value) expect(source.text.slice(offsetOf(index, e.valueSpan.line, e.valueSpan.column), offsetOf(index, e.valueSpan.endLine, e.valueSpan.endColumn))).toBe(e.value);
        }
      }),
      { numRuns: runs(500) },
    );
  });

  it('httpd: directive names and arguments map back to their text', () => {
    const dirArb = fc.record({ name: fc.constantFrom('JkMount', 'JKMOUNT', 'Listen', 'ProxyPass', 'BalancerMember', 'JkWorkersFile'), args: fc.array(fc.stringMatching(/^[A-Za-z0-9\/*.:_-]{1,12}$/), { minLength: 1, maxLength: 3 }), lead: fc.constantFrom('', ' ', '\t', '\t\t'), sep: inlineWs });
    fc.assert(
      fc.property(fc.array(fc.tuple(dirArb, eol), { minLength: 1, maxLength: 10 }), (lines) => {
        let text = '';
        for (const [d, nl] of lines) text += `${d.lead}${d.name}${d.sep}${d.args.join(d.sep)}${nl}`;
        const source = decode('/v/httpd.conf', Buffer.from(text));
        const tree = parseHttpd(source);
        expect(tree.problems).toEqual([]);
        const index = new LineIndex(source.file, source.text);
        expect(tree.directives.map((d) => d.name)).toEqual(lines.map(([d]) => d.name));
        for (const d of tree.directives) {
          expect(text.slice(offsetOf(index, d.nameSpan.line, d.nameSpan.column), offsetOf(index, d.nameSpan.endLine, d.nameSpan.endColumn))).toBe(d.name);
          for (const a of d.args) expect(text.slice(offsetOf(index, a.span.line, a.span.column), offsetOf(index, a.span.endLine, a.span.endColumn))).toBe(a.value);
        }
      }),
      { numRuns: runs(500) },
    );
  });
});

describe('LineIndex', () => {
  /** The definition: a LF ends a line, a CR ends one unless a LF follows it (CRLF is one break). */
  function reference(text: string): number[] {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    return starts;
  }

  it('finds the line starts of any mix of LF, CR and CRLF', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '中', '\n', '\r', '\r\n', '\n\r', '\r\r', ''), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(new LineIndex('x', text).lineStarts).toEqual(reference(text));
      }),
      { numRuns: runs(3000) },
    );
  });
});
