import { describe, expect, it } from 'vitest';
import { formatGithub } from '../../src/report/github.js';
import { CWD, FINDINGS } from './findings.js';

describe('GitHub annotations', () => {
  it('writes one workflow command per finding, escaped by @actions/core, paths relative to cwd', () => {
    expect(formatGithub(FINDINGS, CWD)).toMatchInlineSnapshot(`
      "::error title=port-conflict,file=tomcat2/conf/server.xml,line=26,endLine=29::Port 8080 is also bound by tomcat1 (conf/server.xml:26) on the same host%0ASee also: tomcat1/conf/server.xml:26:16 (tomcat1 binds 8080 here)
      ::warning title=deprecated-directive,file=apache conf/集群/workers.properties,line=3,endLine=3,col=11,endColumn=20::worker.t1.cachesize is deprecated: use connection_pool_size | "quoted" <distributable/> & *stars*
      ::warning title=unused-suppression,file=/elsewhere/server.xml,line=1,endLine=1,col=1,endColumn=60::This suppression suppresses nothing: remove it.
      "
    `);
  });

  it('returns the text instead of writing to stdout, and puts stdout back', () => {
    const original = process.stdout.write;
    const text = formatGithub(FINDINGS.slice(0, 1), CWD);
    expect(process.stdout.write).toBe(original);
    expect(text.startsWith('::error ')).toBe(true);
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('writes nothing when there is nothing to report', () => {
    expect(formatGithub([], CWD)).toBe('');
  });
});

describe('GitHub annotation properties', () => {
  it('escapes what would end a property (comma, colon) and a message (newline)', () => {
    const text = formatGithub(
      [{ ruleId: 'r', severity: 'error', message: 'a\nb: c', span: { file: '/proj/a,b:c.xml', line: 1, column: 1, endLine: 1, endColumn: 2 }, related: [] }],
      '/proj',
    );
    expect(text).toBe('::error title=r,file=a%2Cb%3Ac.xml,line=1,endLine=1,col=1,endColumn=2::a%0Ab: c\n');
  });
});
