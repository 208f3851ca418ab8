// What a scenario's scenario.json promises, checked against what the probe saw.
import type { Hit, Observation } from './cluster.js';
import type { Expectations, LogExpectation, NodeName } from './render.js';
import { NODES } from './render.js';

export interface Check {
  title: string;
  /** Returns what was seen; `ok` says whether it is what was expected. */
  evaluate(obs: Observation): { ok: boolean; saw: string };
}

export function hitText(h: Hit): string {
  if (h.status === 0) return h.error === 'timeout' ? 'no answer (timeout)' : `no answer (${h.error ?? 'error'})`;
  if (h.status === 200) return `${h.node ?? '?'}${h.session ? ` [${h.session.slice(0, 6)}…${h.session.includes('.') ? h.session.slice(h.session.indexOf('.')) : ' (no route)'}${h.isNew ? ', new' : ''}]` : ''}`;
  return h.error ? `${h.status || ''}${h.status ? ' ' : ''}${h.error}`.trim() : String(h.status);
}

export function seq(hits: Hit[]): string {
  return hits.map(hitText).join(' → ');
}

export function lbNodes(obs: Observation): NodeName[] {
  return NODES.filter((n) => obs.lb.some((h) => h.status === 200 && h.node === n));
}

export function visitors(obs: Observation): [NodeName, Hit[]][] {
  return NODES.flatMap((n) => (obs.sticky[n] ? [[n, obs.sticky[n]] as [NodeName, Hit[]]] : []));
}

/** Every visitor stays on the node its session was born on. */
export function isSticky(obs: Observation): boolean {
  const vs = visitors(obs);
  return vs.length > 0 && vs.every(([born, hits]) => hits.every((h) => h.status === 200 && h.node === born));
}

/** Some visitor is served by more than one node. */
export function hops(obs: Observation): boolean {
  return visitors(obs).some(([, hits]) => new Set(hits.filter((h) => h.status === 200).map((h) => h.node)).size > 1);
}

export function stickyText(obs: Observation): string {
  const vs = visitors(obs);
  if (!vs.length) return 'no visitor got a session';
  return vs.map(([born, hits]) => `born on ${born}: ${seq(hits)}`).join('; ');
}

/** Every 200 a visitor got carries a session id whose suffix is the serving node's jvmRoute. */
export function routeSuffixOk(obs: Observation): boolean {
  const hits = visitors(obs).flatMap(([, h]) => h.filter((x) => x.status === 200));
  return (
    hits.length > 0 &&
    hits.every((h) => {
      const route = h.session?.includes('.') ? h.session.slice(h.session.indexOf('.') + 1) : '';
      return route !== '' && route === h.jvmRoute;
    })
  );
}

export function replicationText(obs: Observation): string {
  const r = obs.replication;
  if ('skipped' in r) return `not tried: ${r.skipped}`;
  const last = r.direct[r.direct.length - 1];
  return r.replicated
    ? `set on ${r.from}, read on ${r.to}: present`
    : `set on ${r.from}, read on ${r.to}: ${last?.status === 200 ? (last.isNew ? 'unknown there (a new session)' : 'session there, attribute missing') : last ? hitText(last) : 'no answer'}`;
}

export function failoverText(obs: Observation): string {
  const f = obs.failover;
  if (f.outcome === 'skipped' || !f.before) return 'not tried: no fresh request got a 200 through httpd';
  if (f.outcome === 0) return `stopped ${f.stopped} → ${f.after ? hitText(f.after) : 'no answer'}`;
  const after = f.after;
  const what =
    f.outcome === 'survives'
      ? `session survived on ${after?.node} (${f.before.session} → ${after?.session})`
      : f.outcome === 'lost'
        ? `session lost: ${after?.node} answered ${f.before.session} with ${after?.isNew ? `a new session ${after.session}` : `session ${after?.session}, attribute missing (attributes: ${JSON.stringify(after?.attrs ?? {})})`}`
        : `${after ? hitText(after) : f.outcome}`;
  return `stopped ${f.stopped} → ${what}`;
}

function logCheck(e: LogExpectation): Check {
  const re = new RegExp(e.match, 'm');
  return {
    title: `log ${e.log} ${e.absent ? 'has no' : 'has'} /${e.match}/${e.beforeFailover ? ' before the failover' : ''}`,
    evaluate(obs) {
      const text = (e.beforeFailover ? (obs.logsBeforeFailover ?? obs.logs) : obs.logs)[e.log] ?? '';
      const line = text.split('\n').find((l) => re.test(l));
      return { ok: e.absent ? !line : !!line, saw: line ? line.slice(0, 400) : `no such line in ${e.log} (${text.split('\n').length} lines)` };
    },
  };
}

