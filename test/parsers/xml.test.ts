import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/parsers/source.js';
import type { XmlDocument, XmlElement } from '../../src/parsers/syntax.js';
import { MAX_XML_DEPTH, parseXml } from '../../src/parsers/xml.js';
import type { Span } from '../../src/types.js';

function parse(text: string, file = 'conf/server.xml'): XmlDocument {
  return parseXml(decode(file, Buffer.from(text)));
}

function root(text: string): XmlElement {
  const doc = parse(text);
  expect(doc.problems).toEqual([]);
  expect(doc.root).toBeDefined();
  return doc.root!;
}

/** Every element in document order, without recursion. */
function elements(el: XmlElement | undefined): XmlElement[] {
  const out: XmlElement[] = [];
  const stack = el ? [el] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    out.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
  }
  return out;
}

function find(el: XmlElement, name: string): XmlElement {
  const found = elements(el).find((e) => e.name === name);
  if (!found) throw new Error(`no <${name}>`);
  return found;
}

function attr(el: XmlElement, name: string) {
  const a = el.attributes.find((x) => x.name === name);
  if (!a) throw new Error(`no ${name}=`);
  return a;
}

/** line/column/endLine/endColumn of a span, without the file. */
function lc(span: Span): [number, number, number, number] {
  return [span.line, span.column, span.endLine, span.endColumn];
}

const SERVER_XML = [
  '<?xml version="1.0" encoding="UTF-8"?>', // 1
  '<!-- Tomcat node 1 -->', // 2
  '<Server port="8005" shutdown="SHUTDOWN">', // 3
  '  <Service name="Catalina">', // 4
  '    <Connector port="8009"', // 5
  '               protocol="AJP/1.3"', // 6
  "\t\t\t   redirectPort = '8443' />", // 7
  '    <!--', // 8
  '    <Engine name="Catalina" jvmRoute="old">', // 9
  '    -->', // 10
  '    <Engine name="Catalina" defaultHost="localhost" jvmRoute="tomcat1">', // 11
  '      <Cluster className="org.apache.catalina.ha.tcp.SimpleTcpCluster"/>', // 12
  '    </Engine>', // 13
  '  </Service>', // 14
  '</Server>', // 15
  '',
].join('\n');

