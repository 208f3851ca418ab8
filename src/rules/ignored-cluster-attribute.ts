import type { XmlAttribute, XmlElement } from '../parsers/syntax.js';
import { DEFAULT_MCAST_ADDRESS, DEFAULT_MCAST_PORT, versionAtLeast } from '../model/tomcat.js';
import type { ClusterConfig, TomcatNode } from '../model/types.js';
import type { Report, Severity, Span } from '../types.js';
import type { Rule } from './api.js';
import { MEMBERSHIP_5X, RECEIVER_5X, isLegacyClusterAttribute } from './shared/legacy-attributes.js';
import { capitalize, spanKey } from './shared/text.js';
import { loadableClusters } from './shared/cluster.js';
import { describeVersion } from './shared/version.js';
import { attr, simpleName } from './shared/xml.js';

/**
 * Cluster attributes and nesting that Tomcat reads without error and then ignores, so a
 * default silently replaces what was written (the model's `cluster.ignored` list):
 * 5.x `mcast*`/`tcpListen*` names on the tribes classes from 8.0 on, `<Membership>`,
 * `<Receiver>`, `<Sender>` directly under a 6+ `<Cluster>`, 5.x Cluster attributes
 * (`managerClassName`, `useDirtyFlag`, `manager.*`, ...) on any 6+ SimpleTcpCluster, and
 * 6.0 names on a 5.x McastService/Receiver.
 *
 * Error when the ignored value differs from what Tomcat uses instead (the group, the
 * receiver endpoint, the session manager); warning when it equals it anyway, when it
 * only tunes performance, when the version is unknown, and on Tomcat 7.0, where the
 * 5.x names are deprecated aliases that still work.
 */
export const ignoredClusterAttribute: Rule = {
  meta: {
    id: 'ignored-cluster-attribute',
    severity: 'error',
    description: '5.x attribute names or nesting on 6+ that Tomcat silently ignores (e.g. `mcastAddr` on 8.0+, Membership directly under Cluster)',
    catalogue: ['TC-03', 'TC-04'],
  },
  check(model, report) {
    for (const { node, cluster } of loadableClusters(model.nodes)) {
      const ctx = new Context(node, cluster, report);
      for (const item of cluster.ignored) ctx.ignored(item);
      if (cluster.generation === '6+') {
        ctx.unreadChildren();
        ctx.clusterAttributesBefore80();
        ctx.deprecatedOn70();
      }
    }
  },
};

// ---------------------------------------------------------------- names

/** 6.0 names written on a 5.x McastService / Receiver, with the 5.x name that works there. */
const MEMBERSHIP_6_ON_5: Record<string, string> = {
  address: 'mcastAddr',
  port: 'mcastPort',
  bind: 'mcastBindAddress',
  frequency: 'mcastFrequency',
  dropTime: 'mcastDropTime',
};
const RECEIVER_6_ON_5: Record<string, string> = { address: 'tcpListenAddress', port: 'tcpListenPort' };

/** Children of a 6+ `<Cluster>` with a Digester rule (ha/ClusterRuleSet). Membership/Receiver/Sender come from the model. */
const CLUSTER_CHILDREN_6 = new Set(['Manager', 'Channel', 'Valve', 'Deployer', 'Listener', 'ClusterListener', 'Membership', 'Receiver', 'Sender']);

/** DeltaManager defaults for the 5.x Cluster attributes that moved to `<Manager>`. */
const MANAGER_DEFAULTS: Record<string, string> = { expireSessionsOnShutdown: 'false', notifyListenersOnReplication: 'true' };

// ---------------------------------------------------------------- the check

interface Hit {
  element: XmlElement;
  attribute: XmlAttribute | undefined;
}

interface Verdict {
  severity: Severity;
  message: string;
  /** Rests on the 8.0 cut-off (the 5.x Membership/Receiver names): weaker when the version is unknown. */
  cutoff?: boolean;
}

class Context {
  private readonly byspan = new Map<string, Hit>();
  private readonly reported = new Set<string>();
  private readonly versionText: string;
  /** True when the cut-off (8.0) cannot be decided: the finding rests on an assumption. */
  private readonly assumed: boolean;

  constructor(
    private readonly node: TomcatNode,
    private readonly cluster: ClusterConfig,
    private readonly report: Report,
  ) {
    const stack = [cluster.element];
    while (stack.length > 0) {
      const el = stack.pop()!;
      this.byspan.set(spanKey(el.startTagSpan), { element: el, attribute: undefined });
      for (const a of el.attributes) this.byspan.set(spanKey(a.span), { element: el, attribute: a });
      stack.push(...el.children);
    }
    this.versionText = describeVersion(node);
    this.assumed = cluster.generation === '6+' && versionAtLeast(node.version, 8, 0) === undefined;
  }

