import { isAbsolute, relative, sep } from 'node:path';

/** A file's path relative to `cwd` with `/` separators; the absolute path when it lies outside `cwd`. */
export function displayPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return file.split(sep).join('/');
  return rel.split(sep).join('/');
}
