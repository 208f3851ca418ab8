import type { LineComment, ParseProblem } from '../types.js';
import type { DiscoveredFile } from '../discover/types.js';
import type { HttpdDocument, Jk2Document, PropertiesDocument, XmlDocument } from '../parsers/syntax.js';
import { parseXml } from '../parsers/xml.js';
import { parseProperties } from '../parsers/properties.js';
import { parseJk2 } from '../parsers/jk2.js';
import { parseHttpd } from '../parsers/httpd.js';

/**
 * Parses each file once, however many nodes share it (a loose web.xml given beside
 * two nodes belongs to both), and collects each file's problems once.
 */
export class ParseCache {
  private readonly trees = new Map<string, XmlDocument | PropertiesDocument | Jk2Document | HttpdDocument>();
  readonly problems: ParseProblem[] = [];

  /** Comments of every file parsed so far, by path. */
  comments(): Map<string, LineComment[]> {
    const out = new Map<string, LineComment[]>();
    for (const [path, tree] of this.trees) out.set(path, tree.comments);
    return out;
  }

  xml(file: DiscoveredFile): XmlDocument {
    return this.get(file, parseXml);
  }

  properties(file: DiscoveredFile): PropertiesDocument {
    return this.get(file, parseProperties);
  }

  jk2(file: DiscoveredFile): Jk2Document {
    return this.get(file, parseJk2);
  }

  httpd(file: DiscoveredFile): HttpdDocument {
    return this.get(file, parseHttpd);
  }

  private get<T extends XmlDocument | PropertiesDocument | Jk2Document | HttpdDocument>(
    file: DiscoveredFile,
    parse: (source: DiscoveredFile['source']) => T,
  ): T {
    const cached = this.trees.get(file.path);
    if (cached) return cached as T;
    const tree = parse(file.source);
    this.trees.set(file.path, tree);
    this.problems.push(...tree.problems);
    return tree;
  }
}
