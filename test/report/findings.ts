import type { RuleMeta } from '../../src/rules/api.js';
import type { Finding } from '../../src/types.js';

/** A project root that exists nowhere: every path in the formatter tests hangs off it. */
export const CWD = '/proj';

export const RULES: RuleMeta[] = [
  { id: 'port-conflict', severity: 'error', description: 'Two listeners on one host bind one port' },
  { id: 'deprecated-directive', severity: 'warning', description: 'A deprecated mod_jk directive', fixable: true },
  { id: 'default-shutdown-command', severity: 'off', description: 'An enabled shutdown port with the command SHUTDOWN' },
];

export const FINDINGS: Finding[] = [
  {
    ruleId: 'port-conflict',
    severity: 'error',
    message: 'Port 8080 is also bound by tomcat1 (conf/server.xml:26) on the same host',
    span: { file: '/proj/tomcat2/conf/server.xml', line: 26, column: 5, endLine: 29, endColumn: 54 },
    related: [{ span: { file: '/proj/tomcat1/conf/server.xml', line: 26, column: 16, endLine: 26, endColumn: 27 }, message: 'tomcat1 binds 8080 here' }],
  },
  {
    ruleId: 'deprecated-directive',
    severity: 'warning',
    message: 'worker.t1.cachesize is deprecated: use connection_pool_size | "quoted" <distributable/> & *stars*',
    span: { file: '/proj/apache conf/集群/workers.properties', line: 3, column: 11, endLine: 3, endColumn: 20 },
    related: [],
    fix: { description: 'rename', edits: [{ file: '/proj/apache conf/集群/workers.properties', start: 40, end: 49, text: 'connection_pool_size' }] },
  },
  {
    ruleId: 'unused-suppression',
    severity: 'warning',
    message: 'This suppression suppresses nothing: remove it.',
    span: { file: '/elsewhere/server.xml', line: 1, column: 1, endLine: 1, endColumn: 60 },
    related: [],
  },
];

export const FILES = ['/proj/tomcat1/conf/server.xml', '/proj/tomcat2/conf/server.xml', '/proj/apache conf/集群/workers.properties', '/elsewhere/server.xml'];
