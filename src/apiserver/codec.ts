// The schema-driven request codec: unknown-field and type checks per fieldValidation, and the three patch formats.
import { checkAgainstSchema, pruneUnknownFields, strictDecodingMessage, unknownFieldMessage } from '../api/openapi';
import type { SchemaLookup } from '../api/schema';
import type { KObject } from '../api/types';
import { badRequest } from '../machinery/errors';
import type { ObjectCodec } from './handlers/context';
import { applyPatch } from './patch';

/** A codec over the served kinds' schemas. */
export function schemaCodec(lookup: SchemaLookup): ObjectCodec {
  return {
    check(r, obj, mode, warnings) {
      const node = lookup.definition(r.definition);
      if (!node) return obj;
      const found = checkAgainstSchema(obj, node);
      const prefix = `${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: `;
      // Upstream's decoder stops at the first type error.
      if (found.typeErrors.length) throw badRequest(prefix + found.typeErrors[0]);
      if (found.unknownFields.length) {
        if (mode === 'Strict') throw badRequest(prefix + strictDecodingMessage(found.unknownFields));
        if (mode === 'Warn') warnings.push(...found.unknownFields.map(unknownFieldMessage));
        pruneUnknownFields(obj, node);
      }
      return obj;
    },
    patch(definition, contentType, original, patch) {
      return applyPatch(contentType, original, patch, lookup.definition(definition)) as KObject;
    },
  };
}
