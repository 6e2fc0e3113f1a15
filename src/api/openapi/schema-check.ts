// Request decoding checks against the schema: unknown fields and wrong JSON types, worded as upstream's decoder words them.
import type { SchemaNode } from '../schema';
import { checkBase64 } from './base64';
import { parseQuantity, QuantityError } from '../../machinery/quantity';
import { QUANTITY } from './spec';

/** What decoding `obj` as the kind of `node` found. */
export interface SchemaCheck {
  /** Paths of fields the schema does not have, as upstream prints them: spec.foo, spec.template.spec.containers[0].imagee. */
  unknownFields: string[];
  /** Decode errors in document order, e.g. `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas
   * of type int32`; upstream answers the first with 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: <error>`. */
  typeErrors: string[];
}

/** Options of checkAgainstSchema. */
export interface CheckOptions {
  /** Unknown fields kept at most; upstream's strict decoder stops collecting at 100. */
  maxUnknownFields?: number;
}

/** The warning (fieldValidation=Warn) for one unknown field: `unknown field "spec.foo"`. */
export const unknownFieldMessage = (path: string): string => `unknown field ${JSON.stringify(path)}`;

/** The 400 detail under fieldValidation=Strict: `strict decoding error: unknown field "spec.foo", unknown field …`. */
export const strictDecodingMessage = (paths: string[]): string => `strict decoding error: ${paths.map(unknownFieldMessage).join(', ')}`;

/** Decodes `obj` against `node` the way upstream's case-sensitive strict JSON decoder does, without changing it. */
export function checkAgainstSchema(obj: unknown, node: SchemaNode, opts: CheckOptions = {}): SchemaCheck {
  const out: SchemaCheck = { unknownFields: [], typeErrors: [] };
  const max = opts.maxUnknownFields ?? 100;
  // `path` is the strict decoder's path (keys and [i]); `fields` and `struct` are encoding/json's error context:
  // struct field names only, and the innermost struct being decoded.
  const walk = (v: unknown, n: SchemaNode, path: string, fields: string[], struct: string | undefined): void => {
    const typeError = (goType: string, what = jsonKind(v)) => {
      const where = struct === undefined ? 'Go value' : `Go struct field ${struct}.${fields.join('.')}`;
      out.typeErrors.push(`json: cannot unmarshal ${what} into ${where} of type ${goType}`);
    };
    // undefined is what an in-process caller means by absent: JSON would drop it on the wire.
    if (v === null || v === undefined || n.preserveUnknownFields) return;
    if (n.intOrString) {
      if (typeof v !== 'string') checkInteger(v, 'int32', typeError);
      return;
    }
    if (n.name === QUANTITY) {
      // Quantity.UnmarshalJSON parses the raw JSON text, so `true` or `{}` fail its syntax check too.
      try {
        parseQuantity(typeof v === 'string' ? v.trim() : typeof v === 'number' ? v : JSON.stringify(v));
      } catch (err) {
        if (!(err instanceof QuantityError)) throw err;
        out.typeErrors.push(err.message);
      }
      return;
    }
    switch (n.type) {
      case 'object': {
        if (!isPlainObject(v)) return typeError(goTypeName(n));
        const inStruct = n.properties ? shortName(n) : struct;
        for (const [key, value] of Object.entries(v)) {
          const keyPath = path ? `${path}.${key}` : key;
          // Own properties only: a field named "constructor" is unknown, not Object.prototype's.
          const prop = n.properties && Object.hasOwn(n.properties, key) ? n.properties[key] : undefined;
          if (prop) walk(value, prop, keyPath, [...fields, key], inStruct);
          else if (n.additionalProperties === true) continue;
          else if (n.additionalProperties) walk(value, n.additionalProperties, keyPath, fields, struct);
          else if (out.unknownFields.length < max) out.unknownFields.push(keyPath);
        }
        return;
      }
      case 'array':
        if (!Array.isArray(v)) return typeError(goTypeName(n));
        if (n.items) v.forEach((item, i) => walk(item, n.items!, `${path}[${i}]`, fields, struct));
        return;
      case 'string':
        if (typeof v !== 'string') return typeError(n.format === 'byte' ? '[]uint8' : 'string');
        if (n.format === 'byte') {
          const err = checkBase64(v);
          if (err) out.typeErrors.push(err);
        }
        return;
      case 'integer':
        return checkInteger(v, n.format === 'int64' ? 'int64' : 'int32', typeError);
      case 'number':
        if (typeof v !== 'number') typeError('float64');
        return;
      case 'boolean':
        if (typeof v !== 'boolean') typeError('bool');
        return;
    }
  };
  walk(obj, node, '', [], undefined);
  return out;
}

function checkInteger(v: unknown, goType: 'int32' | 'int64', typeError: (goType: string, what?: string) => void): void {
  if (typeof v !== 'number') return typeError(goType);
  const limit = goType === 'int32' ? 2 ** 31 : 2 ** 63;
  // Go reports a fraction or an overflow with the literal: "number 1.5".
  if (!Number.isInteger(v) || v >= limit || v < -limit) typeError(goType, `number ${v}`);
}

/** encoding/json's name for the JSON type of a value. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The Go struct name of a definition: io.k8s.api.apps.v1.DeploymentSpec → DeploymentSpec. */
function shortName(n: SchemaNode): string | undefined {
  return n.name?.slice(n.name.lastIndexOf('.') + 1);
}

/** The Go type upstream would print: v1.DeploymentSpec, []v1.Container, map[string]string, int32… */
function goTypeName(n: SchemaNode): string {
  if (n.name) {
    const parts = n.name.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  switch (n.type) {
    case 'array':
      return `[]${n.items ? goTypeName(n.items) : 'interface {}'}`;
    case 'object':
      return `map[string]${n.additionalProperties && n.additionalProperties !== true ? goTypeName(n.additionalProperties) : 'interface {}'}`;
    case 'integer':
      return n.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return n.format === 'byte' ? '[]uint8' : 'string';
    default:
      return 'interface {}';
  }
}