describe('parseXml: tree', () => {
  it('builds elements, attributes, parents and direct text', () => {
    const doc = parse(SERVER_XML);
    expect(doc.kind).toBe('xml');
    expect(doc.problems).toEqual([]);
    expect(doc.declaredEncoding).toBe('UTF-8');
    const server = doc.root!;
    expect(server.name).toBe('Server');
    expect(server.parent).toBeUndefined();
    expect(server.attributes.map((a) => [a.name, a.value])).toEqual([
      ['port', '8005'],
      ['shutdown', 'SHUTDOWN'],
    ]);
    const service = server.children[0]!;
    expect(service.name).toBe('Service');
    expect(service.parent).toBe(server);
    expect(service.children.map((c) => c.name)).toEqual(['Connector', 'Engine']);
    const connector = service.children[0]!;
    expect(connector.selfClosing).toBe(true);
    expect(connector.attributes.map((a) => [a.name, a.value])).toEqual([
      ['port', '8009'],
      ['protocol', 'AJP/1.3'],
      ['redirectPort', '8443'],
    ]);
    const engine = service.children[1]!;
    expect(engine.selfClosing).toBe(false);
    expect(attr(engine, 'jvmRoute').value).toBe('tomcat1');
    expect(engine.children[0]!.parent).toBe(engine);
  });

  it('keeps qualified names and strips the prefix for localName', () => {
    const web = root('<web-app xmlns:j2ee="urn:x"><j2ee:distributable/><display-name>A</display-name></web-app>');
    expect(web.localName).toBe('web-app');
    expect(web.children[0]!.name).toBe('j2ee:distributable');
    expect(web.children[0]!.localName).toBe('distributable');
    expect(attr(web, 'xmlns:j2ee').value).toBe('urn:x');
  });

  it('concatenates direct character data, CDATA included, untrimmed', () => {
    const r = root('<a> one <b>inner</b> two<![CDATA[ <three> & <!-- not a comment --> ]]>&lt;four&gt;</a>');
    expect(r.text).toBe(' one  two <three> & <!-- not a comment --> <four>');
    expect(r.children[0]!.text).toBe('inner');
    expect(parse('<a><![CDATA[<!-- x -->]]></a>').comments).toEqual([]);
  });

  it('normalises line ends in text to \\n', () => {
    expect(root('<a>x\r\ny\rz</a>').text).toBe('x\ny\nz');
    expect(root('<a><![CDATA[x\r\ny]]></a>').text).toBe('x\ny');
  });

  it('agrees with fast-xml-parser metadata on element start and end offsets', () => {
    const sym = XMLParser.getMetaDataSymbol() as unknown as symbol; // typed as `Symbol` in fxp.d.ts
    const parser = new XMLParser({ captureMetaData: true, preserveOrder: true, ignoreAttributes: false, processEntities: false });
    const theirs: [string, number, number | undefined][] = [];
    const walk = (nodes: Record<string | symbol, unknown>[]): void => {
      for (const node of nodes) {
        const name = Object.keys(node).find((k) => k !== ':@');
        if (!name || name.startsWith('#') || name.startsWith('?')) continue;
        const meta = node[sym] as { startIndex: number; endIndex?: number };
        theirs.push([name, meta.startIndex, meta.endIndex]);
        walk(node[name] as Record<string | symbol, unknown>[]);
      }
    };
    walk(parser.parse(SERVER_XML) as Record<string | symbol, unknown>[]);
    const ours = elements(parse(SERVER_XML).root).map((e) => [e.name, e.start, e.end]);
    expect(ours).toEqual(theirs);
  });
});

