import type { SourceText } from '../parsers/source.js';
import type { FileKind } from '../model/types.js';
import type { ParseProblem } from '../types.js';

/** A file found under the given paths, read once and classified. */
export interface DiscoveredFile {
  path: string;
  kind: FileKind;
  source: SourceText;
}

/** A Tomcat instance: its server.xml and the files that belong to it. */
export interface TomcatInput {
  id: string;
  name: string;
  /** The node's folder (CATALINA_BASE or the folder holding its server.xml). */
  root: string;
  serverXml: DiscoveredFile;
  /** conf/context.xml, conf/<Engine>/<Host>/*.xml(.default), loose context.xml files. */
  contextFiles: DiscoveredFile[];
  /** web.xml and web-fragment.xml files; `appDir` is the folder holding WEB-INF (or the file's folder for a loose web.xml). */
  webXmls: { file: DiscoveredFile; appDir: string }[];
  /** `conf/web.xml`: the defaults Tomcat merges into every app's descriptor (not an app). */
  defaultWebXml?: DiscoveredFile;
  /** META-INF/context.xml files with the app folder they belong to. */
  metaInfContexts: { file: DiscoveredFile; appDir: string }[];
  catalinaProperties: DiscoveredFile | undefined;
  setenv: DiscoveredFile[];
  /** Evidence of the Tomcat version from the folder layout (jar names, RELEASE-NOTES text). */
  layoutHints: { jarNames: string[]; releaseNotes: string | undefined };
  /** Declared host and version (from --host / the config file). */
  declaredHost: string | undefined;
  declaredVersion: string | undefined;
}

/** A web front end: httpd configuration and connector files found together. */
export interface FrontEndInput {
  id: string;
  name: string;
  root: string;
  httpdConfs: DiscoveredFile[];
  workersProperties: DiscoveredFile[];
  workers2Properties: DiscoveredFile[];
  uriWorkerMaps: DiscoveredFile[];
  declaredHost: string | undefined;
}

export interface Discovery {
  tomcats: TomcatInput[];
  frontEnds: FrontEndInput[];
  /** Files that were read but belong to nothing (still listed in the output). */
  strays: DiscoveredFile[];
  /** Unreadable files, loops, files too large. */
  problems: ParseProblem[];
}
