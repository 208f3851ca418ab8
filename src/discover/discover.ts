import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { decode } from '../parsers/source.js';
import { fileStartSpan } from '../parsers/source.js';
import type { ParseProblem } from '../types.js';
import type { FileKind } from '../model/types.js';
import { isCandidateName, kindFromContent } from './classify.js';
import type { DiscoveredFile, Discovery, FrontEndInput, TomcatInput } from './types.js';

export interface DiscoverOptions {
  paths: string[];
  cwd: string;
  /** Declared hosts by path (absolute): a node folder, its server.xml, or a front-end folder. */
  hosts: Map<string, string>;
  /** Declared Tomcat versions by path (absolute); `*` for all nodes. */
  versions: Map<string, string>;
  /** Glob patterns (relative to cwd) of files and folders to skip. */
  ignore: string[];
}

/** Folders that never hold configuration worth reading. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', 'logs', 'work', 'temp', 'target', '.idea']);
/** Folders inside an httpd tree whose parent is the front end's root. */
const HTTPD_SUBDIRS = new Set([
  'conf', 'conf.d', 'conf-available', 'conf-enabled', 'sites-available', 'sites-enabled',
  'mods-available', 'mods-enabled', 'extra', 'other',
]);
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_DEPTH = 24;
const MAX_FILES = 200_000;

const TOMCAT_KINDS = new Set<FileKind>(['server.xml', 'web.xml', 'web-fragment.xml', 'context.xml', 'catalina.properties', 'setenv']);
const FRONT_KINDS = new Set<FileKind>(['workers.properties', 'workers2.properties', 'uriworkermap.properties', 'httpd.conf']);

interface Walked {
  files: DiscoveredFile[];
  jars: string[];
  releaseNotes: Map<string, string>;
  problems: ParseProblem[];
}

/**
 * Finds the cluster's files under the given paths and groups them into Tomcat nodes
 * and front ends. Reads nothing outside those paths: symlinks leading out are not followed.
 */
export function discover(options: DiscoverOptions): Discovery {
  const walked: Walked = { files: [], jars: [], releaseNotes: new Map(), problems: [] };
  const matcher = options.ignore.length ? picomatch(options.ignore, { dot: true }) : undefined;
  // Without patterns nothing is ignored, and no path needs making relative.
  const isIgnored = matcher ? (p: string) => matcher(relative(options.cwd, p).split(sep).join('/')) : () => false;
  const seen = new Set<string>();
  for (const given of options.paths) {
    const abs = resolve(options.cwd, given);
    let boundary: string;
    let known: Known | undefined;
    try {
      boundary = realpathSync.native(abs);
      // The path itself is known from here: its real path is the boundary (one stat, no second realpath).
      const stat = statSync(abs);
      if (stat.isDirectory() || stat.isFile()) known = { real: boundary, dir: stat.isDirectory() };
    } catch {
      continue; // the CLI checked existence; a race is not worth a crash
    }
    walk(abs, boundary, 0, true, walked, seen, isIgnored, known);
  }
  return group(walked, options);
}

/** What a directory listing already told us about an entry: no need to ask the file system again. */
interface Known {
  /** The entry's real path: its parent's real path and its name (it is not a symlink). */
  real: string;
  dir: boolean;
}

