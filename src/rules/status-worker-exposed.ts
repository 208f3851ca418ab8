import type { FrontEnd, JkConfig, JkWorkerDef, Mount } from '../model/types.js';
import type { HttpdDirective } from '../parsers/syntax.js';
import type { Report } from '../types.js';
import type { Rule } from './api.js';
import { jkBoolCode } from './shared/jk-directives.js';
import { expandPattern, virtualHost } from './shared/mounts.js';
import { pushTo } from './shared/collections.js';
import { fileLine, spanKey } from './shared/text.js';

/**
 * A mod_jk status worker (`type=status`) that can change the balancers (`read_only` not
 * true, no `user` list) and is mounted where httpd applies no access control: no
 * `<Location>` covering the mount restricts clients (`Require`, `Allow`/`Deny`, auth),
 * and the mount is not on a loopback-only virtual host or server.
 */
export const statusWorkerExposed: Rule = {
  meta: {
    id: 'status-worker-exposed',
    severity: 'warning',
    description: 'A mod_jk status worker mounted without access control and without read_only=true: anyone can stop or disable members',
    catalogue: ['JK-17'],
  },
  check(model, report) {
    for (const fe of model.frontEnds) if (fe.jk) checkJk(fe, fe.jk, report);
  },
};

type Access = { verdict: 'restricted' | 'open'; why: string; section: HttpdDirective } | undefined;

function checkJk(fe: FrontEnd, jk: JkConfig, report: Report): void {
  const listed = new Set(jk.list.map((l) => l.value));
  const statusWorkers = [...jk.workers.values()].filter((w) => w.type === 'status' && listed.has(w.name));
  if (statusWorkers.length === 0) return;
  // Mounts in uriworkermap or workers.properties are protected (or not) by httpd's
  // configuration: without any httpd file we cannot know, so stay silent.
  const haveHttpd = fe.directives.length > 0;
  const order = new Map<HttpdDirective, number>();
  fe.directives.forEach((d, i) => order.set(d, i));
  const byDirective = new Map<string, HttpdDirective>();
  for (const d of fe.directives) if (d.key === 'jkmount') byDirective.set(spanKey(d.span), d);
  const locations = fe.directives.filter((d) => d.key === 'location' || d.key === 'locationmatch');
  const globalLoopbackOnly = fe.listens.length > 0 && fe.listens.every((l) => l.address !== undefined && isLoopbackAddress(l.address));

  for (const worker of statusWorkers) {
    if (canOnlyRead(worker)) continue;
    const excluded = new Set(
      fe.mounts.filter((m) => m.exclude && !m.disabled && (m.worker.value === worker.name || m.worker.value === '*')).map((m) => m.path),
    );
    // scope → exposed mounts with why
    const exposed = new Map<string, { mount: Mount; why: string; directive: HttpdDirective | undefined; decidedBy: HttpdDirective | undefined }[]>();
    for (const m of fe.mounts) {
      if (m.worker.value !== worker.name || m.exclude || m.disabled) continue;
      if (m.source !== 'JkMount' && m.source !== 'uriworkermap' && m.source !== 'worker-mount') continue;
      if (excluded.has(m.path)) continue;
      const directive = m.source === 'JkMount' ? byDirective.get(spanKey(m.span)) : undefined;
      if (m.source === 'JkMount' ? !directive : !haveHttpd) continue;
      const vhost = directive ? virtualHost(directive) : undefined;
      if (vhost ? vhostLoopbackOnly(vhost) : directive && globalLoopbackOnly) continue;
      const access = accessFor(m, directive, vhost, locations, order);
      if (access?.verdict === 'restricted') continue;
      const scope = vhost ? spanKey(vhost.span) : 'server';
      pushTo(exposed, scope, { mount: m, why: access?.why ?? `no \`<Location>\` covering ${m.path} restricts access`, directive, decidedBy: access?.section });
    }
    for (const list of exposed.values()) {
      const first = list[0]!;
      const typeProp = worker.properties.get('type');
      const readOnly = worker.properties.get('read_only');
      const related = [
        ...(typeProp ? [{ span: typeProp.keySpan, message: `status worker \`${worker.name}\`` }] : []),
        ...list.slice(1).map((x) => ({ span: x.mount.span, message: `also mounted at ${x.mount.path}` })),
      ];
      const ro = readOnly ? `\`read_only=${readOnly.value}\` (${fileLine(readOnly.keySpan)})` : 'no `read_only=true`';
      const section = first.directive ? enclosingLocation(first.directive) : undefined;
      const at = section ? `in \`${sectionName(section)}\`` : `at ${first.mount.path}`;
      const overridden = section !== undefined && first.decidedBy !== undefined && first.decidedBy !== section && sectionRestricts(section);
      const restrict = overridden
        ? `Move \`${sectionName(first.decidedBy!)}\` before \`${sectionName(section!)}\` (the later section wins)`
        : section
        ? `Add \`Require ip 127.0.0.1\` (or authentication) to \`${sectionName(section)}\``
        : `Restrict it, e.g. \`${locationFor(first.mount.path)}\` with \`Require ip 127.0.0.1\` (or authentication)`;
      report({
        span: first.mount.span,
        message:
          `Status worker \`${worker.name}\` is mounted ${at} with ${ro} and without access control (${first.why}): anyone who reaches httpd can stop or disable balancer members. ` +
          `${restrict}, or set \`worker.${worker.name}.read_only=true\`.`,
        related,
      });
    }
  }
}

