import { readFileSync } from 'node:fs';
import { docsPath } from '../rules/api.js';

/** The rule's docs page as shipped with the package, or undefined when it has none. */
export function rulePage(id: string): string | undefined {
  try {
    return readFileSync(docsPath(id), 'utf8');
  } catch {
    return undefined;
  }
}

/** The first paragraph under a `## heading` of a docs page, joined into one line. */
export function pageSection(page: string, heading: string): string | undefined {
  const lines = page.split(/\r?\n/);
  const at = lines.findIndex((l) => l.trim().toLowerCase() === `## ${heading}`.toLowerCase());
  if (at < 0) return undefined;
  const para: string[] = [];
  for (const line of lines.slice(at + 1)) {
    if (line.startsWith('#')) break;
    if (line.trim() === '') {
      if (para.length > 0) break;
      continue;
    }
    para.push(line.trim());
  }
  return para.length > 0 ? para.join(' ') : undefined;
}