  ignored(item: ClusterConfig['ignored'][number]): void {
    const hit = this.byspan.get(spanKey(item.span));
    const verdict = hit ? this.judge(hit, item.reason) : undefined;
    this.emit(item.span, verdict ?? { severity: 'error', message: `${capitalize(item.reason)}.` });
  }

  /**
   * Other children of a 6+ `<Cluster>` that no Digester rule reads (the model lists
   * Membership/Receiver/Sender): most often `<Interceptor>` written next to `<Channel>`
   * instead of inside it.
   */
  unreadChildren(): void {
    const channel = this.cluster.element.children.find((c) => c.localName === 'Channel');
    const channelInterceptors = channel ? channel.children.filter((c) => c.localName === 'Interceptor') : [];
    for (const child of this.cluster.element.children) {
      if (CLUSTER_CHILDREN_6.has(child.localName) || this.reported.has(spanKey(child.startTagSpan))) continue;
      const base =
        `\`<${child.localName}>\` directly under \`<Cluster>\` is ignored on ${this.versionText}: the 6+ ClusterRuleSet has no rule for \`Cluster/${child.localName}\` ` +
        `(7.0+ log "No rules found matching")`;
      if (child.localName !== 'Interceptor') {
        this.emit(child.startTagSpan, { severity: 'warning', message: `${base}. Delete it, or move it where Tomcat reads it.` });
        continue;
      }
      const cls = attr(child, 'className')?.value.trim() ?? '';
      const simple = simpleName(cls);
      const byDefault = channelInterceptors.length === 0 && (simple === 'TcpFailureDetector' || simple === 'MessageDispatchInterceptor');
      const fix = 'Move it inside `<Channel>` (after the Membership, Receiver and Sender).';
      if (byDefault) {
        this.emit(child.startTagSpan, {
          severity: 'warning',
          message: `${base}; \`${simple}\` is one of the two interceptors Tomcat adds when \`<Channel>\` has none, so nothing changes yet. ${fix}`,
        });
      } else {
        this.emit(child.startTagSpan, {
          severity: 'error',
          message: `${base}, so the channel runs without \`${simple || 'it'}\`${simple === 'EncryptInterceptor' ? ': cluster traffic is not encrypted' : ''}. ${fix}`,
        });
      }
    }
  }

  /** 6.0/7.0 swallow the 5.x Cluster attributes too (a warning in the log, no effect); the model only lists them from 8.0. */
  clusterAttributesBefore80(): void {
    if (versionAtLeast(this.node.version, 8, 0) !== false || versionAtLeast(this.node.version, 6, 0) !== true) return;
    for (const a of this.cluster.element.attributes) {
      if (!isLegacyClusterAttribute(a.name) || this.reported.has(spanKey(a.span))) continue;
      this.emit(a.span, this.clusterAttribute(a));
    }
  }

  /** 7.0: the 5.x names on McastService and ReceiverBase are @Deprecated aliases that still work. */
  deprecatedOn70(): void {
    const v = this.node.version;
    if (versionAtLeast(v, 7, 0) !== true || versionAtLeast(v, 8, 0) !== false) return;
    const channel = this.cluster.element.children.find((c) => c.localName === 'Channel');
    if (!channel) return;
    for (const el of channel.children) {
      const table = el.localName === 'Membership' && classIs(el, 'McastService') ? MEMBERSHIP_5X : el.localName === 'Receiver' ? RECEIVER_5X : undefined;
      if (!table) continue;
      for (const a of el.attributes) {
        const to = table[a.name];
        if (!to || this.reported.has(spanKey(a.span))) continue;
        const effect = el.localName === 'Membership' ? membershipFallback(a.name) : receiverFallback(a.name);
        this.emit(a.span, {
          severity: 'warning',
          message:
            `\`${a.name}\` is a deprecated Tomcat 5.x name on ${this.versionText}: it still works here, but Tomcat 8.0 and later ignore it ` +
            `(${effect}). Rename it to \`${to.name}\`.`,
        });
      }
    }
  }

