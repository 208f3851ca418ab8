import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decode } from '../../src/parsers/source.js';
import { parseHttpd } from '../../src/parsers/httpd.js';
import type { HttpdDirective } from '../../src/parsers/syntax.js';
import type { Span } from '../../src/types.js';

const src = (text: string, file = 'httpd.conf') => decode(file, Buffer.from(text));
const pos = (s: Span) => [s.line, s.column, s.endLine, s.endColumn];
const args = (d: HttpdDirective) => d.args.map((a) => a.value);
const tree = (ds: HttpdDirective[]): unknown[] =>
  ds.map((d) => (d.children ? [d.name, args(d), tree(d.children)] : [d.name, args(d)]));

const CONF = `LoadModule jk_module modules/mod_jk.so
<IfModule mod_jk.c>
    JkWorkersFile conf/workers.properties
    <VirtualHost *:80>
        ServerName www.example.com
        JkMount /app/* lb
        <Location /jkstatus>
            JkMount status
            Require ip 127.0.0.1
        </Location>
    </VirtualHost>
</ifmodule>
<Proxy balancer://c>
    BalancerMember ajp://127.0.0.1:8009 route=tomcat1 secret="s e"
    ProxySet stickysession=JSESSIONID|jsessionid
</Proxy>
ProxyPass /app balancer://c/app
`;

