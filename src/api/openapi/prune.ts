// Drops fields the schema does not know, as upstream's decoder does under fieldValidation=Ignore and Warn.
import type { SchemaNode } from '../schema';

/** Removes unknown fields from `obj` in place and returns their paths (spec.foo, spec.template.spec.containers[0].imagee). */
export function pruneUnknownFields(obj: unknown, node: SchemaNode): string[] {
  const removed: string[] = [];
  const walk = (v: unknown, n: SchemaNode, path: string): void => {
    if (v === null || typeof v !== 'object' || n.preserveUnknownFields) return;
    if (Array.isArray(v)) {
      if (n.type === 'array' && n.items) v.forEach((item, i) => walk(item, n.items!, `${path}[${i}]`));
      return;
    }
    // Values of the wrong JSON type are left alone: decoding rejects them before pruning matters.
    if (n.type !== 'object') return;
    const fields = v as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const keyPath = path ? `${path}.${key}` : key;
      // Own properties only: a field named "constructor" is unknown, not Object.prototype's.
      const child = n.properties && Object.hasOwn(n.properties, key) ? n.properties[key] : n.additionalProperties;
      if (child === true) continue;
      if (child) walk(fields[key], child, keyPath);
      else {
        delete fields[key];
        removed.push(keyPath);
      }
    }
  };
  walk(obj, node, '');
  return removed;
}