describe('parseXml: positions', () => {
  it('gives element spans, start tag spans, name spans and offsets', () => {
    const doc = parse(SERVER_XML);
    const text = doc.source.text;
    const server = doc.root!;
    expect(lc(server.span)).toEqual([3, 1, 15, 10]);
    expect(lc(server.startTagSpan)).toEqual([3, 1, 3, 41]);
    expect(lc(server.nameSpan)).toEqual([3, 2, 3, 8]);
    expect(server.span.file).toBe('conf/server.xml');
    expect(text.slice(server.start, server.startTagEnd)).toBe('<Server port="8005" shutdown="SHUTDOWN">');
    expect(text.slice(server.start, server.end).endsWith('</Server>')).toBe(true);

    const connector = find(server, 'Connector');
    expect(lc(connector.startTagSpan)).toEqual([5, 5, 7, 31]);
    expect(connector.span).toEqual(connector.startTagSpan);
    expect(connector.end).toBe(connector.startTagEnd);
    expect(text.slice(connector.start, connector.end)).toMatch(/^<Connector port="8009"[\s\S]*'8443' \/>$/);

    const engine = find(server, 'Engine');
    expect(lc(engine.span)).toEqual([11, 5, 13, 14]);
    expect(lc(engine.nameSpan)).toEqual([11, 6, 11, 12]);
  });

  it('gives attribute spans across a multi-line start tag with tabs, spaces around = and single quotes', () => {
    const doc = parse(SERVER_XML);
    const connector = find(doc.root!, 'Connector');
    const port = attr(connector, 'port');
    expect(lc(port.span)).toEqual([5, 16, 5, 27]);
    expect(lc(port.nameSpan)).toEqual([5, 16, 5, 20]);
    expect(lc(port.valueSpan)).toEqual([5, 22, 5, 26]);
    const protocol = attr(connector, 'protocol');
    expect(lc(protocol.nameSpan)).toEqual([6, 16, 6, 24]);
    expect(lc(protocol.valueSpan)).toEqual([6, 26, 6, 33]);
    // "\t\t\t   redirectPort = '8443' />": a tab counts as one column.
    const redirect = attr(connector, 'redirectPort');
    expect(lc(redirect.nameSpan)).toEqual([7, 7, 7, 19]);
    expect(lc(redirect.valueSpan)).toEqual([7, 23, 7, 27]);
    expect(lc(redirect.span)).toEqual([7, 7, 7, 28]);
    expect(doc.source.text.slice(redirect.valueStart, redirect.valueEnd)).toBe('8443');
  });

  it('gives CRLF files the same lines and columns as LF files', () => {
    const lf = parse(SERVER_XML);
    const crlf = parse(SERVER_XML.replace(/\n/g, '\r\n'));
    expect(crlf.source.eol).toBe('\r\n');
    expect(crlf.problems).toEqual([]);
    const spansOf = (doc: XmlDocument) => [
      ...elements(doc.root).flatMap((e) => [
        lc(e.span),
        lc(e.startTagSpan),
        lc(e.nameSpan),
        ...e.attributes.flatMap((a) => [lc(a.span), lc(a.nameSpan), lc(a.valueSpan)]),
      ]),
      ...doc.comments.map((c) => lc(c.span)),
    ];
    expect(spansOf(crlf)).toEqual(spansOf(lf));
    // Offsets still index the CRLF text itself.
    const port = attr(find(crlf.root!, 'Connector'), 'protocol');
    expect(crlf.source.text.slice(port.valueStart, port.valueEnd)).toBe('AJP/1.3');
  });

  it('counts a lone CR as a line break (old Mac files)', () => {
    const doc = parse('<a>\r<b/>\r<c x="1"/>\r</a>');
    expect(lc(find(doc.root!, 'c').nameSpan)).toEqual([3, 2, 3, 3]);
    const broken = parse('<a>\r<b>\r</c>\r</a>');
    expect(broken.problems[0]!.span.line).toBe(3);
  });

  it('handles an attribute value spanning lines (normalised like an XML parser does)', () => {
    const doc = parse('<Valve\n  pattern="%h %l\n\t%u\r\n%t"\n/>');
    const pattern = attr(doc.root!, 'pattern');
    expect(pattern.value).toBe('%h %l  %u %t');
    expect(lc(pattern.valueSpan)).toEqual([2, 12, 4, 3]);
    expect(doc.source.text.slice(pattern.valueStart, pattern.valueEnd)).toBe('%h %l\n\t%u\r\n%t');
  });

  it('counts columns in UTF-16 code units after a BOM is stripped', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>\n<b name="é😀" x="1"/></a>')]);
    const doc = parseXml(decode('f.xml', bytes));
    expect(doc.source.bom).toBe(true);
    const b = doc.root!.children[0]!;
    expect(attr(b, 'name').value).toBe('é😀');
    expect(lc(attr(b, 'x').nameSpan)).toEqual([2, 15, 2, 16]); // 😀 is two code units
  });
});

describe('parseXml: comments', () => {
  it('collects every comment with its span, trimmed, and keeps commented-out elements out of the tree', () => {
    const doc = parse(SERVER_XML);
    expect(doc.comments.map((c) => c.text)).toEqual(['Tomcat node 1', '<Engine name="Catalina" jvmRoute="old">']);
    expect(lc(doc.comments[0]!.span)).toEqual([2, 1, 2, 23]);
    expect(lc(doc.comments[1]!.span)).toEqual([8, 5, 10, 8]);
    const engines = elements(doc.root).filter((e) => e.name === 'Engine');
    expect(engines).toHaveLength(1);
    expect(attr(engines[0]!, 'jvmRoute').value).toBe('tomcat1');
  });

  it('does not take comment markers inside attribute values or CDATA for comments', () => {
    const doc = parse('<a x="--&gt;" y="-->" z="&lt;!--"><![CDATA[<!-- <b/> -->]]><!--real--></a>');
    expect(doc.problems).toEqual([]);
    expect(doc.comments.map((c) => c.text)).toEqual(['real']);
    expect(doc.root!.attributes.map((a) => a.value)).toEqual(['-->', '-->', '<!--']);
    expect(doc.root!.children).toEqual([]);
  });

  it('collects comments before and after the root and inside the DOCTYPE', () => {
    const doc = parse('<!--a--><!DOCTYPE r [<!-- in dtd -->]><r/><!-- b -->');
    expect(doc.problems).toEqual([]);
    expect(doc.comments.map((c) => c.text)).toEqual(['a', 'in dtd', 'b']);
  });
});

