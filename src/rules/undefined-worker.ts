import { closest, distance } from 'fastest-levenshtein';
import { subSpan } from '../model/frontend.js';
import { hostKey } from '../model/link.js';
import type { ClusterModel, FrontEnd, Jk2Config, JkConfig, Mount, TomcatNode } from '../model/types.js';
import type { Report, Span } from '../types.js';
import type { Rule } from './api.js';
import { fileLine, spanKey } from './shared/text.js';

/** mod_jk's defaults for a worker nobody defined (`AJP13_DEF_HOST`/`AJP13_DEF_PORT`). */
const JK_DEFAULT_PORT = 8009;

/**
 * A reference to a worker that does not exist:
 * - mod_jk: `worker.list` / `balance_workers` names never defined (mod_jk creates them
 *   silently as ajp13 at localhost:8009); `JkMount` / `JkUnMount` / uriworkermap /
 *   `worker.X.mount` targets missing from `worker.list`;
 * - mod_jk2: `[lb:X] worker=` naming no worker bean; `[uri:…] group=` naming no balancer;
 * - mod_proxy: `ProxyPass … balancer://x` where `x` has no `BalancerMember`.
 */
export const undefinedWorker: Rule = {
  meta: {
    id: 'undefined-worker',
    severity: 'error',
    description:
      'A reference to a worker that does not exist: worker.list/balance_workers names never defined, mounts outside worker.list, jk2 worker= beans that do not exist, balancer:// without members',
    catalogue: ['JK-04', 'JK-05', 'JK2-01', 'PXB-04'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) {
      if (fe.jk) checkJk(model, fe, fe.jk, report);
      if (fe.jk2) checkJk2(fe, fe.jk2, report);
      checkProxy(fe, report);
    }
  },
};

// ---------------------------------------------------------------- mod_jk

function checkJk(model: ClusterModel, fe: FrontEnd, jk: JkConfig, report: Report): void {
  const defaultPortOwner = describeDefaultPort(model, fe);
  const ajpWorkers = [...jk.workers.values()].filter((w) => w.type !== 'lb' && w.type !== 'status').map((w) => w.name);
  const seen = new Set<string>();
  const once = (span: Span): boolean => {
    const key = spanKey(span);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };

  // worker.list names never defined.
  for (const item of jk.list) {
    if (!item.span || jk.workers.has(item.value) || !once(item.span)) continue;
    report({
      span: item.span,
      message:
        `\`worker.list\` names \`${item.value}\`, but no \`worker.${item.value}.*\` key defines it: mod_jk silently creates it as an ajp13 worker at localhost:${JK_DEFAULT_PORT}${defaultPortOwner}. ` +
        `${didYouMean(item.value, [...jk.workers.keys()])}Define \`worker.${item.value}.type\`/\`host\`/\`port\`, or fix the name.`,
    });
  }

  // balance_workers names never defined.
  for (const b of fe.balancers) {
    if (b.kind !== 'jk') continue;
    const members = new Set(b.members.map((m) => m.name));
    for (const m of b.members) {
      if (m.defined || !once(m.span)) continue;
      const candidates = ajpWorkers.filter((w) => !members.has(w));
      report({
        span: m.span,
        message:
          `Load balancer \`${b.name}\` lists \`${m.name}\` in \`balance_workers\`, but no \`worker.${m.name}.*\` key defines it: mod_jk silently creates it as an ajp13 worker at localhost:${JK_DEFAULT_PORT}${defaultPortOwner} and balances requests to it. ` +
          `${didYouMean(m.name, candidates)}Define the worker, or fix the name.`,
      });
    }
  }

  // Mounts whose worker is not in worker.list.
  const listed = new Map<string, Span | undefined>();
  for (const item of jk.list) if (!listed.has(item.value)) listed.set(item.value, item.span);
  const explicitList = jk.list.some((i) => i.span !== undefined);
  const listNames = [...listed.keys()];
  for (const mount of fe.mounts) {
    if (mount.source !== 'JkMount' && mount.source !== 'JkUnMount' && mount.source !== 'uriworkermap' && mount.source !== 'worker-mount') continue;
    if (mount.disabled) continue;
    const name = mount.worker.value;
    const span = mount.worker.span;
    if (!span || name === '' || name === '*' || name.includes('$(')) continue;
    if (listed.has(name)) {
      // Named in worker.list: an undefined name is reported there. Only the implicit
      // default list (no worker.list at all) with no ajp13 definition is left.
      if (listed.get(name) === undefined && !jk.workers.has(name) && !mount.exclude && once(span)) {
        report({
          span,
          severity: 'warning',
          message:
            `${mountLabel(mount)} sends ${mount.path} to \`${name}\`, which only mod_jk's default defines (no \`worker.list\`, no \`worker.${name}.*\`): an ajp13 worker at localhost:${JK_DEFAULT_PORT}${defaultPortOwner}. ` +
            `Write \`worker.list=${name}\` and \`worker.${name}.host\`/\`port\` to make the target explicit.`,
        });
      }
      continue;
    }
    if (!once(span)) continue;
    const defined = jk.workers.get(name);
    const lbOf = fe.balancers.find((b) => b.kind === 'jk' && b.members.some((m) => m.name === name && m.defined));
    let state: string;
    if (!defined) state = 'is neither in `worker.list` nor defined';
    else if (!explicitList) state = `is defined, but there is no \`worker.list\`, so the only worker mounts can use is the default \`ajp13\``;
    else if (mount.source === 'worker-mount') state = 'is not listed in `worker.list`';
    else state = 'is defined but not listed in `worker.list`';
    let runtime: string;
    if (mount.source === 'worker-mount') runtime = `mod_jk uses \`worker.${name}.mount\` only for workers in \`worker.list\`, so httpd serves ${mount.path} itself`;
    else if (mount.exclude) runtime = `the exclusion matches no mapping of that worker and excludes nothing`;
    else runtime = `mod_jk logs "Could not find worker with name '${name}'" and httpd serves ${mount.path} itself`;
    let fix: string;
    if (lbOf) {
      const instead = mount.source === 'worker-mount' ? `use \`worker.${lbOf.name}.mount\`` : `mount \`${lbOf.name}\``;
      fix = `It is a member of \`${lbOf.name}\`: ${instead} instead, or add \`${name}\` to \`worker.list\`.`;
    }
    else if (defined) fix = explicitList ? `Add \`${name}\` to \`worker.list\`.` : `Add \`worker.list=${name}\`.`;
    else fix = `${didYouMean(name, listNames)}Fix the name, or define the worker and add it to \`worker.list\`.`;
    report({
      span,
      message: `${mountLabel(mount)} ${mount.exclude ? 'excludes' : 'sends'} ${mount.path} ${mount.exclude ? 'from' : 'to'} \`${name}\`, which ${state}: ${runtime}. ${fix}`,
      related: listed.size > 0 && explicitList ? [{ span: firstListSpan(jk)!, message: '`worker.list`' }] : [],
    });
  }
}

