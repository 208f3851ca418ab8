// e2e/RESULTS.md: per scenario, what cluster-lint said and what the real cluster did.
import type { Observation } from './cluster.js';
import { evidence, failoverText, hops, isSticky, lbNodes, replicationText, routeSuffixOk, seq, stickyText, visitors } from './expect.js';
import { errorRules, ruleSeverity, warningRules, type LintRun } from './lint.js';
import { NODES, type ScenarioSpec } from './render.js';

export interface ScenarioResult {
  spec: ScenarioSpec;
  /** cluster-lint with every folder declared on one host (--host), as the e2e cluster runs. */
  lint?: LintRun;
  /** cluster-lint without --host: the hosts are inferred. */
  lintInferred?: LintRun;
  obs?: Observation;
  error?: string;
  passed: number;
  failed: number;
  failures: string[];
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Tomcat console line without its timestamp and thread; httpd/mod_jk lines without their date. */
export function shortLine(line: string): string {
  let s = line
    .replace(/^\d{2}-\w{3}-\d{4} [\d:.]+ (\w+) \[[^\]]*\] /, '$1 ')
    .replace(/^\[[^\]]*\d{4}\] /, '')
    .replace(/^\[\d+:\d+\] /, '');
  s = s.replace(/org\.apache\.catalina\.tribes\.membership\.MemberImpl\[(tcp:\/\/\{[^}]*\}:\d+),[^\]]*\]/g, 'MemberImpl[$1,…]');
  return s.length > 220 ? `${s.slice(0, 217)}…` : s;
}

/** One line for the table: what each probe step saw, without session ids. */
export function whatHappened(obs: Observation): string {
  const parts: string[] = [];
  const short = (n: string | undefined): string => (n ?? '?').replace('tomcat', 't');
  for (const n of NODES) {
    const st = obs.nodes[n];
    if (st.state !== 'up') parts.push(`${n} ${st.state === 'exited' ? (st.reachedStartup ? 'started, then exited' : 'never started (JVM exited)') : 'never finished starting'}`);
  }
  if (obs.httpd.state !== 'up') {
    parts.push(`httpd ${obs.httpd.state === 'exited' ? 'exited at start' : obs.httpd.state} (\`apache2 -t\` had said "${obs.configTest}")`);
    return parts.join('; ');
  }
  if (NODES.every((n) => obs.nodes[n].state === 'up')) {
    parts.push(obs.membership.tomcat1 && obs.membership.tomcat2 ? 'group formed' : obs.membership.tomcat1 || obs.membership.tomcat2 ? 'group half formed' : 'no members');
  }
  const served = lbNodes(obs);
  const others = [...new Set(obs.lb.filter((h) => h.status !== 200).map((h) => (h.status === 0 ? 'no answer' : String(h.status))))];
  parts.push(`new visitors → ${served.length ? served.map(short).join('+') : 'nobody'}${others.length ? ` (and ${others.join(', ')})` : ''}`);
  const vs = visitors(obs);
  const path = (hits: typeof obs.lb): string => hits.map((h) => (h.status === 200 ? short(h.node) : h.status === 0 ? '…' : String(h.status))).join('→');
  if (!vs.length) parts.push('no visitor kept a session');
  else if (isSticky(obs)) parts.push(`sticky${routeSuffixOk(obs) ? '' : ' (session id suffix ≠ jvmRoute)'}`);
  else parts.push(`${hops(obs) ? 'not sticky' : 'visitor errors'}: ${vs.filter(([, hits]) => hits.some((h) => h.node !== hits[0]?.node || h.status !== 200)).map(([, hits]) => path(hits)).join(', ')}`);
  const r = obs.replication;
  parts.push(`replication ${'skipped' in r ? 'not tried' : r.replicated ? 'yes' : 'no'}`);
  const f = obs.failover;
  const fo =
    f.outcome === 'survives' ? 'session survived' : f.outcome === 'lost' ? 'session lost' : f.outcome === 'skipped' ? 'not tried' : f.outcome === 0 ? 'no answer' : String(f.outcome);
  parts.push(`failover${f.stopped ? ` (${short(f.stopped)} stopped)` : ''}: ${fo}`);
  return parts.join('; ');
}

function versions(results: ScenarioResult[]): string {
  const logs = results.map((r) => r.obs?.logs).filter((l) => l !== undefined);
  const tomcat = logs.map((l) => l.tomcat1.match(/Server version name:\s+(.*)/)?.[1]).find(Boolean);
  const httpd = logs.map((l) => l.httpd.match(/(Apache\/[\d.]+[^ ]*(?: \([^)]*\))? mod_jk\/[\d.]+)/)?.[1]).find(Boolean);
  const jvm = logs.map((l) => l.tomcat1.match(/JVM Version:\s+(.*)/)?.[1]).find(Boolean);
  return [tomcat, httpd, jvm ? `JVM ${jvm}` : undefined].filter(Boolean).join(', ');
}