function walk(
  path: string,
  boundary: string,
  depth: number,
  explicit: boolean,
  out: Walked,
  seen: Set<string>,
  isIgnored: (p: string) => boolean,
  known?: Known,
): void {
  if (out.files.length >= MAX_FILES) return;
  if (!explicit && isIgnored(path)) return;
  let real: string;
  let isDir: boolean;
  if (known) {
    real = known.real;
    isDir = known.dir;
  } else {
    let stat: Stats;
    try {
      stat = lstatSync(path);
      real = realpathSync.native(path);
      if (stat.isSymbolicLink()) {
        // A link is followed only while it stays inside the tree the user gave.
        if (real !== boundary && !real.startsWith(boundary + sep)) return;
        stat = statSync(path);
      }
    } catch {
      return;
    }
    isDir = stat.isDirectory();
    if (!isDir && !stat.isFile()) return; // sockets, FIFOs, devices: never opened
  }
  if (seen.has(real)) return; // symlink loops and paths given twice end here
  seen.add(real);
  if (isDir) {
    if (depth > MAX_DEPTH) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch (error) {
      out.problems.push({ message: `cannot read folder: ${(error as Error).message}`, span: fileStartSpan(path) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const name = entry.name;
      if (SKIP_DIRS.has(name)) continue;
      const child = join(path, name);
      // Plain folders and files are known from the listing; links and unknown types are looked at.
      const childKnown = entry.isDirectory() || entry.isFile() ? { real: join(real, name), dir: entry.isDirectory() } : undefined;
      walk(child, boundary, depth + 1, false, out, seen, isIgnored, childKnown);
    }
    return;
  }
  const name = basename(path);
  if (!explicit) {
    if (name.endsWith('.jar')) {
      out.jars.push(path);
      return;
    }
    if (name === 'RELEASE-NOTES' || name === 'RELEASE-NOTES.txt') {
      try {
        out.releaseNotes.set(dirname(path), readHead(path, 8192).toString('latin1'));
      } catch {
        /* version hints are optional */
      }
      return;
    }
    if (!isCandidateName(path)) return;
  }
  let bytes: Buffer;
  try {
    const read = readBounded(path);
    if (typeof read === 'number') {
      out.problems.push({ message: `file too large to lint (${read} bytes)`, span: fileStartSpan(path) });
      return;
    }
    bytes = read;
  } catch (error) {
    out.problems.push({ message: `cannot read file: ${(error as Error).message}`, span: fileStartSpan(path) });
    return;
  }
  const source = decode(path, bytes);
  const kind = kindFromContent(path, source.text);
  // During a walk, files that are nothing we know are skipped; named files are always linted.
  if (kind === 'unknown' && !explicit) return;
  out.files.push({ path, kind, source });
}

/** The file's bytes, or its size when it is larger than MAX_FILE_BYTES. One open, one fstat. */
function readBounded(path: string): Buffer | number {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return size;
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The first `max` bytes of a file. */
function readHead(path: string, max: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(max);
    const n = readSync(fd, buffer, 0, max, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

function nodeRootOf(serverXml: string): string {
  const dir = dirname(serverXml);
  return basename(dir) === 'conf' ? dirname(dir) : dir;
}

function frontRootOf(file: string): string {
  let dir = dirname(file);
  while (HTTPD_SUBDIRS.has(basename(dir)) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** `tomcat1.server.xml` → `tomcat1`, `server-02.xml` → `server-02`, `server.xml` → undefined. */
function nameFromFile(file: string): string | undefined {
  const stem = basename(file).replace(/\.xml$/i, '');
  if (stem.toLowerCase() === 'server') return undefined;
  return stem.replace(/[._-]?server$/i, '') || stem;
}

function group(walked: Walked, options: DiscoverOptions): Discovery {
  const { files } = walked;
  const servers = files.filter((f) => f.kind === 'server.xml');
  const byRoot = new Map<string, DiscoveredFile[]>();
  for (const s of servers) {
    const root = nodeRootOf(s.path);
    byRoot.set(root, [...(byRoot.get(root) ?? []), s]);
  }

  const tomcats: TomcatInput[] = [];
  const usedNames = new Map<string, number>();
  for (const [root, list] of byRoot) {
    for (const serverXml of list) {
      const flat = list.length > 1;
      // A server.xml outside conf/ named for its node (`tomcat1.server.xml`, `node-a-server.xml`) names it.
      const named = flat || basename(dirname(serverXml.path)) !== 'conf' ? nameFromFile(serverXml.path) : undefined;
      let name = named ?? basename(root);
      const n = usedNames.get(name) ?? 0;
      usedNames.set(name, n + 1);
      if (n > 0) name = `${name}~${n + 1}`;
      const rel = relative(options.cwd, root) || '.';
      tomcats.push({
        id: flat ? `${rel}#${basename(serverXml.path)}` : rel,
        name,
        root,
        serverXml,
        contextFiles: [],
        webXmls: [],
        metaInfContexts: [],
        catalinaProperties: undefined,
        setenv: [],
        layoutHints: { jarNames: [], releaseNotes: walked.releaseNotes.get(root) },
        declaredHost: declared(options.hosts, [serverXml.path, root]),
        declaredVersion: declared(options.versions, [serverXml.path, root]) ?? options.versions.get('*'),
      });
    }
  }
  const tomcatsByRoot = new Map<string, TomcatInput[]>();
  for (const t of tomcats) tomcatsByRoot.set(t.root, [...(tomcatsByRoot.get(t.root) ?? []), t]);
  for (const jar of walked.jars) {
    // Every node whose folder holds the jar: look its folders up, never scan every node.
    for (const dir of ancestors(jar)) {
      for (const t of tomcatsByRoot.get(dir) ?? []) t.layoutHints.jarNames.push(relative(t.root, jar).split(sep).join('/'));
    }
  }

  const strays: DiscoveredFile[] = [];
  const frontFiles: DiscoveredFile[] = [];
  for (const file of files) {
    if (file.kind === 'server.xml') continue;
    if (FRONT_KINDS.has(file.kind)) {
      frontFiles.push(file);
      continue;
    }
    if (!TOMCAT_KINDS.has(file.kind)) {
      strays.push(file);
      continue;
    }
    // The deepest node folder holding the file owns it; a file outside every node is shared by all.
    let owner: string | undefined;
    for (const dir of ancestors(file.path)) {
      if (byRoot.has(dir)) {
        owner = dir;
        break;
      }
    }
    const owners = owner ? tomcatsByRoot.get(owner)! : tomcats;
    if (owners.length === 0) {
      strays.push(file);
      continue;
    }
    for (const t of owners) attach(t, file);
  }

  return {
    tomcats,
    frontEnds: groupFrontEnds(frontFiles, options),
    strays,
    problems: walked.problems,
  };
}

function attach(t: TomcatInput, file: DiscoveredFile): void {
  const parts = file.path.split(sep);
  const parent = parts.at(-2);
  switch (file.kind) {
    case 'web.xml':
    case 'web-fragment.xml': {
      // conf/web.xml is Tomcat's default descriptor for every app, not an app of its own.
      if (file.kind === 'web.xml' && parent === 'conf' && dirname(dirname(file.path)) === t.root) {
        t.defaultWebXml ??= file;
        break;
      }
      const appDir = parent === 'WEB-INF' || parent === 'META-INF' ? parts.slice(0, -2).join(sep) : dirname(file.path);
      t.webXmls.push({ file, appDir });
      break;
    }
    case 'context.xml':
      if (parent === 'META-INF') t.metaInfContexts.push({ file, appDir: parts.slice(0, -2).join(sep) });
      else t.contextFiles.push(file);
      break;
    case 'catalina.properties':
      t.catalinaProperties ??= file;
      break;
    case 'setenv':
      t.setenv.push(file);
      break;
    default:
      break;
  }
}

function groupFrontEnds(files: DiscoveredFile[], options: DiscoverOptions): FrontEndInput[] {
  const roots = [...new Set(files.map((f) => frontRootOf(f.path)))].sort((a, b) => a.length - b.length);
  const merged: string[] = [];
  for (const r of roots) if (!merged.some((m) => isInside(r, m))) merged.push(r);
  const usedNames = new Map<string, number>();
  return merged.map((root) => {
    const mine = files.filter((f) => isInside(f.path, root));
    let name = basename(root);
    const n = usedNames.get(name) ?? 0;
    usedNames.set(name, n + 1);
    if (n > 0) name = `${name}~${n + 1}`;
    return {
      id: `front:${relative(options.cwd, root) || '.'}`,
      name,
      root,
      httpdConfs: mine.filter((f) => f.kind === 'httpd.conf'),
      workersProperties: mine.filter((f) => f.kind === 'workers.properties'),
      workers2Properties: mine.filter((f) => f.kind === 'workers2.properties'),
      uriWorkerMaps: mine.filter((f) => f.kind === 'uriworkermap.properties'),
      declaredHost: declared(options.hosts, [root, ...mine.map((f) => f.path)]),
    };
  });
}

function declared(map: Map<string, string>, paths: string[]): string | undefined {
  for (const p of paths) {
    const v = map.get(p);
    if (v !== undefined) return v;
  }
  // A declaration for a folder above (e.g. the path given on the command line) applies too;
  // the nearest one wins. Found by looking each folder up, never by scanning every declaration.
  let best: [string, string] | undefined;
  for (const p of paths) {
    for (const dir of ancestors(p)) {
      if (best && dir.length <= best[0].length) break;
      const value = dir === '*' ? undefined : map.get(dir);
      if (value !== undefined) {
        best = [dir, value];
        break;
      }
    }
  }
  return best?.[1];
}

/** The folders holding `path`, nearest first, up to the root. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  let dir = dirname(path);
  for (;;) {
    out.push(dir);
    const up = dirname(dir);
    if (up === dir) return out;
    dir = up;
  }
}