/** `read_only=true`, or a `user` list (mod_jk then denies every request without a listed authenticated user). */
function canOnlyRead(worker: JkWorkerDef): boolean {
  const ro = worker.properties.get('read_only');
  if (ro && jkBoolCode(ro.value, false)) return true;
  const user = worker.properties.get('user');
  return user !== undefined && user.value.trim().length > 0;
}

/** A section that covers a mount pattern: `/jkstatus/*` → `<Location /jkstatus>`, `/jkstatus*` → `<LocationMatch "^/jkstatus">`. */
function locationFor(path: string): string {
  const first = expandPattern(path)[0] ?? path;
  const cut = first.search(/[*?]/);
  const fixed = cut < 0 ? first : first.slice(0, cut);
  if (cut > 0 && !fixed.endsWith('/')) return `<LocationMatch "^${fixed.replace(/[.+^${}()|[\]\\]/g, '\\$&')}">`;
  const trimmed = fixed.replace(/\/+$/, '');
  return `<Location ${trimmed.length > 0 ? trimmed : '/'}>`;
}

// ---------------------------------------------------------------- scopes

function enclosingLocation(d: HttpdDirective): HttpdDirective | undefined {
  for (let p = d.parent; p; p = p.parent) if (p.key === 'location' || p.key === 'locationmatch') return p;
  return undefined;
}

function sectionName(section: HttpdDirective): string {
  return `<${section.name} ${section.args.map((a) => a.value).join(' ')}>`;
}

function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** `<VirtualHost 127.0.0.1:8081 [::1]:8081>`: reachable from this machine only. */
function vhostLoopbackOnly(vhost: HttpdDirective): boolean {
  if (vhost.args.length === 0) return false;
  return vhost.args.every((a) => {
    const v = a.value;
    const host = v.startsWith('[') ? v.slice(0, v.indexOf(']') + 1) : v.replace(/:[^:]*$/, '');
    return isLoopbackAddress(host);
  });
}

// ---------------------------------------------------------------- coverage

/** A sample URL of a mount pattern (wildcards filled in), and its literal prefix. */
function samples(pattern: string): { sample: string; fixed: string; wild: boolean } {
  const cut = pattern.search(/[*?]/);
  return {
    sample: pattern.replace(/[*?]/g, 'a'),
    fixed: cut < 0 ? pattern : pattern.slice(0, cut),
    wild: cut >= 0,
  };
}