  private emit(span: Span, verdict: Verdict): void {
    const k = spanKey(span);
    if (this.reported.has(k)) return;
    this.reported.add(k);
    let { severity, message } = verdict;
    if (this.assumed && verdict.cutoff && severity === 'error') {
      severity = 'warning';
      message += ' (The Tomcat version is unknown: this assumes 8.0 or later; declare `tomcatVersion` to be sure.)';
    }
    this.report({ span, message, severity: severity === 'error' ? undefined : severity });
  }

  private judge(hit: Hit, reason: string): Verdict | undefined {
    const { element, attribute } = hit;
    if (!attribute) return this.element(element);
    if (element === this.cluster.element) return this.clusterAttribute(attribute);
    if (this.cluster.generation === '5.x') return this.sixOnFive(element, attribute);
    if (element.localName === 'Membership') return { ...this.membershipAttribute(attribute), cutoff: true };
    if (element.localName === 'Receiver') return { ...this.receiverAttribute(attribute), cutoff: true };
    return { severity: 'error', message: `${capitalize(reason)}.` };
  }

  /** "on Tomcat 9.0 (declared 9.0) (the 5.x name was removed in 8.0)", or the assumption when the version is unknown. */
  private since(): string {
    return this.assumed ? 'from Tomcat 8.0 on' : `on ${this.versionText}, which dropped the 5.x names in 8.0`;
  }

  private membershipAttribute(a: XmlAttribute): Verdict {
    const to = MEMBERSHIP_5X[a.name];
    const m = this.cluster.membership;
    const prefix = `\`${a.name}\` is not a property of the tribes McastService ${this.since()}: the Digester warns that it cannot set it and ignores it`;
    if (!to) return { severity: 'error', message: `${prefix}.` };
    const fix = `Rename it to \`${to.name}\`.`;
    if (to.tuning) return { severity: 'warning', message: `${prefix}, so the default ${to.name} applies (tuning only). ${fix}` };
    if (m.kind !== 'multicast') return { severity: 'warning', message: `${prefix}. ${fix}` };
    const eff = to.name === 'address' ? m.address : to.name === 'port' ? m.port : m.frequency;
    const effective = eff?.value;
    const source = eff?.span ? `\`${to.name}\`` : 'the default';
    if (same(a.value, effective)) {
      return { severity: 'warning', message: `${prefix}; ${source} ${show(effective)} applies, which is the same value, so nothing changes yet. ${fix}` };
    }
    const what = to.name === 'address' ? 'multicast group' : to.name === 'port' ? 'multicast port' : 'heartbeat frequency';
    return {
      severity: 'error',
      message: `${prefix}, so the ${what} is ${source} ${show(effective)} instead of ${a.value}${to.name === 'frequency' ? ' ms' : ''}. ${fix}`,
    };
  }

  private receiverAttribute(a: XmlAttribute): Verdict {
    const to = RECEIVER_5X[a.name];
    const r = this.cluster.receiver;
    const prefix = `\`${a.name}\` is not a property of the tribes Receiver ${this.since()}: the Digester warns that it cannot set it and ignores it`;
    if (!to) return { severity: 'error', message: `${prefix}.` };
    const fix = `Rename it to \`${to.name}\`.`;
    if (to.tuning) return { severity: 'warning', message: `${prefix}, so the default ${to.name} applies (tuning only). ${fix}` };
    const effective = to.name === 'address' ? r.address.value : r.port.value;
    const source = (to.name === 'address' ? r.address.span : r.port.span) ? `\`${to.name}\`` : 'the default';
    if (same(a.value, effective)) {
      return { severity: 'warning', message: `${prefix}; ${source} ${show(effective)} applies, which is the same value, so nothing changes yet. ${fix}` };
    }
    const moved = to.name === 'port' ? ` (the first free port from it, autoBind ${r.autoBind})` : '';
    return {
      severity: 'error',
      message: `${prefix}, so the receiver uses ${source} ${to.name} ${show(effective)}${moved} instead of ${a.value}; members announce that endpoint. ${fix}`,
    };
  }