describe('parseXml: entities', () => {
  it('decodes the predefined entities and character references in attribute values, once', () => {
    const a = root(`<a v="&lt;&gt;&amp;&quot;&apos;" n="&#65;&#x42;&#x1F600;&#160;" twice="&amp;lt;" q='say "hi"'/>`);
    expect(a.attributes.map((x) => x.value)).toEqual(['<>&"\'', 'AB😀\u00a0', '&lt;', 'say "hi"']);
    // A character reference for a line break survives attribute-value normalisation.
    expect(attr(root('<a v="x&#10;y"/>'), 'v').value).toBe('x\ny');
  });

  it('keeps valueStart/valueEnd on the raw text', () => {
    const doc = parse('<a v="&lt;b&gt;"/>');
    const v = attr(doc.root!, 'v');
    expect(doc.source.text.slice(v.valueStart, v.valueEnd)).toBe('&lt;b&gt;');
    expect(v.value).toBe('<b>');
  });

  it('bounds a billion-laughs document: nothing is expanded', () => {
    const decls = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) {
      decls.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    }
    const text = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n ${decls.join('\n ')}\n]>\n<lolz a="&lol9;">&lol9;</lolz>\n`;
    const t0 = performance.now();
    const doc = parse(text);
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(1000);
    expect(doc.problems).toEqual([]);
    expect(doc.root!.text).toBe('&lol9;');
    expect(attr(doc.root!, 'a').value).toBe('&lol9;');
    expect(JSON.stringify({ text: doc.root!.text, attrs: doc.root!.attributes }).length).toBeLessThan(1000);
  });

  it('never resolves an external entity', () => {
    const text =
      '<?xml version="1.0"?>\n<!DOCTYPE Server [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n<Server a="&xxe;">&xxe;</Server>';
    const doc = parse(text);
    expect(doc.problems).toEqual([]);
    expect(doc.root!.text).toBe('&xxe;');
    expect(attr(doc.root!, 'a').value).toBe('&xxe;');
    expect(doc.root!.text).not.toContain('root:');
  });

  it('reports an undefined entity (Tomcat would refuse the file) but not one a DTD may declare', () => {
    const doc = parse('<web-app>\n  <description>a&nbsp;b</description>\n</web-app>');
    expect(doc.root).toBeUndefined();
    expect(doc.problems[0]!.message).toContain("entity '&nbsp;' is not defined");
    expect(lc(doc.problems[0]!.span)).toEqual([2, 17, 2, 23]);
    const withDtd = parse('<!DOCTYPE web-app PUBLIC "-//x//DTD//EN" "http://example.invalid/x.dtd">\n<web-app>a&nbsp;b</web-app>');
    expect(withDtd.problems).toEqual([]);
    expect(withDtd.root!.text).toBe('a&nbsp;b');
  });

  it('accepts leading zeros in character references and keeps messages short for absurd names', () => {
    expect(attr(root('<a v="&#x0000000041;&#00000066;"/>'), 'v').value).toBe('AB');
    const long = 'n'.repeat(100_000);
    const p = parse(`<a>&${long};</a>`).problems[0]!;
    expect(p.message).toContain('is not defined');
    expect(p.message.length).toBeLessThan(300);
  });

  it('reports a bare ampersand and a bad character reference', () => {
    expect(parse('<a x="AT&T"/>').problems[0]!.message).toContain("'&' must start a reference");
    expect(parse('<a>&#0;</a>').problems[0]!.message).toContain("'&#0;' is not an allowed XML character");
  });
});

describe('parseXml: malformed input', () => {
  function problemOf(text: string) {
    const doc = parse(text);
    expect(doc.root).toBeUndefined();
    expect(doc.problems).toHaveLength(1);
    return doc.problems[0]!;
  }

  it('empty file and whitespace-only file', () => {
    for (const text of ['', '   \n\t\r\n']) {
      const p = problemOf(text);
      expect(p.message).toBe('empty file: no root element');
      expect(p.span.line).toBe(1);
    }
  });

  it('unclosed root', () => {
    const p = problemOf('<?xml version="1.0"?>\n<Server port="8005">\n  <Service/>\n');
    expect(p.message).toBe("XML is not well-formed: root element 'Server' (opened in line 2) is never closed: end of file reached");
    expect(lc(p.span)).toEqual([2, 1, 2, 21]);
  });

  it('unclosed inner element', () => {
    const p = problemOf('<Server>\n  <Service>\n    <Engine>\n');
    expect(p.message).toContain("element 'Engine' (opened in line 3) is never closed");
    expect(p.message).toContain('2 enclosing elements');
    expect(p.span.line).toBe(3);
  });

  it('mismatched end tag', () => {
    const p = problemOf('<Server>\n  <Service>\n    <Engine/>\n\n</Server>\n');
    expect(p.message).toBe("XML is not well-formed: expected closing tag 'Service' (opened in line 2) instead of 'Server'");
    expect(lc(p.span)).toEqual([5, 1, 5, 10]);
  });

  it('fragment with several top-level elements', () => {
    const doc = parse('<Connector port="8080"/>\n<Connector port="8009"/>\n');
    expect(doc.root).toBeUndefined();
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]!.message).toMatch(/^XML fragment: 2 top-level elements; Tomcat needs exactly one root/);
    expect(lc(doc.problems[0]!.span)).toEqual([2, 1, 2, 25]);
    expect(parse('<a></a>\n<b></b>\n<c/>').problems[0]!.message).toMatch(/^XML fragment: 3 top-level elements/);
  });

  it('binary junk', () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, 0xff, 0xfe, 0x00]);
    const doc = parseXml(decode('app.war', bytes));
    expect(doc.root).toBeUndefined();
    expect(doc.problems[0]!.message).toBe('not an XML file: binary data at line 1, column 3 (U+0003)');
    expect(doc.problems[0]!.span.column).toBe(3);
    const nul = problemOf('<Server>\n  <Service>\u0000</Service>\n</Server>');
    expect(nul.message).toMatch(/^not an XML file: binary data at line 2, column 12/);
    const ctl = problemOf('<a>\n\f</a>');
    expect(ctl.message).toBe('XML is not well-formed: character U+000C is not allowed in XML (line 2, column 1)');
  });

  it('text that is not XML at all', () => {
    const p = problemOf('\n\nworker.list=lb\nworker.lb.type=lb\n');
    expect(p.message).toMatch(/^not an XML file/);
    expect(p.span.line).toBe(3);
  });

  it('document with comments but no element', () => {
    expect(problemOf('<?xml version="1.0"?>\n<!-- nothing -->\n').message).toBe('XML has no root element');
  });

  it('other well-formedness errors, each at its line', () => {
    const cases: [string, RegExp, number][] = [
      ['<a>\n<b x="<!--"/>\n</a>', /'<' is not allowed in the value of attribute 'x'/, 2],
      ['<a>\n<!-- one -- two -->\n</a>', /'--' is not allowed inside a comment/, 2],
      ['<a>\n\n<!-- never closed\n</a>', /comment opened in line 3 is never closed/, 3],
      ['\n<?xml version="1.0"?>\n<a/>', /XML declaration .* only allowed at the very start/, 2],
      ['<a>\n<b x="1" x="2"/>\n</a>', /attribute 'x' appears twice/, 2],
      ['<a>\n<b x=1/>\n</a>', /must be in quotes/, 2],
      ['<a>\n<b x="1/>\n<c y="2"/>\n</a>', /'<' is not allowed in the value of attribute 'x'.*closing quote/, 3],
      ['<a>\n<b x="1/>\n</a>', /value of attribute 'x' in '<b' has no closing quote/, 2],
      ['<a>\n<b x="1"y="2"/>\n</a>', /missing whitespace before attribute 'y'/, 2],
      ['<a>\n<b x/>\n</a>', /attribute 'x' of '<b' has no value/, 2],
      ['<a>\n< b/>\n</a>', /'<' must be followed by an element name/, 2],
      ['<a>\n</b>\n</a>', /expected closing tag 'a' \(opened in line 1\) instead of 'b'/, 2],
      ['<a/>\n</a>', /closing tag '<\/a>' has no matching start tag/, 2],
      ['<a/>\ntrailing', /text after the root element/, 2],
      ['<a>\n<![CDATA[ x\n</a>', /CDATA section opened in line 2 is never closed/, 2],
      ['<a>\n<b\n', /start tag '<b' \(line 2\) is never closed/, 2],
      ['<a>\nx ]]> y</a>', /']]>' is not allowed/, 2],
      ['<a/>\n<!DOCTYPE a>', /DOCTYPE after the root element/, 2],
      ['<!DOCTYPE a [\n<!ENTITY e "x>\n', /quoted literal in the DOCTYPE is never closed/, 2],
    ];
    for (const [text, message, line] of cases) {
      const doc = parse(text);
      expect(doc.root, text).toBeUndefined();
      expect(doc.problems, text).toHaveLength(1);
      expect(doc.problems[0]!.message, text).toMatch(message);
      expect(doc.problems[0]!.message, text).toMatch(/^XML is not well-formed: /);
      expect(doc.problems[0]!.span.line, text).toBe(line);
    }
  });

  it("takes fast-xml-parser's verdict into account (its line/column mapped to our span)", () => {
    // A quirk of XMLValidator: an entity name longer than 20 characters is rejected. The scan
    // alone accepts it (declared in the DOCTYPE), so this problem can only come from the validator.
    const doc = parse('<!DOCTYPE a [<!ENTITY abcdefghijklmnopqrstuvwxyz "v">]>\n<a>\n  &abcdefghijklmnopqrstuvwxyz;</a>');
    expect(doc.root).toBeUndefined();
    expect(doc.problems[0]!.message).toBe("XML is not well-formed: char '&' is not expected");
    expect(lc(doc.problems[0]!.span)).toEqual([3, 3, 3, 4]);
  });

  it('does not trip over the validator misreading ">" inside a DOCTYPE literal', () => {
    const doc = parse('<!DOCTYPE a [\n<!ENTITY e "x>y">\n]>\n<a>&e;</a>');
    expect(doc.problems).toEqual([]);
    expect(doc.root!.text).toBe('&e;');
  });

  it('never throws, whatever the input', () => {
    const valid = SERVER_XML;
    for (let cut = 0; cut <= valid.length; cut += 7) {
      expect(() => parse(valid.slice(0, cut))).not.toThrow();
      expect(() => parse(valid.slice(cut))).not.toThrow();
    }
    const pieces = ['<', '>', '/', '</a>', '<a>', '<a ', 'x="', "'", '"', '&', '&lt;', '&#', ';', '<!--', '-->', '<![CDATA[', ']]>', '<?', '?>', '<!DOCTYPE a [', ']', '\n', '\r', ' ', 'é', '\u0000'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.string(), (parts, junk) => {
        const doc = parse(parts.join('') + junk);
        expect(doc.kind).toBe('xml');
        if (doc.root === undefined) expect(doc.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
    // Not even a malformed SourceText.
    expect(() => parseXml({ file: 'x', text: undefined as unknown as string, encoding: 'utf-8', bom: false, eol: '\n' })).not.toThrow();
  });
});

describe('parseXml: size and depth', () => {
  it('reports 100000-deep nesting instead of crashing', () => {
    const depth = 100_000;
    const doc = parse('<a>'.repeat(depth) + '</a>'.repeat(depth));
    expect(doc.root).toBeUndefined();
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]!.message).toMatch(/^XML nesting too deep/);
    expect(() => parse('<a>'.repeat(200_000))).not.toThrow();
  });

  it(`parses nesting up to ${MAX_XML_DEPTH} levels`, () => {
    const doc = parse('<a>'.repeat(MAX_XML_DEPTH) + '</a>'.repeat(MAX_XML_DEPTH));
    expect(doc.problems).toEqual([]);
    expect(elements(doc.root)).toHaveLength(MAX_XML_DEPTH);
  });

  it('handles a 200000-character attribute value and a 2,000,000-character line', () => {
    const long = 'x'.repeat(200_000);
    const a = attr(root(`<a v="${long}" w="1"/>`), 'w');
    expect(lc(a.nameSpan)).toEqual([1, 200_009, 1, 200_010]);
    const connectors = '<Connector port="1" protocol="HTTP/1.1"/>'.repeat(50_000);
    expect(connectors.length).toBeGreaterThan(2_000_000);
    const r = root(`<Server>${connectors}</Server>`);
    expect(r.children).toHaveLength(50_000);
    expect(r.children[49_999]!.startTagSpan.column).toBe(9 + 49_999 * 41);
  });

  it('parses 120000 connectors in a few seconds', () => {
    const lines = ['<Server>', '  <Service name="Catalina">'];
    for (let i = 0; i < 120_000; i++) lines.push(`    <Connector port="${10_000 + i}" protocol="AJP/1.3" redirectPort="8443"/>`);
    lines.push('  </Service>', '</Server>');
    const t0 = performance.now();
    const doc = parse(lines.join('\n'));
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(10_000);
    expect(doc.problems).toEqual([]);
    const connectors = doc.root!.children[0]!.children;
    expect(connectors).toHaveLength(120_000);
    const last = connectors[119_999]!;
    expect(attr(last, 'port').value).toBe('129999');
    expect(lc(attr(last, 'port').valueSpan)).toEqual([120_002, 22, 120_002, 28]);
  });
});

describe('parseXml: encodings', () => {
  it('reads a GBK-declared file: Chinese comment text and positions', () => {
    const gbk = (...bytes: number[]) => Buffer.from(bytes);
    const zhongwen = gbk(0xd6, 0xd0, 0xce, 0xc4); // 中文
    const zhushi = gbk(0xd7, 0xa2, 0xca, 0xcd); // 注释
    const bytes = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="GBK"?>\n<Server>\n  <!-- '),
      zhongwen,
      zhushi,
      Buffer.from(' --><Engine name="'),
      zhongwen,
      Buffer.from('" jvmRoute="t1"/>\n</Server>\n'),
    ]);
    const doc = parseXml(decode('tomcat1/conf/server.xml', bytes));
    expect(doc.source.encoding).toBe('gbk');
    expect(doc.declaredEncoding).toBe('GBK');
    expect(doc.problems).toEqual([]);
    expect(doc.comments).toHaveLength(1);
    expect(doc.comments[0]!.text).toBe('中文注释');
    expect(lc(doc.comments[0]!.span)).toEqual([3, 3, 3, 16]);
    const engine = doc.root!.children[0]!;
    expect(lc(engine.nameSpan)).toEqual([3, 17, 3, 23]);
    expect(attr(engine, 'name').value).toBe('中文');
    expect(lc(attr(engine, 'jvmRoute').valueSpan)).toEqual([3, 44, 3, 46]);
  });

  it('records the declared encoding as written, single-quoted too', () => {
    expect(parse("<?xml version='1.0' encoding='iso-8859-1' ?><a/>").declaredEncoding).toBe('iso-8859-1');
    expect(parse('<?xml version="1.0"?><a/>').declaredEncoding).toBeUndefined();
  });
});