describe('parseHttpd', () => {
  it('nests sections and links parents', () => {
    const doc = parseHttpd(src(CONF));
    expect(doc.kind).toBe('httpd');
    expect(doc.problems).toEqual([]);
    expect(tree(doc.directives)).toEqual([
      ['LoadModule', ['jk_module', 'modules/mod_jk.so']],
      [
        'IfModule',
        ['mod_jk.c'],
        [
          ['JkWorkersFile', ['conf/workers.properties']],
          [
            'VirtualHost',
            ['*:80'],
            [
              ['ServerName', ['www.example.com']],
              ['JkMount', ['/app/*', 'lb']],
              ['Location', ['/jkstatus'], [['JkMount', ['status']], ['Require', ['ip', '127.0.0.1']]]],
            ],
          ],
        ],
      ],
      [
        'Proxy',
        ['balancer://c'],
        [
          // httpd only honours a quote at the start of a word: this is two words to it.
          ['BalancerMember', ['ajp://127.0.0.1:8009', 'route=tomcat1', 'secret="s', 'e"']],
          ['ProxySet', ['stickysession=JSESSIONID|jsessionid']],
        ],
      ],
      ['ProxyPass', ['/app', 'balancer://c/app']],
    ]);
    const ifm = doc.directives[1]!;
    expect(ifm.key).toBe('ifmodule');
    expect(ifm.parent).toBeUndefined();
    const vh = ifm.children![1]!;
    expect(vh.key).toBe('virtualhost');
    expect(vh.parent).toBe(ifm);
    const loc = vh.children![2]!;
    expect(loc.parent).toBe(vh);
    expect(loc.children![0]!.parent).toBe(loc);
    expect(doc.directives[0]!.children).toBeUndefined();
    expect(loc.children![0]!.children).toBeUndefined();
  });

  it('gives exact spans for names, arguments and sections', () => {
    const text = CONF;
    const doc = parseHttpd(src(text));
    const vh = doc.directives[1]!.children![1]!;
    expect(pos(vh.span)).toEqual([4, 5, 4, 23]);
    expect(pos(vh.nameSpan)).toEqual([4, 6, 4, 17]);
    expect(vh.args.map((a) => [a.value, a.quoted, pos(a.span)])).toEqual([['*:80', false, [4, 18, 4, 22]]]);
    expect(text.slice(vh.start, vh.end)).toBe('<VirtualHost *:80>');
    const jk = vh.children![1]!;
    expect(jk.key).toBe('jkmount');
    expect(pos(jk.span)).toEqual([6, 9, 6, 26]);
    expect(pos(jk.nameSpan)).toEqual([6, 9, 6, 16]);
    expect(jk.args.map((a) => pos(a.span))).toEqual([
      [6, 17, 6, 23],
      [6, 24, 6, 26],
    ]);
    const member = doc.directives[2]!.children![0]!;
    expect(member.args.map((a) => [a.value, a.quoted, pos(a.span)])).toEqual([
      ['ajp://127.0.0.1:8009', false, [14, 20, 14, 40]],
      ['route=tomcat1', false, [14, 41, 14, 54]],
      ['secret="s', false, [14, 55, 14, 64]],
      ['e"', false, [14, 65, 14, 67]],
    ]);
    // A quote opening a word keeps its spaces; the span covers the quotes, the value does not.
    const quoted = parseHttpd(src('BalancerMember ajp://h:8009 "secret=s e" \'route=a b\'\n')).directives[0]!;
    expect(quoted.args.map((a) => [a.value, a.quoted, pos(a.span)])).toEqual([
      ['ajp://h:8009', false, [1, 16, 1, 28]],
      ['secret=s e', true, [1, 29, 1, 41]],
      ['route=a b', true, [1, 42, 1, 53]],
    ]);
    expect(text.slice(member.start, member.end)).toBe('BalancerMember ajp://127.0.0.1:8009 route=tomcat1 secret="s e"');
  });

  it('strips quotes and the closing > from section arguments', () => {
    const doc = parseHttpd(src('<Proxy "balancer://mycluster">\n</Proxy>\n<VirtualHost *:80 *:443 >\n</VirtualHost>\n<Location>\n</Location>\n<If "%{HTTP_HOST} > \'a\'">\n</If>\n'));
    expect(doc.problems).toEqual([]);
    expect(doc.directives.map((d) => [d.name, d.args.map((a) => [a.value, a.quoted])])).toEqual([
      ['Proxy', [['balancer://mycluster', true]]],
      ['VirtualHost', [['*:80', false], ['*:443', false]]],
      ['Location', []],
      ['If', [["%{HTTP_HOST} > 'a'", true]]],
    ]);
    expect(pos(doc.directives[0]!.args[0]!.span)).toEqual([1, 8, 1, 30]);
  });

  it('handles quotes and escapes as ap_getword_conf does', () => {
    const text = `Header set X "a \\"b\\" c" 'it''s' C:\\dir\\\\x "C:\\web\\conf" "unterminated arg\n`;
    const doc = parseHttpd(src(text));
    const d = doc.directives[0]!;
    expect(d.args.map((a) => [a.value, a.quoted])).toEqual([
      ['set', false],
      ['X', false],
      ['a "b" c', true],
      ['it', true],
      ['s', true],
      ['C:\\dir\\x', false],
      ['C:\\web\\conf', true],
      ['unterminated arg', true],
    ]);
    const q = d.args[2]!;
    expect(text.slice(q.span.column - 1, q.span.endColumn - 1)).toBe('"a \\"b\\" c"');
  });

  it('joins lines ending in a backslash', () => {
    const text = 'ProxyPass /app \\\n    balancer://c/app \\\n  stickysession=JSESSIONID\nNext one\n';
    const doc = parseHttpd(src(text));
    expect(doc.directives.map((d) => [d.name, args(d)])).toEqual([
      ['ProxyPass', ['/app', 'balancer://c/app', 'stickysession=JSESSIONID']],
      ['Next', ['one']],
    ]);
    const pp = doc.directives[0]!;
    expect(pos(pp.span)).toEqual([1, 1, 3, 27]);
    expect(pp.args.map((a) => pos(a.span))).toEqual([
      [1, 11, 1, 15],
      [2, 5, 2, 21],
      [3, 3, 3, 27],
    ]);
    expect(pos(doc.directives[1]!.span)).toEqual([4, 1, 4, 9]);
    // A word split by a continuation spans both lines; the backslash is removed.
    const split = parseHttpd(src('JkMount /ap\\\np lb\n')).directives[0]!;
    expect(split.args.map((a) => [a.value, pos(a.span)])).toEqual([
      ['/app', [1, 9, 2, 2]],
      ['lb', [2, 3, 2, 5]],
    ]);
    // No continuation when something follows the backslash, or at end of file.
    expect(args(parseHttpd(src('A b\\ \nC d\n')).directives[0]!)).toEqual(['b\\']);
    expect(args(parseHttpd(src('A b\\')).directives[0]!)).toEqual(['b\\']);
  });

  it('continues comments too, as httpd does, and recognises # only at line start', () => {
    const text = '  # first \\\n  JkMount /x lb\n# plain\nServerName a#b # c\n';
    const doc = parseHttpd(src(text));
    expect(doc.comments.map((c) => [c.text, pos(c.span)])).toEqual([
      ['first   JkMount /x lb', [1, 3, 2, 16]],
      ['plain', [3, 1, 3, 8]],
    ]);
    expect(doc.directives.map((d) => [d.name, args(d)])).toEqual([['ServerName', ['a#b', '#', 'c']]]);
  });

  it('reports unclosed sections at their opening and keeps what was parsed', () => {
    const doc = parseHttpd(src('<IfModule mod_jk.c>\n  <VirtualHost *:80>\n    JkMount /a w\n'));
    expect(doc.problems.map((p) => [p.message, pos(p.span)])).toEqual([
      ['<VirtualHost> opened here is never closed', [2, 3, 2, 21]],
      ['<IfModule> opened here is never closed', [1, 1, 1, 20]],
    ]);
    expect(tree(doc.directives)).toEqual([['IfModule', ['mod_jk.c'], [['VirtualHost', ['*:80'], [['JkMount', ['/a', 'w']]]]]]]);
  });

  it('reports stray and mismatched closing tags at the closing line', () => {
    const doc = parseHttpd(src('</Location>\n<Proxy balancer://x>\n  BalancerMember ajp://a:8009\n</Location>\n</Proxy>\nA b\n'));
    expect(doc.problems.map((p) => [p.message, pos(p.span)])).toEqual([
      ['</Location> closes nothing', [1, 1, 1, 12]],
      ['</Location> closes nothing (expected </Proxy>)', [4, 1, 4, 12]],
    ]);
    expect(tree(doc.directives)).toEqual([['Proxy', ['balancer://x'], [['BalancerMember', ['ajp://a:8009']]]], ['A', ['b']]]);

    // Closing an outer section closes the inner ones it skips.
    const skip = parseHttpd(src('<VirtualHost *:80>\n<Proxy balancer://x>\nB m\n</VirtualHost>\nAfter x\n'));
    expect(skip.problems.map((p) => [p.message, p.span.line])).toEqual([['expected </Proxy> but saw </VirtualHost>', 4]]);
    expect(tree(skip.directives)).toEqual([['VirtualHost', ['*:80'], [['Proxy', ['balancer://x'], [['B', ['m']]]]]], ['After', ['x']]]);
  });

  it('reports sections missing their closing >', () => {
    const doc = parseHttpd(src('<VirtualHost *:80\n</VirtualHost\n< x>\n'));
    expect(doc.problems.map((p) => [p.message, p.span.line])).toEqual([
      ["<VirtualHost> is missing its closing '>'", 1],
      ["</VirtualHost> is missing its closing '>'", 2],
      ["'<' is not followed by a section name", 3],
    ]);
    expect(doc.directives.map((d) => [d.name, args(d)])).toEqual([['VirtualHost', ['*:80']]]);
  });

  it('gives the same lines and columns for LF, CRLF and CR', () => {
    const project = (eol: string) => {
      const doc = parseHttpd(src((CONF + '# x \\\nA\nB c\\\n d\n').replace(/\n/g, eol)));
      const flat: unknown[] = [];
      const walk = (ds: HttpdDirective[]) => {
        for (const d of ds) {
          flat.push([d.name, d.span, d.nameSpan, d.args]);
          if (d.children) walk(d.children);
        }
      };
      walk(doc.directives);
      return JSON.stringify([flat, doc.comments, doc.problems]);
    };
    expect(project('\r\n')).toBe(project('\n'));
    expect(project('\r')).toBe(project('\n'));
  });

  it('survives 100000 nested sections without recursion', () => {
    const n = 100_000;
    const text = '<Location /a>\n'.repeat(n) + 'X y\n' + '</Location>\n'.repeat(n);
    const doc = parseHttpd(src(text));
    expect(doc.problems).toEqual([]);
    let d = doc.directives[0]!;
    let depth = 1;
    while (d.children && d.children.length > 0) {
      d = d.children[0]!;
      depth++;
    }
    expect(depth).toBe(n + 1);
    expect(d.name).toBe('X');
    const unclosed = parseHttpd(src('<If x>\n'.repeat(n) + '</Else>\n'.repeat(n)));
    expect(unclosed.problems).toHaveLength(2 * n);
  });

  it('never throws on junk and stays fast on a 2,000,000-character line', () => {
    const junk = Buffer.alloc(4096);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 31) & 0xff;
    expect(() => parseHttpd(decode('junk', junk))).not.toThrow();
    expect(() => parseHttpd(src('<\n</\n<>\n</>\n>\n"\n\\\n\\\\\n\0<\0>\r\r\n\\\r'))).not.toThrow();
    const cases = [
      'A ' + 'x'.repeat(2_000_000),
      'A ' + 'x '.repeat(1_000_000),
      'A "' + '\\"'.repeat(1_000_000),
      '<Proxy ' + '>'.repeat(2_000_000),
      '<' + 'a'.repeat(2_000_000),
      '#'.repeat(2_000_000),
      'a\\\n'.repeat(300_000),
      '</x>\n'.repeat(200_000),
    ];
    for (const text of cases) {
      const t0 = performance.now();
      expect(() => parseHttpd(src(text))).not.toThrow();
      expect(performance.now() - t0, text.slice(0, 20)).toBeLessThan(3000);
    }
  });

  it('never throws for arbitrary text (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '<', '/', '>', '"', "'", '\\', '#', ' ', '\t', '\r', '\n', '\0') }),
        (text) => {
          const doc = parseHttpd(src(text));
          const walk = (ds: HttpdDirective[]) => {
            for (const d of ds) {
              expect(d.start).toBeLessThanOrEqual(d.end);
              if (d.children) walk(d.children);
            }
          };
          walk(doc.directives);
        },
      ),
    );
  });

  it('parses the httpd configuration files in the corpus', () => {
    const files = corpusFiles().filter((f) => f.endsWith('.conf'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const doc = parseHttpd(decode(f, readFileSync(f)));
      expect(doc.problems, f).toEqual([]);
      expect(doc.directives.length, f).toBeGreaterThan(0);
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