  private clusterAttribute(a: XmlAttribute): Verdict {
    const byVersion =
      versionAtLeast(this.node.version, 8, 0) === false
        ? 'it logs "… is deprecated … ignored" or "Dynamic setProperty(…) has been disabled" and drops it'
        : 'the Digester warns and drops it';
    const prefix = `\`${a.name}\` is a Tomcat 5.x Cluster attribute, ignored by the 6+ SimpleTcpCluster on ${this.versionText}: ${byVersion}`;
    const managerEl = this.cluster.element.children.find((c) => c.localName === 'Manager');
    if (a.name === 'managerClassName' || a.name === 'manager.className') {
      const effective = this.cluster.manager.value;
      const fix = `Configure a nested \`<Manager className="org.apache.catalina.ha.session.${simpleName(a.value) === 'BackupManager' ? 'BackupManager' : 'DeltaManager'}"/>\` instead.`;
      if (simpleName(a.value) === simpleName(effective)) {
        return { severity: 'warning', message: `${prefix}; the cluster uses \`${simpleName(effective)}\` anyway. Delete it. ${fix}` };
      }
      return { severity: 'error', message: `${prefix}, so sessions are managed by \`${simpleName(effective)}\`, not \`${simpleName(a.value)}\`. ${fix}` };
    }
    if (a.name === 'useDirtyFlag') {
      return { severity: 'warning', message: `${prefix}; the 6+ DeltaManager always replicates changes as deltas, so it has no equivalent. Delete it.` };
    }
    const managerAttr = a.name.startsWith('manager.') ? a.name.slice('manager.'.length) : MANAGER_DEFAULTS[a.name] !== undefined ? a.name : undefined;
    if (managerAttr) {
      const written = (managerEl && attr(managerEl, managerAttr))?.value;
      const effective = written ?? MANAGER_DEFAULTS[managerAttr];
      const fix = `Set \`${managerAttr}\` on a nested \`<Manager>\` instead.`;
      if (effective !== undefined && same(a.value, effective)) {
        return { severity: 'warning', message: `${prefix}; the manager's ${written !== undefined ? 'own' : 'default'} value is ${effective} too, so nothing changes yet. ${fix}` };
      }
      return {
        severity: 'error',
        message: `${prefix}, so the manager uses ${effective !== undefined ? `${effective} (${written !== undefined ? 'its own value' : 'the default'})` : 'its default'} instead of ${a.value}. ${fix}`,
      };
    }
    const sub = /^(service|receiver|sender|valve|listener)\.(.+)$/.exec(a.name);
    if (sub) {
      const part = sub[1]!;
      const prop = sub[2]!;
      if (part === 'service' && MEMBERSHIP_5X[prop] && this.cluster.membership.kind === 'multicast') {
        return this.rehome(prefix, a, MEMBERSHIP_5X[prop]!, 'Channel/Membership');
      }
      if (part === 'receiver' && RECEIVER_5X[prop]) return this.rehome(prefix, a, RECEIVER_5X[prop]!, 'Channel/Receiver');
      const where = part === 'service' ? '<Channel><Membership>' : part === 'receiver' ? '<Channel><Receiver>' : part === 'sender' ? '<Channel><Sender>' : part === 'valve' ? '<Valve>' : '<ClusterListener>';
      return { severity: 'warning', message: `${prefix}; the ${part} default applies. Set it on \`${where}\` with its 6.0+ name, if it is still needed.` };
    }
    return { severity: 'warning', message: `${prefix}. Delete it, or set the equivalent on a nested \`<Manager>\`.` };
  }

  /** `service.mcastAddr` / `receiver.tcpListenPort`: 5.5 defaultMode settings. */
  private rehome(prefix: string, a: XmlAttribute, to: { name: string; tuning?: boolean }, where: string): Verdict {
    const fix = `Set \`${to.name}\` on \`<${where.replace('/', '><')}>\` instead.`;
    if (to.tuning) return { severity: 'warning', message: `${prefix}; the default ${to.name} applies (tuning only). ${fix}` };
    const m = this.cluster.membership;
    const r = this.cluster.receiver;
    const effective =
      where === 'Channel/Membership' && m.kind === 'multicast'
        ? to.name === 'address'
          ? m.address.value
          : to.name === 'port'
            ? m.port.value
            : m.frequency?.value
        : to.name === 'address'
          ? r.address.value
          : r.port.value;
    if (same(a.value, effective)) return { severity: 'warning', message: `${prefix}; ${show(effective)} applies anyway. ${fix}` };
    return { severity: 'error', message: `${prefix}, so ${show(effective)} applies instead of ${a.value}. ${fix}` };
  }

