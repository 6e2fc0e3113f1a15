// Checks that an object can be read under its schema (list items keyed, no duplicate keys), as upstream's typed conversion does first.
import type { SchemaNode } from '../../api/schema';
import { fieldPE, pathString, peString, serializePE, type Path } from './path';
import { atomOf, fieldOf, itemPE, TypedError } from './schema-view';
import { isMap } from './values';

/**
 * Problems with `value`, formatted as upstream's ValidationErrors. An applied object may neither repeat a list key nor
 * set a field its struct does not declare; a live object may repeat keys (written by create or update) and is not
 * checked for unknown fields, so that a stored object can always be applied to.
 */
export function typedErrors(value: unknown, node: SchemaNode | undefined, kind: 'applied' | 'live'): string[] {
  const errs: string[] = [];
  walk(value, node, [], kind === 'applied', errs);
  return errs;
}

/** Joins problems the way upstream prints ValidationErrors. */
export function formatTypedErrors(errs: string[]): string {
  return errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => `  ${e}`)].join('\n');
}

function walk(value: unknown, node: SchemaNode | undefined, path: Path, strict: boolean, errs: string[]): void {
  const atom = atomOf(node, value);
  if (atom.type === 'scalar' || atom.atomic) return;
  const at = (msg: string) => errs.push(path.length ? `${pathString(path)}: ${msg}` : msg);
  if (atom.type === 'list') {
    if (!Array.isArray(value)) return;
    const seen = new Set<string>();
    value.forEach((item, i) => {
      let pe;
      try {
        pe = itemPE(atom, item);
      } catch (e) {
        if (!(e instanceof TypedError)) throw e;
        at(`element ${i}: ${e.message}`);
        return;
      }
      const id = serializePE(pe);
      if (seen.has(id) && strict) {
        at(`duplicate entries for key ${peString(pe)}`);
        return;
      }
      seen.add(id);
      walk(item, atom.item, [...path, pe], strict, errs);
    });
    return;
  }
  if (!isMap(value)) return;
  const closed = !!atom.node?.properties && !atom.node.additionalProperties && !atom.node.preserveUnknownFields;
  for (const key of Object.keys(value)) {
    const f = fieldOf(atom.node, key);
    const at = [...path, fieldPE(key)];
    if (strict && closed && !f.declared) errs.push(`${pathString(at)}: field not declared in schema`);
    else walk(value[key], f.node, at, strict, errs);
  }
}