export function runtimeChecks(x: Expectations): Check[] {
  const checks: Check[] = [];
  if (x.nodes) {
    for (const [node, want] of Object.entries(x.nodes) as [NodeName, 'up' | 'exited'][]) {
      checks.push({
        title: `${node} is ${want}`,
        evaluate: (o) => ({ ok: o.nodes[node].state === want, saw: `${node}: ${o.nodes[node].state}${o.nodes[node].exitCode !== undefined ? ` (exit ${o.nodes[node].exitCode})` : ''}, reached startup: ${o.nodes[node].reachedStartup}` }),
      });
    }
  }
  if (x.httpd) {
    const want = x.httpd;
    checks.push({
      title: `httpd is ${want}`,
      evaluate: (o) => ({ ok: o.httpd.state === want, saw: `httpd: ${o.httpd.state}${o.httpd.exitCode !== undefined ? ` (exit ${o.httpd.exitCode})` : ''}` }),
    });
  }
  if (x.configTest !== undefined) {
    const want = x.configTest;
    checks.push({ title: `apache2 -t says "${want}"`, evaluate: (o) => ({ ok: o.configTest === want, saw: o.configTest }) });
  }
  if (x.membership !== undefined) {
    const want = x.membership;
    checks.push({
      title: want ? 'membership: both nodes log "Replication member added"' : 'membership: no node sees the other',
      evaluate: (o) => {
        const both = o.membership.tomcat1 && o.membership.tomcat2;
        const none = !o.membership.tomcat1 && !o.membership.tomcat2;
        return { ok: want ? both : none, saw: `member added: tomcat1 ${o.membership.tomcat1}, tomcat2 ${o.membership.tomcat2}` };
      },
    });
  }
  if (x.lb) {
    const want = [...x.lb].sort();
    checks.push({
      title: `load balancing: fresh requests answered by ${want.join(' and ')}`,
      evaluate: (o) => ({ ok: lbNodes(o).join() === want.join(), saw: seq(o.lb) }),
    });
  }
  if (x.lbStatuses) {
    const want = x.lbStatuses;
    checks.push({
      title: `load balancing: fresh requests include status ${want.join(', ')}`,
      evaluate: (o) => ({ ok: want.every((s) => o.lb.some((h) => h.status === s)), saw: seq(o.lb) }),
    });
  }
  if (x.sticky !== undefined) {
    const want = x.sticky;
    checks.push({
      title: want ? 'stickiness: each visitor stays on the node its session was born on' : 'stickiness broken: a visitor is served by both nodes',
      evaluate: (o) => ({ ok: want ? isSticky(o) : hops(o), saw: stickyText(o) }),
    });
  }
  if (x.routeSuffix !== undefined) {
    const want = x.routeSuffix;
    checks.push({
      title: want ? 'session id suffix = jvmRoute of the serving node' : 'session id suffix is not the route of the serving node',
      evaluate: (o) => ({
        ok: routeSuffixOk(o) === want,
        saw: visitors(o)
          .flatMap(([, hits]) => hits)
          .map((h) => `${h.node ?? h.status}: ${h.session ?? '-'} (jvmRoute ${h.jvmRoute || 'none'})`)
          .join('; '),
      }),
    });
  }
  if (x.replication !== undefined) {
    const want = x.replication;
    checks.push({
      title: want ? 'replication: an attribute set on one node is on the other' : 'no replication: the other node does not have the attribute',
      evaluate: (o) => ({ ok: 'skipped' in o.replication ? false : o.replication.replicated === want, saw: replicationText(o) }),
    });
  }
  if (x.manager !== undefined) {
    const want = x.manager;
    checks.push({
      title: `session manager of the app is ${want.replace(/.*\./, '')}`,
      evaluate: (o) => {
        const seen = [...new Set([...o.lb, ...visitors(o).flatMap(([, h]) => h)].filter((h) => h.status === 200).map((h) => `${h.node}: ${h.manager}`))];
        return { ok: seen.length > 0 && seen.every((m) => m.endsWith(`: ${want}`)), saw: seen.join(', ') };
      },
    });
  }
  if (x.jk !== undefined) {
    const want = x.jk;
    checks.push({
      title: `mod_jk status worker: ${Object.entries(want).map(([k, v]) => `${k}=${v}`).join(', ')}`,
      evaluate: (o) => ({
        ok: Object.entries(want).every(([k, v]) => o.jk[k] === v),
        saw: Object.entries(o.jk).filter(([k]) => k.endsWith('.state')).map(([k, v]) => `${k}=${v}`).join(', '),
      }),
    });
  }
  if (x.failover !== undefined) {
    const want = x.failover;
    checks.push({
      title: want === 'survives' ? 'failover: the session survives on the other node' : want === 'lost' ? 'failover: the session is lost' : want === 0 ? 'failover: no answer' : `failover: status ${want}`,
      evaluate: (o) => ({ ok: o.failover.outcome === want, saw: failoverText(o) }),
    });
  }
  for (const e of x.logs ?? []) checks.push(logCheck(e));
  return checks;
}

/** The evidence line for RESULTS.md: the first log expectation marked `evidence`, else the first present one. */
export function evidence(x: Expectations, obs: Observation): { log: string; line: string } | undefined {
  const candidates = (x.logs ?? []).filter((e) => !e.absent);
  const pick = candidates.find((e) => e.evidence) ?? candidates[0];
  if (!pick) return undefined;
  const re = new RegExp(pick.match, 'm');
  const line = (obs.logs[pick.log] ?? '').split('\n').find((l) => re.test(l));
  return line ? { log: pick.log, line: line.trim() } : undefined;
}