  /** Membership / Receiver / Sender directly under a 6+ Cluster: no Digester rule, the whole element is skipped. */
  private element(el: XmlElement): Verdict {
    const name = el.localName;
    const prefix =
      `\`<${name}>\` directly under \`<Cluster>\` is ignored on ${this.versionText}: the 6+ ClusterRuleSet only reads \`Cluster/Channel/${name}\` ` +
      `(7.0+ log "No rules found matching"), so the defaults apply`;
    const fix = 'Move it into a GroupChannel `<Channel>`, with the tribes class and 6.0+ attribute names.';
    if (name === 'Membership') {
      const m = this.cluster.membership;
      const address = value(el, 'address', 'mcastAddr');
      const port = value(el, 'port', 'mcastPort');
      if (m.kind !== 'multicast') return { severity: 'warning', message: `${prefix}. ${fix}` };
      const differs = (address !== undefined && !same(address, m.address.value)) || (port !== undefined && !same(port, m.port.value));
      const group = `${m.address.value}:${show(m.port.value)}`;
      if (differs) {
        return { severity: 'error', message: `${prefix}: the group is ${group} instead of ${address ?? m.address.value}:${port ?? show(m.port.value)}. ${fix}` };
      }
      return { severity: 'warning', message: `${prefix} (the group ${group}, which is what it names anyway). ${fix}` };
    }
    if (name === 'Receiver') {
      const r = this.cluster.receiver;
      const address = value(el, 'address', 'tcpListenAddress');
      const port = value(el, 'port', 'tcpListenPort');
      const differs = (address !== undefined && !same(address, r.address.value)) || (port !== undefined && !same(port, r.port.value));
      const endpoint = `${r.address.value}:${show(r.port.value)}`;
      if (differs) {
        return { severity: 'error', message: `${prefix}: the receiver listens on ${endpoint} instead of ${address ?? r.address.value}:${port ?? show(r.port.value)}. ${fix}` };
      }
      return { severity: 'warning', message: `${prefix} (the receiver ${endpoint}, which is what it names anyway). ${fix}` };
    }
    return {
      severity: 'warning',
      message: `${prefix} (the default sender, pooled and asynchronous; set \`channelSendOptions\` on the Cluster for synchronous replication). ${fix}`,
    };
  }

  /** 6.0 names on a 5.x McastService / Receiver: 5.5 has no such property and ignores it silently. */
  private sixOnFive(el: XmlElement, a: XmlAttribute): Verdict {
    const table = el.localName === 'Membership' ? MEMBERSHIP_6_ON_5 : el.localName === 'Receiver' ? RECEIVER_6_ON_5 : {};
    const old = table[a.name];
    const prefix = `\`${a.name}\` is a Tomcat 6.0+ name; the 5.x ${el.localName === 'Membership' ? 'McastService' : 'Receiver'} on ${this.versionText} has no such property and 5.5 ignores it silently`;
    if (!old) {
      return { severity: 'warning', message: `${prefix}; it has no 5.x equivalent. Delete it.` };
    }
    const written = attr(el, old);
    const fix = `Rename it to \`${old}\`.`;
    if (written && same(a.value, written.value)) {
      return { severity: 'warning', message: `${prefix}; \`${old}\` gives the same value. Delete it.` };
    }
    if (written) return { severity: 'error', message: `${prefix}, so \`${old}="${written.value}"\` applies instead of ${a.value}. ${fix}` };
    const missing =
      el.localName === 'Membership' && ['mcastAddr', 'mcastPort', 'mcastFrequency', 'mcastDropTime'].includes(old)
        ? ` The 5.5 McastService has no default for \`${old}\`: without it the membership cannot start.`
        : '';
    return { severity: 'error', message: `${prefix}, so the value is lost.${missing} ${fix}` };
  }
}

// ---------------------------------------------------------------- helpers

function membershipFallback(name: string): string {
  if (name === 'mcastAddr') return `the group falls back to the default ${DEFAULT_MCAST_ADDRESS}`;
  if (name === 'mcastPort') return `the port falls back to the default ${DEFAULT_MCAST_PORT}`;
  return 'the default applies';
}

function receiverFallback(name: string): string {
  if (name === 'tcpListenAddress') return 'the address falls back to "auto"';
  if (name === 'tcpListenPort') return 'the port falls back to 4000';
  return 'the default applies';
}

function classIs(el: XmlElement, simple: string): boolean {
  const cls = attr(el, 'className')?.value;
  return cls === undefined || cls === simple || cls.endsWith('.' + simple);
}

function value(el: XmlElement, ...names: string[]): string | undefined {
  for (const n of names) {
    const a = attr(el, n);
    if (a) return a.value;
  }
  return undefined;
}

function same(written: string, effective: string | number | undefined): boolean {
  if (effective === undefined) return false;
  const w = written.trim();
  if (typeof effective === 'number') return /^[+-]?\d+$/.test(w) && Number(w) === effective;
  return w.toLowerCase() === effective.trim().toLowerCase();
}

function show(v: string | number | undefined): string {
  return v === undefined ? '(unset)' : String(v);
}
