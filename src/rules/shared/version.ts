/**
 * Tomcat versions and cluster generations as the rules use them: the node's generation,
 * a terse description of its version for messages, the generation of a cluster class,
 * and the AJP defaults that changed in 9.0.31 / 8.5.51 / 7.0.100.
 */
import { versionAtLeast } from '../../model/tomcat.js';
import type { ClusterGeneration, TomcatNode, TomcatVersion } from '../../model/types.js';

/** The node's generation from its version evidence; undefined when unknown. */
export function nodeGeneration(v: TomcatVersion): ClusterGeneration | undefined {
  if (v.generation) return v.generation;
  if (v.major !== undefined) return v.major <= 5 ? '5.x' : '6+';
  return undefined;
}

/**
 * True when the node's Tomcat is known to be of the other generation than `generation`
 * (the cluster of that generation does not load at all: `cluster-class-version` reports it,
 * and the rules about the cluster's contents stay out of the way).
 */
export function otherGeneration(node: Pick<TomcatNode, 'version'>, generation: ClusterGeneration | undefined): boolean {
  const gen = nodeGeneration(node.version);
  return gen !== undefined && generation !== undefined && gen !== generation;
}

/** The generation a cluster class belongs to: 5.x `org.apache.catalina.cluster.*`, 6+ `ha` / `tribes`. */
export function generationOf(className: string): ClusterGeneration | undefined {
  if (className.startsWith('org.apache.catalina.cluster.')) return '5.x';
  if (className.startsWith('org.apache.catalina.ha.') || className.startsWith('org.apache.catalina.tribes.')) return '6+';
  return undefined;
}

/**
 * The node's version for messages, with one short reason: "Tomcat 10.1 (declared)",
 * "Tomcat 5.5.15 (from RELEASE-NOTES)", "Tomcat 7.0 or later (inferred from server.xml)",
 * "Tomcat 6.0 or later (inferred from its cluster classes)".
 */
export function describeVersion(node: Pick<TomcatNode, 'version'>): string {
  const v = node.version;
  const reason = versionReason(v);
  const why = reason ? ` (${reason})` : '';
  if (v.version) return `Tomcat ${v.version}${why}`;
  // 5.0–5.5 is what "5.x" means (the 5.x cluster classes, the 5.x layout).
  if (v.atLeast === '5.0' && v.atMost === '5.5') return `Tomcat 5.x${why}`;
  if (v.atLeast && v.atMost) return `Tomcat ${v.atLeast}–${v.atMost}${why}`;
  if (v.atLeast) return `Tomcat ${v.atLeast} or later${why}`;
  if (v.atMost) return `Tomcat ${v.atMost} or earlier${why}`;
  if (v.generation) return `Tomcat ${v.generation}${why}`;
  return 'an unknown Tomcat version';
}

/** One evidence item of the model (`src/model/tomcat.ts`, `inferVersion`), read back: its short reason and the bounds it sets. */
interface Item {
  reason: string;
  exact: boolean;
  lo: number[] | undefined;
  hi: number[] | undefined;
}

function numbers(s: string): number[] {
  return s.split('.').map(Number);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function readItem(what: string): Item {
  const inferred = (from: string, lo?: number[], hi?: number[]): Item => ({ reason: `inferred from ${from}`, exact: false, lo, hi });
  if (what.startsWith('declared')) return { reason: 'declared', exact: true, lo: undefined, hi: undefined };
  if (what.startsWith('RELEASE-NOTES')) return { reason: 'from RELEASE-NOTES', exact: true, lo: undefined, hi: undefined };
  // A jar named with its version (`lib/tomcat-coyote-9.0.85.jar`): exact.
  if (what.endsWith('.jar')) return { reason: `from ${what.split('/').pop()}`, exact: true, lo: undefined, hi: undefined };
  const fiveX = /5\.x/.test(what);
  const los = [...what.matchAll(/(\d+(?:\.\d+)*)\+/g)].map((m) => numbers(m[1]!)).sort(compare);
  const removed = /removed in (\d+(?:\.\d+)*)/.exec(what);
  const lo = fiveX ? [5, 0] : los[0];
  // "removed in 7.0" bounds below 7.0; compared with "5.5" (5.x) the smaller wins either way.
  const hi = fiveX ? [5, 5] : removed ? numbers(removed[1]!) : undefined;
  if (what.includes('cluster classes')) return inferred('its cluster classes', lo, hi);
  if (what.includes('.jar')) return inferred('its jars', lo, hi);
  if (what.includes('web.xml')) return inferred('web.xml', lo, hi);
  return inferred('server.xml', lo, hi);
}

/** The reason behind the bound(s) the description shows: the exact source, else the item that sets each bound. */
function versionReason(v: TomcatVersion): string | undefined {
  if (!v.evidence) return undefined;
  const items = v.evidence.split('; ').map(readItem);
  const exact = items.find((i) => i.exact);
  if (exact && (v.version || v.source === 'declared')) return exact.reason;
  // Later items only narrow: the highest lower bound and the lowest upper bound decide (the earlier item on a tie).
  let lo: Item | undefined;
  let hi: Item | undefined;
  for (const i of items) {
    if (i.lo && (!lo || compare(i.lo, lo.lo!) > 0)) lo = i;
    if (i.hi && (!hi || compare(i.hi, hi.hi!) < 0)) hi = i;
  }
  const shown: string[] = [];
  const showsLo = v.version !== undefined || v.atLeast !== undefined;
  const showsHi = v.version !== undefined || v.atMost !== undefined;
  if (showsLo && lo) shown.push(lo.reason);
  if (showsHi && hi && !shown.includes(hi.reason)) shown.push(hi.reason);
  if (shown.length === 0) return items[0]?.reason;
  if (shown.length === 1) return shown[0];
  return `inferred from ${shown.map((r) => r.replace(/^inferred from /, '')).join(' and ')}`;
}

/**
 * Whether the AJP connector's hardened defaults apply on this version: the loopback
 * `address` and `secretRequired="true"`, both introduced in 9.0.31, 8.5.51 and 7.0.100
 * (February 2020; 8.0 and older never had them). Undefined when the version does not
 * decide (unknown, or "9.0" without a patch level).
 */
export function ajpHardenedByDefault(v: TomcatVersion): boolean | undefined {
  if (versionAtLeast(v, 10) === true || versionAtLeast(v, 9, 0, 31) === true) return true;
  if (versionAtLeast(v, 7, 0, 100) === false) return false;
  if (v.major === 9) return versionAtLeast(v, 9, 0, 31);
  if (v.major === 8) {
    if (v.minor === undefined) return undefined;
    return v.minor < 5 ? false : versionAtLeast(v, 8, 5, 51);
  }
  if (v.major === 7) return versionAtLeast(v, 7, 0, 100);
  return undefined;
}
