/**
 * GitHub Actions workflow commands: one `::error`/`::warning` annotation per finding,
 * shown on the pull request's diff. Written by @actions/core (it knows the escaping);
 * its output is captured so that `-o` and several outputs in one run work.
 */
import * as core from '@actions/core';
import type { Finding } from '../types.js';
import { displayPath } from './paths.js';

/** Runs `write` with process.stdout.write redirected into a string, and returns that string. */
function capture(write: () => void): string {
  const chunks: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    write();
  } finally {
    process.stdout.write = original;
  }
  return chunks.join('');
}

export function annotationProperties(f: Finding, cwd: string): core.AnnotationProperties {
  const { span } = f;
  return {
    title: f.ruleId,
    file: displayPath(cwd, span.file),
    startLine: span.line,
    endLine: span.endLine,
    // GitHub takes columns only on a one-line annotation.
    ...(span.line === span.endLine ? { startColumn: span.column, endColumn: span.endColumn } : {}),
  };
}

function annotationMessage(f: Finding, cwd: string): string {
  if (f.related.length === 0) return f.message;
  const related = f.related.map((r) => `${displayPath(cwd, r.span.file)}:${r.span.line}:${r.span.column}${r.message ? ` (${r.message})` : ''}`);
  return `${f.message}\nSee also: ${related.join(', ')}`;
}

export function formatGithub(findings: Finding[], cwd: string): string {
  return capture(() => {
    for (const f of findings) {
      const annotate = f.severity === 'error' ? core.error : core.warning;
      annotate(annotationMessage(f, cwd), annotationProperties(f, cwd));
    }
  });
}
