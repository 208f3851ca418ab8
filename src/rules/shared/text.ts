/**
 * Message formatting shared by the rules: name lists, `file:line` places, member labels.
 * Pure functions of their arguments; no rule logic here.
 */
import { relative } from 'node:path';
import { UNKNOWN_HOST } from '../../model/link.js';
import type { BalancerMember, HostRef } from '../../model/types.js';
import type { Span } from '../../types.js';

/** "a", "a and b", "a, b and c". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `conf/server.xml:26`: the file relative to `root` (the folder of the node or front end
 * that owns it) when it lies inside it, else its base name; then the line.
 */
export function fileLine(span: Span, root?: string): string {
  let rel = root === undefined ? '' : relative(root, span.file).replace(/\\/g, '/');
  if (rel === '' || rel.startsWith('..')) rel = span.file.split(/[\\/]/).pop() ?? span.file;
  return `${rel}:${span.line}`;
}

/** `tomcat1 (conf/server.xml:26)`: the owner's name and where in its files; the bare name without a span. */
export function ownerAt(owner: { name: string; root: string }, span: Span | undefined): string {
  return span ? `${owner.name} (${fileLine(span, owner.root)})` : owner.name;
}

/**
 * How messages name a balancer member: worker `w1` (mod_jk), jk2 worker `ajp13:host:8009`,
 * member `ajp://host:8009` (mod_proxy). `sentenceStart` capitalizes all but "jk2".
 */
export function memberLabel(member: Pick<BalancerMember, 'kind' | 'name'>, sentenceStart = false): string {
  switch (member.kind) {
    case 'jk':
      return `${sentenceStart ? 'W' : 'w'}orker \`${member.name}\``;
    case 'jk2':
      return `jk2 worker \`${member.name}\``;
    default:
      return `${sentenceStart ? 'M' : 'm'}ember \`${member.name}\``;
  }
}

/**
 * Where nodes run, for messages: "on host app1", "on apache's host" (a machine known only
 * as the one a front end reaches at a loopback address), else "on one host" (or `unknown`).
 */
export function onHost(host: HostRef, unknown = 'one host'): string {
  const h = host.name;
  if (host.source === 'unknown' || h === '' || h === UNKNOWN_HOST) return `on ${unknown}`;
  const fe = /^\(host of (.*)\)$/.exec(h);
  if (fe) return `on ${fe[1]}'s host`;
  return h.startsWith('(') ? `on ${unknown}` : `on host ${h}`;
}

/**
 * What a finding resting on the unknown-host assumption says (without brackets):
 * "assuming tomcat1 and tomcat2 run on one host; declare hosts with --host to be sure".
 */
export function assumingHost(names: readonly string[], where = 'one host'): string {
  return `assuming ${joinNames(names)} ${names.length > 1 ? 'run' : 'runs'} on ${where}; declare hosts with --host to be sure`;
}

/** A value nobody can compare: an unresolved `${...}` (Tomcat) or `$(...)` (mod_jk) is left in it. */
export function hasPlaceholder(value: string): boolean {
  return value.includes('${') || value.includes('$(');
}

/** A span's start as a map key (to report a place once). */
export function spanKey(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}
