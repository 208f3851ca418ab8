/**
 * The fix `missing-distributable` attaches: `<distributable/>` where every web-app schema
 * accepts it, in the file's own indentation and line endings. Each case applies the edit to
 * the text and checks the result, then that the result is well-formed and distributable.
 */
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/parsers/source.js';
import { parseXml } from '../../src/parsers/xml.js';
import { distributableFix } from '../../src/rules/missing-distributable.js';
import type { Fix } from '../../src/types.js';

const FILE = '/c/tomcat1/webapps/shop/WEB-INF/web.xml';

function fixOf(text: string): { fix: Fix | undefined; text: string } {
  const source = decode(FILE, Buffer.from(text));
  const doc = parseXml(source);
  expect(doc.problems).toEqual([]);
  return { fix: distributableFix(doc.root!, source), text: source.text };
}

function apply(text: string, fix: Fix): string {
  let out = text;
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  for (const e of edits) {
    expect(e.file).toBe(FILE);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  }
  return out;
}

function fixed(text: string): string {
  const { fix, text: decoded } = fixOf(text);
  expect(fix).toBeDefined();
  const out = apply(decoded, fix!);
  // The result parses and now has <distributable/> as a child of the root.
  const doc = parseXml(decode(FILE, Buffer.from(out)));
  expect(doc.problems).toEqual([]);
  expect(doc.root!.children.filter((c) => c.localName === 'distributable')).toHaveLength(1);
  return out;
}

describe('missing-distributable fix', () => {
  it('Servlet 2.4: after <display-name>, in the indentation of the children', () => {
    const before = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<web-app xmlns="http://java.sun.com/xml/ns/j2ee"',
      '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
      '    xsi:schemaLocation="http://java.sun.com/xml/ns/j2ee http://java.sun.com/xml/ns/j2ee/web-app_2_4.xsd"',
      '    version="2.4">',
      '',
      '  <display-name>Cluster App Test</display-name>',
      '',
      '  <welcome-file-list>',
      '    <welcome-file>index.jsp</welcome-file>',
      '  </welcome-file-list>',
      '',
      '</web-app>',
      '',
    ].join('\n');
    expect(fixed(before)).toBe(
      before.replace('  <display-name>Cluster App Test</display-name>\n', '  <display-name>Cluster App Test</display-name>\n  <distributable/>\n'),
    );
  });

  it('Servlet 2.3 DTD: after <description>, before <context-param> (icon?, display-name?, description?, distributable?, context-param*)', () => {
    const before = [
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
      '<!DOCTYPE web-app PUBLIC "-//Sun Microsystems, Inc.//DTD Web Application 2.3//EN" "http://java.sun.com/dtd/web-app_2_3.dtd">',
      '<web-app>',
      '    <display-name>Shop</display-name>',
      '    <description>The shop</description>',
      '    <context-param>',
      '        <param-name>mode</param-name>',
      '        <param-value>live</param-value>',
      '    </context-param>',
      '</web-app>',
      '',
    ].join('\n');
    const after = fixed(before);
    expect(after).toBe(before.replace('<description>The shop</description>\n', '<description>The shop</description>\n    <distributable/>\n'));
    expect(after.indexOf('<distributable/>')).toBeLessThan(after.indexOf('<context-param>'));
  });

  it('no leading description elements: right after the <web-app> start tag', () => {
    const before = '<web-app version="3.1">\n  <servlet>\n    <servlet-name>a</servlet-name>\n  </servlet>\n  <display-name>late</display-name>\n</web-app>\n';
    expect(fixed(before)).toBe('<web-app version="3.1">\n  <distributable/>\n  <servlet>\n    <servlet-name>a</servlet-name>\n  </servlet>\n  <display-name>late</display-name>\n</web-app>\n');
  });

  it('a self-closing <web-app/> is opened and closed around it', () => {
    const before = '<?xml version="1.0"?>\n<web-app version="2.5" />\n';
    expect(fixed(before)).toBe('<?xml version="1.0"?>\n<web-app version="2.5">\n  <distributable/>\n</web-app>\n');
  });

  it('an empty <web-app></web-app> gets a tidy body', () => {
    const before = '<web-app version="4.0">\n</web-app>\n';
    expect(fixed(before)).toBe('<web-app version="4.0">\n  <distributable/>\n</web-app>\n');
  });

  it('keeps CRLF line endings', () => {
    const before = '<?xml version="1.0"?>\r\n<web-app version="2.4">\r\n  <display-name>Shop</display-name>\r\n  <welcome-file-list/>\r\n</web-app>\r\n';
    const after = fixed(before);
    expect(after).toBe('<?xml version="1.0"?>\r\n<web-app version="2.4">\r\n  <display-name>Shop</display-name>\r\n  <distributable/>\r\n  <welcome-file-list/>\r\n</web-app>\r\n');
    expect(after).not.toMatch(/[^\r]\n/);
  });

  it('keeps tab indentation', () => {
    const before = '<web-app version="2.4">\n\t<icon>\n\t\t<small-icon>a.gif</small-icon>\n\t</icon>\n\t<display-name>Shop</display-name>\n\t<servlet/>\n</web-app>\n';
    expect(fixed(before)).toBe('<web-app version="2.4">\n\t<icon>\n\t\t<small-icon>a.gif</small-icon>\n\t</icon>\n\t<display-name>Shop</display-name>\n\t<distributable/>\n\t<servlet/>\n</web-app>\n');
  });

  it('a tab-indented root without children indents with one more tab', () => {
    const before = '<root>\n\t<web-app/>\n</root>\n';
    // Not a web.xml root, but the helper only looks at the element it is given.
    const source = decode(FILE, Buffer.from(before));
    const doc = parseXml(source);
    const webApp = doc.root!.children[0]!;
    const fix = distributableFix(webApp, source)!;
    expect(apply(source.text, fix)).toBe('<root>\n\t<web-app>\n\t\t<distributable/>\n\t</web-app>\n</root>\n');
  });

  it('a namespace-prefixed root gets a prefixed element', () => {
    const before = '<j2ee:web-app xmlns:j2ee="http://java.sun.com/xml/ns/j2ee" version="2.4">\n  <j2ee:display-name>Shop</j2ee:display-name>\n</j2ee:web-app>\n';
    expect(fixed(before)).toBe(
      '<j2ee:web-app xmlns:j2ee="http://java.sun.com/xml/ns/j2ee" version="2.4">\n  <j2ee:display-name>Shop</j2ee:display-name>\n  <j2ee:distributable/>\n</j2ee:web-app>\n',
    );
  });

  it('offsets index the decoded text (a BOM and non-ASCII text before the insertion point)', () => {
    const body = '<web-app version="2.4">\n  <display-name>集群测试</display-name>\n</web-app>\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]);
    const source = decode(FILE, bytes);
    const fix = distributableFix(parseXml(source).root!, source)!;
    expect(apply(source.text, fix)).toBe('<web-app version="2.4">\n  <display-name>集群测试</display-name>\n  <distributable/>\n</web-app>\n');
  });
});