export function renderResults(results: ScenarioResult[], totalMs: number): string {
  const lines: string[] = [];
  lines.push('# e2e: the rules against real servers');
  lines.push('');
  lines.push(`Written by \`npm run test:e2e\` (test/e2e/) on ${new Date().toISOString().slice(0, 10)}: ${versions(results) || 'versions unknown'};`);
  lines.push(`two Tomcat nodes and one httpd on loopback inside a network namespace. ${results.length} scenarios in ${Math.round(totalMs / 1000)} s.`);
  lines.push('Each scenario is one fault in an otherwise clean cluster (`e2e/scenarios/<name>/`); the probe is the same for all:');
  lines.push('6 requests of new visitors through httpd; for each node a visitor whose session was born there, 6 requests;');
  lines.push("an attribute set through httpd and read on the other node's own HTTP port; then the node holding a visitor's");
  lines.push('session is stopped (SIGTERM) and the session asked for again through httpd. The full probe: e2e/README.md.');
  lines.push('cluster-lint runs on the rendered folders with `--host` naming one host for all three (they do share one).');
  lines.push('');
  lines.push('| rule | fault | cluster-lint | what the real cluster did | log line |');
  lines.push('|---|---|---|---|---|');
  for (const r of results) {
    const rule = r.spec.rule ? `\`${r.spec.rule}\`` : '(clean)';
    let lint = 'not run';
    if (r.lint) {
      const errs = errorRules(r.lint);
      if (r.lint.failure) lint = `CLI failed: ${r.lint.failure.slice(0, 120)}`;
      else if (r.spec.rule) lint = errs.includes(r.spec.rule) ? `reported${errs.length > 1 ? ` (also ${errs.filter((e) => e !== r.spec.rule).join(', ')})` : ''}` : `**not reported**${errs.length ? ` (errors: ${errs.join(', ')})` : ''}`;
      else lint = errs.length ? `**errors: ${errs.join(', ')}**` : `no errors${warningRules(r.lint).length ? ` (warnings: ${warningRules(r.lint).join(', ')})` : ''}`;
      if (r.spec.rule && r.lintInferred && ruleSeverity(r.lintInferred, r.spec.rule) !== ruleSeverity(r.lint, r.spec.rule)) {
        lint += `; without --host: ${['not reported', 'a warning', 'an error'][ruleSeverity(r.lintInferred, r.spec.rule)]}`;
      }
    }
    const did = r.obs ? `${whatHappened(r.obs)}${r.spec.note ? ` — ${r.spec.note}` : ''}` : `harness error: ${r.error ?? 'unknown'}`;
    const ev = r.obs ? evidence(r.spec.expect, r.obs) : undefined;
    const evText = ev ? `${ev.log}: \`${shortLine(ev.line).replace(/`/g, "'")}\`` : '';
    const verdict = r.failed ? ` **(${r.failed} check${r.failed > 1 ? 's' : ''} failed)**` : '';
    lines.push(`| ${rule} | ${cell(r.spec.fault)} | ${cell(lint)} | ${cell(did)}${verdict} | ${cell(evText)} |`);
  }
  lines.push('');
  lines.push('## Details');
  lines.push('');
  for (const r of results) {
    lines.push(`### ${r.spec.name}${r.spec.rule ? ` (\`${r.spec.rule}\`)` : ''}`);
    lines.push('');
    lines.push(`- fault: ${r.spec.fault}`);
    lines.push(`- design.md says: ${r.spec.claim}`);
    if (r.lint) {
      const msgs = r.lint.messages.filter((m) => m.severity === 2);
      lines.push(`- cluster-lint (exit ${r.lint.exitCode}): ${msgs.length ? '' : 'no errors'}`);
      for (const m of msgs.slice(0, 8)) lines.push(`  - ${m.ruleId} at ${m.file}:${m.line}: ${m.message.replace(/\n/g, ' ').slice(0, 200)}`);
    }
    if (r.obs) {
      const o = r.obs;
      lines.push(`- apache2 -t: ${o.configTest}`);
      lines.push(`- nodes: ${NODES.map((n) => `${n} ${o.nodes[n].state}${o.nodes[n].startupMs ? ` (${(o.nodes[n].startupMs / 1000).toFixed(1)} s)` : ''}`).join(', ')}; httpd ${o.httpd.state}`);
      lines.push(`- fresh requests: ${seq(o.lb)}`);
      lines.push(`- visitors: ${stickyText(o)}`);
      lines.push(`- replication: ${replicationText(o)}`);
      lines.push(`- failover: ${failoverText(o)}`);
      const jk = Object.entries(o.jkAfter).filter(([k]) => k.endsWith('.state')).map(([k, v]) => `${k}=${v}`).join(', ');
      if (jk) lines.push(`- mod_jk worker states after the failover: ${jk}`);
      lines.push(`- wall time: ${Math.round((o.ms.total ?? 0) / 1000)} s`);
    }
    if (r.failures.length) {
      lines.push('- failed checks:');
      for (const f of r.failures) lines.push(`  - ${f}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