/** Whether `<Location loc>` applies to every URL the mount pattern matches (regex and wildcard locations: to a sample). */
function covers(section: HttpdDirective, pattern: string): boolean {
  const a0 = section.args[0]?.value ?? '';
  let regex: RegExp | undefined;
  try {
    if (section.key === 'locationmatch') regex = new RegExp(a0);
    else if (a0 === '~') regex = new RegExp(section.args[1]?.value ?? '');
    else if (/[*?[]/.test(a0)) regex = new RegExp(`^${a0.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(/|$)`);
  } catch {
    return true; // cannot tell: assume it does (stay silent)
  }
  return expandPattern(pattern).every((p) => {
    const { sample, fixed, wild } = samples(p);
    if (regex) return regex.test(sample) || regex.test(fixed);
    if (a0 === '' || a0 === '/') return true;
    if (!fixed.startsWith(a0)) return false;
    if (a0.endsWith('/')) return true;
    if (fixed.length === a0.length) return !wild;
    return fixed.charAt(a0.length) === '/';
  });
}

function accessFor(
  mount: Mount,
  directive: HttpdDirective | undefined,
  vhost: HttpdDirective | undefined,
  locations: HttpdDirective[],
  order: Map<HttpdDirective, number>,
): Access {
  const enclosing = new Set<HttpdDirective>();
  for (let p = directive?.parent; p; p = p.parent) if (p.key === 'location' || p.key === 'locationmatch') enclosing.add(p);
  const covering = locations.filter((loc) => {
    if (enclosing.has(loc)) return true;
    // A Location of another virtual host does not apply to a JkMount of this one. Global
    // mounts (and mount files) may be copied into any host (JkMountCopy): every Location counts.
    const lv = virtualHost(loc);
    if (directive && vhost && lv && lv !== vhost) return false;
    return covers(loc, mount.path);
  });
  covering.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  // Location sections merge in order of appearance. mod_authz_core (`Require`) and
  // mod_access_compat (`Order`/`Allow`/`Deny`) merge separately: for each, the last
  // section that has its directives decides; both must pass unless `Satisfy Any`.
  let authz: { v: Verdict; section: HttpdDirective } | undefined;
  let compat: { v: Verdict; section: HttpdDirective } | undefined;
  let satisfyAny = false;
  for (const loc of covering) {
    const rules = sectionRules(loc);
    if (rules.authz) authz = { v: rules.authz, section: loc };
    if (rules.compat) compat = { v: rules.compat, section: loc };
    if (rules.satisfy !== undefined) satisfyAny = rules.satisfy === 'any';
  }
  const parts = [authz, compat].filter((x): x is { v: Verdict; section: HttpdDirective } => x !== undefined);
  if (parts.length === 0) return undefined;
  const open = parts.filter((p) => !p.v.restricted);
  const restricted = satisfyAny && parts.length === 2 ? open.length === 0 : open.length < parts.length;
  if (restricted) return { verdict: 'restricted', why: '', section: parts[0]!.section };
  const decisive = open[open.length - 1]!;
  return {
    verdict: 'open',
    why: `\`${sectionName(decisive.section)}\` (${fileLine(decisive.section.span)}) lets every client in: ${decisive.v.why}`,
    section: decisive.section,
  };
}

// ---------------------------------------------------------------- access rules

type Grant = 'open' | 'restricted' | 'neutral';

/** Directives of a section, looking through conditional and authorization containers (not `<Limit>`: it covers some methods only). */
function flatten(section: HttpdDirective): HttpdDirective[] {
  const out: HttpdDirective[] = [];
  for (const d of section.children ?? []) {
    if (d.children) {
      if (d.key === 'ifmodule' || d.key === 'ifdefine' || d.key === 'ifversion') out.push(...flatten(d));
      else if (d.key === 'requireall' || d.key === 'requireany' || d.key === 'requirenone') out.push(d);
      continue;
    }
    out.push(d);
  }
  return out;
}

function requireGrant(d: HttpdDirective): Grant {
  if (d.key === 'require') {
    const what = (d.args[0]?.value ?? '').toLowerCase();
    if (what === 'all') return (d.args[1]?.value ?? '').toLowerCase() === 'granted' ? 'open' : 'restricted';
    if (what === 'not') return 'neutral';
    if (what === 'method') return 'open'; // limits methods, not clients; the status page answers GET
    return 'restricted';
  }
  const kids = d.children ? flatten(d).filter((k) => k.key === 'require' || k.children) : [];
  const grants = kids.map(requireGrant);
  if (d.key === 'requirenone') return 'neutral';
  if (d.key === 'requireall') {
    if (grants.includes('restricted')) return 'restricted';
    return grants.includes('open') ? 'open' : 'neutral';
  }
  // requireany (and a section's own list of Require lines)
  if (grants.includes('open')) return 'open';
  return grants.includes('restricted') ? 'restricted' : 'neutral';
}

interface Verdict {
  restricted: boolean;
  why: string;
}

/** A section's own access rules: `Require` (authz), `Order`/`Allow`/`Deny` (compat), `Satisfy`. */
function sectionRules(section: HttpdDirective): { authz?: Verdict; compat?: Verdict; satisfy?: 'any' | 'all' } {
  const ds = flatten(section);
  const requires = ds.filter((d) => d.key === 'require' || d.key === 'requireall' || d.key === 'requireany' || d.key === 'requirenone');
  const allows = ds.filter((d) => d.key === 'allow');
  const denies = ds.filter((d) => d.key === 'deny');
  const orderD = ds.filter((d) => d.key === 'order').pop();
  const satisfyD = ds.filter((d) => d.key === 'satisfy').pop();
  const out: { authz?: Verdict; compat?: Verdict; satisfy?: 'any' | 'all' } = {};
  if (satisfyD) out.satisfy = (satisfyD.args[0]?.value ?? '').toLowerCase() === 'any' ? 'any' : 'all';
  if (requires.length > 0) {
    const grants = requires.map(requireGrant);
    const g: Grant = grants.includes('open') ? 'open' : grants.includes('restricted') ? 'restricted' : 'neutral';
    if (g !== 'neutral') out.authz = { restricted: g === 'restricted', why: '`Require all granted`' };
  }
  if (allows.length > 0 || denies.length > 0 || orderD) {
    const fromAll = (d: HttpdDirective) =>
      (d.args[0]?.value ?? '').toLowerCase() === 'from' && d.args.slice(1).some((a) => a.value.toLowerCase() === 'all');
    const allowAll = allows.some(fromAll);
    const denyAll = denies.some(fromAll);
    const ord = (orderD?.args.map((a) => a.value).join('') ?? 'deny,allow').toLowerCase().replace(/\s+/g, '');
    const open = ord === 'deny,allow' ? allowAll || !denyAll : allowAll && !denyAll;
    const why =
      ord === 'deny,allow'
        ? allowAll
          ? '`Allow from all` wins with `Order deny,allow`'
          : 'nothing is denied to everyone'
        : '`Allow from all` and no `Deny from all`';
    out.compat = { restricted: !open, why };
  }
  return out;
}

/** Whether a section on its own restricts clients. */
function sectionRestricts(section: HttpdDirective): boolean {
  const r = sectionRules(section);
  const parts = [r.authz, r.compat].filter((x): x is Verdict => x !== undefined);
  if (parts.length === 0) return false;
  const open = parts.filter((p) => !p.restricted).length;
  return r.satisfy === 'any' && parts.length === 2 ? open === 0 : open < parts.length;
}
