// Canonicalizes quantity fields during defaulting, as upstream's decoder does; a malformed quantity is a 400 like upstream's decode error.
import { badRequest } from '../../machinery/errors';
import { parseQuantity, QuantityError } from '../../machinery/quantity';

/** Rewrites every quantity of a resource list in canonical form, rounded up to milli as SetDefaults_ResourceList does. */
export function canonicalizeResourceList(list: Record<string, unknown> | undefined, roundToMilli = true): void {
  if (!list) return;
  for (const [k, v] of Object.entries(list)) {
    const q = parseQuantity(v as string | number);
    list[k] = (roundToMilli ? q.roundUpToMilli() : q).toString();
  }
}

/** Canonical text of one optional quantity field, or undefined when absent. */
export function canonicalQuantityField(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : parseQuantity(v as string | number).toString();
}

/** Runs a defaulting step, turning quantity parse failures into upstream's "cannot be handled as" 400. */
export function decodingQuantities(kind: string, version: string, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (e instanceof QuantityError) throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${e.message}`);
    throw e;
  }
}
