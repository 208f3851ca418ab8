import { describe, expect, it } from 'vitest';
import { formatSarif, toSarif } from '../../src/report/sarif.js';
import { CWD, FINDINGS, RULES } from './findings.js';
import { sarifErrors } from './sarif-schema.js';

const PAGES: Record<string, string> = {
  'port-conflict': '# port-conflict\n\nIntro.\n\n## What it checks\n\nTwo listeners on one host\nbind one port.\n\nMore.\n\n## How to fix\n\nMove one.\n',
};
const sarif = (findings = FINDINGS) => toSarif({ findings, rules: RULES, cwd: CWD, version: '1.2.3', page: (id) => PAGES[id] });

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema', () => {
    expect(sarifErrors(sarif())).toBeUndefined();
    expect(sarifErrors(sarif([]))).toBeUndefined();
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = sarif();
    delete (log.runs[0]!.results![0] as { message?: unknown }).message;
    expect(sarifErrors(log)).toMatch(/must have required property 'message'/);
    const bad = sarif();
    (bad.runs[0]!.results![0] as { level: string }).level = 'fatal';
    expect(sarifErrors(bad)).toMatch(/must be equal to one of the allowed values/);
  });

  it('describes every rule, and findings of rules outside the registry, with matching ruleIndex', () => {
    const run = sarif().runs[0]!;
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(['port-conflict', 'deprecated-directive', 'default-shutdown-command', 'unused-suppression']);
    for (const r of run.results!) expect(rules[r.ruleIndex!]!.id).toBe(r.ruleId);
    expect(rules[0]!.fullDescription!.text).toBe('Two listeners on one host bind one port.');
    expect(rules[0]!.help!.markdown).toBe(PAGES['port-conflict']);
    expect(rules[0]!.helpUri).toMatch(/^file:\/\/.*\/docs\/rules\/port-conflict\.md$/);
    expect(rules[2]!.defaultConfiguration).toEqual({ enabled: false, level: 'warning' });
  });

  it('snapshot (paths relative to SRCROOT, percent-encoded; outside files absolute)', () => {
    const text = formatSarif({ findings: FINDINGS, rules: RULES, cwd: CWD, version: '1.2.3', page: (id) => PAGES[id] });
    const log = JSON.parse(text);
    // Rule help texts and the local docs path are checked above; keep the snapshot to results.
    expect({ originalUriBaseIds: log.runs[0].originalUriBaseIds, columnKind: log.runs[0].columnKind, driver: { ...log.runs[0].tool.driver, rules: undefined }, results: log.runs[0].results }).toMatchInlineSnapshot(`
      {
        "columnKind": "utf16CodeUnits",
        "driver": {
          "informationUri": "https://www.npmjs.com/package/cluster-lint",
          "name": "cluster-lint",
          "rules": undefined,
          "version": "1.2.3",
        },
        "originalUriBaseIds": {
          "SRCROOT": {
            "uri": "file:///proj/",
          },
        },
        "results": [
          {
            "level": "error",
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "tomcat2/conf/server.xml",
                    "uriBaseId": "SRCROOT",
                  },
                  "region": {
                    "endColumn": 54,
                    "endLine": 29,
                    "startColumn": 5,
                    "startLine": 26,
                  },
                },
              },
            ],
            "message": {
              "text": "Port 8080 is also bound by tomcat1 (conf/server.xml:26) on the same host",
            },
            "relatedLocations": [
              {
                "id": 1,
                "message": {
                  "text": "tomcat1 binds 8080 here",
                },
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "tomcat1/conf/server.xml",
                    "uriBaseId": "SRCROOT",
                  },
                  "region": {
                    "endColumn": 27,
                    "endLine": 26,
                    "startColumn": 16,
                    "startLine": 26,
                  },
                },
              },
            ],
            "ruleId": "port-conflict",
            "ruleIndex": 0,
          },
          {
            "level": "warning",
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "apache%20conf/%E9%9B%86%E7%BE%A4/workers.properties",
                    "uriBaseId": "SRCROOT",
                  },
                  "region": {
                    "endColumn": 20,
                    "endLine": 3,
                    "startColumn": 11,
                    "startLine": 3,
                  },
                },
              },
            ],
            "message": {
              "text": "worker.t1.cachesize is deprecated: use connection_pool_size | "quoted" <distributable/> & *stars*",
            },
            "ruleId": "deprecated-directive",
            "ruleIndex": 1,
          },
          {
            "level": "warning",
            "locations": [
              {
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "file:///elsewhere/server.xml",
                  },
                  "region": {
                    "endColumn": 60,
                    "endLine": 1,
                    "startColumn": 1,
                    "startLine": 1,
                  },
                },
              },
            ],
            "message": {
              "text": "This suppression suppresses nothing: remove it.",
            },
            "ruleId": "unused-suppression",
            "ruleIndex": 3,
          },
        ],
      }
    `);
  });
});