function firstListSpan(jk: JkConfig): Span | undefined {
  for (const i of jk.list) if (i.span) return i.span;
  return undefined;
}

function mountLabel(mount: Mount): string {
  switch (mount.source) {
    case 'JkMount':
      return '`JkMount`';
    case 'JkUnMount':
      return '`JkUnMount`';
    case 'uriworkermap':
      return 'The uriworkermap rule';
    case 'worker-mount':
      return `\`worker.${mount.worker.value}.mount\``;
    default:
      return 'The mapping';
  }
}

/** ", which is tomcat1's AJP port (conf/server.xml:12)" for whatever listens on the front end's 8009. */
function describeDefaultPort(model: ClusterModel, fe: FrontEnd): string {
  const refs = model.index.listenersByHost.get(hostKey(fe.host))?.get(JK_DEFAULT_PORT) ?? [];
  for (const r of refs) {
    if (r.what !== 'connector' || !('serverXml' in r.owner)) continue;
    const node = r.owner as TomcatNode;
    const c = node.connectors.find((x) => x.effectivePort === JK_DEFAULT_PORT);
    const kind = c?.protocol === 'http' ? 'HTTP' : 'AJP';
    const guess = node.host.source === 'unknown' ? `, if ${node.name} runs on ${fe.name}'s machine` : '';
    return ` (${node.name}'s ${kind} port, ${fileLine(r.span, node.root)}${guess})`;
  }
  return '';
}

// ---------------------------------------------------------------- mod_jk2

