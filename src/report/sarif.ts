/**
 * SARIF 2.1.0, for GitHub code scanning and every other SARIF viewer. Paths are
 * relative to SRCROOT (the working directory), so the log is the same on every machine.
 */
import { isAbsolute, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Location, Log, ReportingDescriptor, Result } from 'sarif';
import type { RuleMeta } from '../rules/api.js';
import { docsUrl } from '../rules/api.js';
import type { Finding, Span } from '../types.js';
import { pageSection, rulePage } from './rule-docs.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://www.npmjs.com/package/cluster-lint';
const SRCROOT = 'SRCROOT';

export interface SarifInput {
  findings: Finding[];
  rules: RuleMeta[];
  cwd: string;
  version: string;
  /** The docs page of a rule (default: the page shipped in docs/rules/). */
  page?: (id: string) => string | undefined;
}

function artifact(cwd: string, file: string): ArtifactLocation {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(file).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function location(cwd: string, span: Span): Location {
  return {
    physicalLocation: {
      artifactLocation: artifact(cwd, span.file),
      region: { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn },
    },
  };
}

function descriptor(meta: RuleMeta, page: string | undefined): ReportingDescriptor {
  const { id, description, severity } = meta;
  const full = page ? pageSection(page, 'What it checks') : undefined;
  return {
    id,
    name: id,
    shortDescription: { text: description },
    fullDescription: { text: full ?? description },
    ...(page ? { help: { text: page, markdown: page } } : {}),
    helpUri: docsUrl(id),
    defaultConfiguration: severity === 'off' ? { enabled: false, level: 'warning' } : { level: severity },
    ...(meta.fixable ? { properties: { fixable: true } } : {}),
  };
}

export function toSarif(input: SarifInput): Log {
  const page = input.page ?? rulePage;
  const descriptors: ReportingDescriptor[] = input.rules.map((r) => descriptor(r, page(r.id)));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  for (const f of input.findings) {
    if (index.has(f.ruleId)) continue;
    // A finding of a rule the caller did not describe (a plugin's, a test's) still needs a descriptor.
    const text = f.ruleId;
    index.set(f.ruleId, descriptors.length);
    descriptors.push({ id: f.ruleId, name: f.ruleId, shortDescription: { text }, fullDescription: { text }, defaultConfiguration: { level: 'warning' } });
  }

  const results: Result[] = input.findings.map((f) => ({
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: f.severity,
    message: { text: f.message },
    locations: [location(input.cwd, f.span)],
    ...(f.related.length > 0
      ? {
          relatedLocations: f.related.map((rel, i) => ({
            id: i + 1,
            ...location(input.cwd, rel.span),
            ...(rel.message ? { message: { text: rel.message } } : {}),
          })),
        }
      : {}),
  }));

  const root = pathToFileURL(input.cwd).href;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'cluster-lint', version: input.version, informationUri: INFORMATION_URI, rules: descriptors } },
        originalUriBaseIds: { [SRCROOT]: { uri: root.endsWith('/') ? root : `${root}/` } },
        // Columns count UTF-16 code units: they index JavaScript strings.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(input: SarifInput): string {
  return `${JSON.stringify(toSarif(input), null, 2)}\n`;
}
