import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ClusterModel } from '../model/types.js';
import type { Report, RuleSeverity } from '../types.js';

export interface RuleMeta {
  /** Stable ID: tests and users' configs depend on it. */
  id: string;
  /** Severity when the user configures nothing. */
  severity: RuleSeverity;
  /** One line for `--list-rules`, SARIF and the README table. */
  description: string;
  /** Catalogue keys in the domain catalogue (SRV-01, JK-08, ...). */
  catalogue?: string[];
  /** Offers safe fixes under `--fix`. */
  fixable?: boolean;
}

export interface Rule {
  meta: RuleMeta;
  check(model: ClusterModel, report: Report): void;
}

let packageRoot: string | undefined;

/** The installed package's folder (works from `src/` under tests and from the bundled `dist/cli.js`). */
export function getPackageRoot(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  packageRoot = dir;
  return dir;
}

export function docsPath(id: string): string {
  return join(getPackageRoot(), 'docs', 'rules', `${id}.md`);
}

/** The rule's page as shipped with the package: it works offline and matches the installed version. */
export function docsUrl(id: string): string {
  return pathToFileURL(docsPath(id)).href;
}