function checkJk2(fe: FrontEnd, jk2: Jk2Config, report: Report): void {
  const sections = new Set<string>();
  const types = new Set<string>();
  for (const s of jk2.document.sections) {
    sections.add(s.type === 'lb' && s.name === '' ? 'lb:lb' : `${s.type}:${s.name}`);
    types.add(s.type);
  }
  const beans = [...jk2.beans.keys()];

  for (const s of jk2.document.sections) {
    if (s.type !== 'lb') continue;
    const lbName = s.name === '' ? 'lb:lb' : `lb:${s.name}`;
    const balancer = fe.balancers.find((b) => b.kind === 'jk2' && b.name === lbName);
    for (const e of s.entries) {
      if (e.key !== 'worker') continue;
      for (const m of e.value.matchAll(/[^ \t,]+/g)) {
        const name = m[0];
        if (jk2.beans.has(name) || sections.has(name)) continue;
        const span = subSpan(e.valueSpan, m.index ?? 0, name.length);
        const suggestion = jk2Suggestion(fe, name, beans);
        const already = suggestion && balancer?.members.some((x) => x.name === suggestion.bean);
        const hidden = already ? ` (the balancer still reaches \`${suggestion.bean}\` through \`group=\`, which hides the mistake)` : '';
        const known = beans.length > 0 ? ` The ajp13 workers are ${beans.map((b) => `\`${b}\``).join(', ')}.` : '';
        report({
          span,
          message:
            `\`[${lbName}]\` lists \`worker=${name}\`, which does not exist: jk2 logs "lb_worker.init(): no worker found ${name}" and skips it${hidden}. ` +
            (suggestion
              ? `Did you mean \`${suggestion.bean}\`${suggestion.why}?`
              : `jk2 names a worker \`ajp13:\` plus its channel name (\`ajp13:localhost:8009\` for \`[channel.socket:localhost:8009]\`).${known}`),
          related: suggestion ? [{ span: jk2.beans.get(suggestion.bean)!.span, message: `\`${suggestion.bean}\`` }] : [],
        });
      }
    }
  }

  for (const mount of fe.mounts) {
    if (mount.source !== 'jk2-uri' || !mount.worker.span) continue;
    const v = mount.worker.value;
    const raw = v.startsWith('lb:') ? v.slice(3) : v;
    if (v.startsWith('lb:')) {
      // jk2 looks up the name itself, then `lb:<name>`.
      if (jk2.lbs.has(v) || sections.has(raw) || types.has(raw) || jk2.beans.has(raw)) continue;
    } else {
      const colon = v.indexOf(':');
      const type = colon < 0 ? v : v.slice(0, colon);
      // Status and other non-ajp13 workers are beans of their own section type.
      if (type !== 'ajp13' || jk2.beans.has(v) || sections.has(v)) continue;
    }
    const groups = [...jk2.lbs.keys()];
    const hint = v.startsWith('lb:') ? didYouMean(v, groups).replace(/`lb:([^`]*)`/, '`$1`') : didYouMean(v, beans);
    report({
      span: mount.worker.span,
      message:
        `\`[uri:${mount.path}]\` maps to \`${raw}\`, which is no load balancer or worker of this file: jk2 logs "uriEnv.init() map to invalid worker" and the mapping points nowhere. ` +
        `${hint}Use a \`group=\` that a worker joins (${groups.map((g) => `\`${g.replace(/^lb:/, '')}\``).join(', ') || 'none defined'}).`,
    });
  }
}

/** The bean in front of the node whose jvmRoute or name is the dangling name's local part; else the closest name. */
function jk2Suggestion(fe: FrontEnd, name: string, beans: string[]): { bean: string; why: string } | undefined {
  if (beans.length === 0) return undefined;
  const local = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
  for (const b of fe.balancers) {
    if (b.kind !== 'jk2') continue;
    for (const m of b.members) {
      const node = m.target?.node;
      if (!node) continue;
      if (node.engine?.jvmRoute?.value === local || node.name === local) return { bean: m.name, why: ` (in front of ${node.name})` };
    }
  }
  const near = closest(name, beans);
  return distance(name, near) <= Math.max(2, Math.floor(name.length / 3)) ? { bean: near, why: '' } : undefined;
}

// ---------------------------------------------------------------- mod_proxy

function checkProxy(fe: FrontEnd, report: Report): void {
  const proxy = fe.balancers.filter((b) => b.kind === 'proxy');
  if (proxy.length === 0) return;
  const withMembers = proxy.filter((b) => b.members.length > 0).map((b) => b.name);
  for (const mount of fe.mounts) {
    if (mount.source !== 'ProxyPass' || !mount.worker.span || !/^balancer:\/\//i.test(mount.target ?? '')) continue;
    const b = proxy.find((x) => x.name.toLowerCase() === mount.worker.value.toLowerCase());
    if (!b || b.members.length > 0) continue;
    const near = withMembers.length > 0 ? closest(mount.worker.value, withMembers) : undefined;
    report({
      span: mount.worker.span,
      message:
        `\`ProxyPass\` sends ${mount.path} to \`balancer://${mount.worker.value}\`, which has no \`BalancerMember\`: httpd answers every request with 503 ("No workers in balancer"). ` +
        (near ? `Did you mean \`balancer://${near}\`? ` : '') +
        `Add \`BalancerMember\` lines in \`<Proxy balancer://${mount.worker.value}>\`, or fix the name.`,
    });
  }
}

// ---------------------------------------------------------------- helpers

function didYouMean(name: string, candidates: string[]): string {
  const others = candidates.filter((c) => c !== name);
  if (others.length === 0) return '';
  const near = closest(name, others);
  if (distance(name, near) > Math.max(2, Math.floor(name.length / 3))) return '';
  return `Did you mean \`${near}\`? `;
}
