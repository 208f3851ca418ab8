/** Small collection helpers the cross-node rules share. */

const ID_ORDER = new Intl.Collator('en', { numeric: true });

/** Deterministic node order: by id, numbers compared as numbers (tomcat2 before tomcat10). */
export function compareIds(a: { id: string }, b: { id: string }): number {
  return ID_ORDER.compare(a.id, b.id);
}

/** Appends to the list under `key` (in place: these maps are filled once per listener or node). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
