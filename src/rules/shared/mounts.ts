/** mod_jk mounts and the httpd sections around them. */
import type { HttpdDirective } from '../../parsers/syntax.js';

/** `X|Y` is the two patterns `X` and `XY` (uri_worker_map_add). */
export function expandPattern(path: string): string[] {
  const bar = path.indexOf('|');
  if (bar < 0) return [path];
  const x = path.slice(0, bar);
  return [x, x + path.slice(bar + 1)];
}

/** The `<VirtualHost>` a directive sits in, if any. */
export function virtualHost(d: HttpdDirective | undefined): HttpdDirective | undefined {
  for (let p = d?.parent; p; p = p.parent) if (p.key === 'virtualhost') return p;
  return undefined;
}
