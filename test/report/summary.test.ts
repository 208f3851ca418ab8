import { describe, expect, it } from 'vitest';
import { cell, formatSummary, MAX_ROWS } from '../../src/report/summary.js';
import type { Finding } from '../../src/types.js';
import { CWD, FILES, FINDINGS } from './findings.js';

describe('job summary (Markdown)', () => {
  it('counts, then one table row per finding', () => {
    expect(formatSummary({ files: FILES, findings: FINDINGS, cwd: CWD, model: undefined })).toMatchInlineSnapshot(`
      "## cluster-lint: 1 error, 2 warnings

      Checked 4 files.

      | severity | rule | where | message |
      |---|---|---|---|
      | 🔴 error | \`port-conflict\` | tomcat2/conf/server.xml:26:5<br>also tomcat1/conf/server.xml:26:16 | Port 8080 is also bound by tomcat1 (conf/server.xml:26) on the same host |
      | 🟡 warning | \`deprecated-directive\` | apache conf/集群/workers.properties:3:11 | worker.t1.cachesize is deprecated: use connection\\_pool\\_size \\| "quoted" &lt;distributable/&gt; &amp; \\*stars\\* |
      | 🟡 warning | \`unused-suppression\` | /elsewhere/server.xml:1:1 | This suppression suppresses nothing: remove it. |
      "
    `);
  });

  it('says so when there is nothing to report', () => {
    expect(formatSummary({ files: FILES, findings: [], cwd: CWD, model: undefined })).toBe('## cluster-lint: no problems\n\nChecked 4 files.\n');
  });

  it('caps the table', () => {
    const many: Finding[] = Array.from({ length: MAX_ROWS + 7 }, () => FINDINGS[0]!);
    const text = formatSummary({ files: FILES, findings: many, cwd: CWD, model: undefined });
    expect(text.split('\n').filter((l) => l.startsWith('| 🔴'))).toHaveLength(MAX_ROWS);
    expect(text).toContain('…and 7 more');
  });

  it('escapes cells: no HTML, no emphasis, no broken table', () => {
    expect(cell('a | b <c> & *d* _e_ `f` [g](h)\nnext')).toBe('a \\| b &lt;c&gt; &amp; \\*d\\* \\_e\\_ \\`f\\` \\[g\\](h)<br>next');
  });
});
