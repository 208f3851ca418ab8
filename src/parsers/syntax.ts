/**
 * Syntax trees produced by the parsers. They keep every position and know nothing
 * about clusters: meaning (workers, nodes, routes) is given to them in `src/model`.
 */
import type { LineComment, ParseProblem, Span } from '../types.js';
import type { SourceText } from './source.js';

// ---------------------------------------------------------------- XML (server.xml, web.xml, context.xml)

export interface XmlAttribute {
  name: string;
  /** The value with the five predefined entities and character references decoded. */
  value: string;
  /** `name="value"` as a whole. */
  span: Span;
  nameSpan: Span;
  /** The value between the quotes. */
  valueSpan: Span;
  /** Offsets of the value between the quotes, in the decoded text (for fixes). */
  valueStart: number;
  valueEnd: number;
}

export interface XmlElement {
  /** Qualified name as written (`Connector`, `web-app`, `j2ee:distributable`). */
  name: string;
  /** Local name without a namespace prefix. */
  localName: string;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** Concatenated character data directly inside the element, untrimmed. */
  text: string;
  /** From `<` of the start tag to `>` of the end tag (or of the start tag when self-closing). */
  span: Span;
  /** The start tag alone, `<Connector ... >`. */
  startTagSpan: Span;
  /** The element name inside the start tag. */
  nameSpan: Span;
  /** Offsets in the decoded text: start of `<`, end of the start tag (after `>`), end of the element. */
  start: number;
  startTagEnd: number;
  end: number;
  selfClosing: boolean;
  parent: XmlElement | undefined;
}

export interface XmlDocument {
  kind: 'xml';
  source: SourceText;
  /** Undefined when the document has no element at all or is too broken to trust. */
  root: XmlElement | undefined;
  comments: LineComment[];
  /** Encoding named by the XML declaration, as written. */
  declaredEncoding: string | undefined;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------- key=value files (workers.properties, uriworkermap.properties)

export interface PropertyEntry {
  /** Key as written, trimmed. */
  key: string;
  /** Value with any trailing `#` comment removed, trimmed; no `$(var)` substitution. */
  value: string;
  keySpan: Span;
  valueSpan: Span;
  /** The whole `key = value` without the comment. */
  span: Span;
  /** Offsets of key and value in the decoded text (for fixes). */
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

export interface PropertiesDocument {
  kind: 'properties';
  source: SourceText;
  /** Every `key=value` line in file order, repeated keys included. */
  entries: PropertyEntry[];
  comments: LineComment[];
  /** Lines that are neither blank, comment nor `key=value`. */
  problems: ParseProblem[];
}

// ---------------------------------------------------------------- mod_jk2 workers2.properties

export interface Jk2Section {
  /** `channel.socket` in `[channel.socket:localhost:8009]`; the whole header text when there is no colon. */
  type: string;
  /** `localhost:8009`; empty for `[shm]` or `[lb:]`. */
  name: string;
  /** `[...]` as a whole. */
  headerSpan: Span;
  typeSpan: Span;
  nameSpan: Span;
  entries: PropertyEntry[];
  /** True for a section built from the `type:name.prop=value` form outside brackets. */
  inline: boolean;
}

export interface Jk2Document {
  kind: 'jk2';
  source: SourceText;
  sections: Jk2Section[];
  /** `key=value` lines before the first section header. */
  globals: PropertyEntry[];
  comments: LineComment[];
  problems: ParseProblem[];
}

// ---------------------------------------------------------------- httpd configuration

export interface HttpdArgument {
  /** Unquoted value (`"a b"` gives `a b`). */
  value: string;
  span: Span;
  quoted: boolean;
}

export interface HttpdDirective {
  /** Name as written (`JKMount`). */
  name: string;
  /** Lower-cased name: httpd directive names are case-insensitive. */
  key: string;
  args: HttpdArgument[];
  /** The whole directive (for a section: its opening line). */
  span: Span;
  nameSpan: Span;
  /** Offsets of the directive line in the decoded text (for fixes). */
  start: number;
  end: number;
  /** For a section (`<VirtualHost *:80>`): the directives inside it; undefined for a plain directive. */
  children: HttpdDirective[] | undefined;
  parent: HttpdDirective | undefined;
}

export interface HttpdDocument {
  kind: 'httpd';
  source: SourceText;
  directives: HttpdDirective[];
  comments: LineComment[];
  problems: ParseProblem[];
}

export type SyntaxTree = XmlDocument | PropertiesDocument | Jk2Document | HttpdDocument;
