import type { DiscoveredFile, Discovery, FrontEndInput, TomcatInput } from '../discover/types.js';
import type { ClusterModel, LintedFile } from './types.js';
import { ParseCache } from './parse-cache.js';
import { buildTomcatNode } from './tomcat.js';
import { buildFrontEnd } from './frontend.js';
import { link } from './link.js';

/** Syntax trees in, one model out: every node and front end, linked and indexed. */
export function buildModel(discovery: Discovery): ClusterModel {
  const cache = new ParseCache();
  const files: LintedFile[] = [];
  const listed = new Set<string>();
  const list = (path: string, kind: LintedFile['kind'], nodeId: string | undefined) => {
    if (listed.has(path)) return;
    listed.add(path);
    files.push({ path, kind, nodeId });
  };

  const nodes = [];
  for (const input of discovery.tomcats) {
    for (const f of tomcatFiles(input)) list(f.path, f.kind, input.id);
    const node = buildTomcatNode(input, cache);
    if (node) nodes.push(node);
  }

  const frontEnds = discovery.frontEnds.map((input) => {
    for (const f of frontFiles(input)) list(f.path, f.kind, input.id);
    return buildFrontEnd(input, cache);
  });

  // Files that belong to no node are still checked for well-formedness.
  for (const stray of discovery.strays) {
    list(stray.path, stray.kind, undefined);
    if (stray.source.text.trimStart().startsWith('<') || stray.kind.endsWith('.xml')) cache.xml(stray);
  }
  // Every file a node or front end owns is parsed, even where the model had no use for it.
  for (const input of discovery.tomcats) {
    for (const f of tomcatFiles(input)) if (f.kind.endsWith('.xml')) cache.xml(f);
  }
  for (const input of discovery.frontEnds) {
    for (const f of input.httpdConfs) cache.httpd(f);
    for (const f of [...input.workersProperties, ...input.uriWorkerMaps]) cache.properties(f);
    for (const f of input.workers2Properties) cache.jk2(f);
  }

  const model: ClusterModel = {
    nodes,
    frontEnds,
    files,
    parseProblems: [...discovery.problems, ...cache.problems],
    sources: new Map(
      [...discovery.tomcats.flatMap(tomcatFiles), ...discovery.frontEnds.flatMap(frontFiles), ...discovery.strays].map((f) => [f.path, f.source]),
    ),
    comments: cache.comments(),
    index: {
      listenersByHost: new Map(),
      nodesByRoute: new Map(),
      nodeById: new Map(),
      membersByNode: new Map(),
    },
  };
  link(model);
  return model;
}

function tomcatFiles(input: TomcatInput): DiscoveredFile[] {
  return [
    input.serverXml,
    ...input.contextFiles,
    ...(input.defaultWebXml ? [input.defaultWebXml] : []),
    ...input.webXmls.map((w) => w.file),
    ...input.metaInfContexts.map((m) => m.file),
    ...(input.catalinaProperties ? [input.catalinaProperties] : []),
    ...input.setenv,
  ];
}

function frontFiles(input: FrontEndInput): DiscoveredFile[] {
  return [...input.httpdConfs, ...input.workersProperties, ...input.workers2Properties, ...input.uriWorkerMaps];
}
