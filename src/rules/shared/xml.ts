/** Reading syntax-tree elements the model does not cover (attributes by name, children, class names). */
import type { XmlAttribute, XmlElement } from '../../parsers/syntax.js';

export function attr(el: Pick<XmlElement, 'attributes'>, name: string): XmlAttribute | undefined {
  return el.attributes.find((a) => a.name === name);
}

export function childrenNamed(el: XmlElement, localName: string): XmlElement[] {
  return el.children.filter((c) => c.localName === localName);
}

/** `DeltaManager` for `org.apache.catalina.ha.session.DeltaManager` (surrounding blanks ignored). */
export function simpleName(className: string): string {
  const c = className.trim();
  return c.slice(c.lastIndexOf('.') + 1);
}
