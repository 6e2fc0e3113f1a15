// The shape of the protobuf field table (fields.json), shared by the decoder and scripts/gen-proto-fields.ts.

/** A field's JSON name, its type (a scalar, a definition name, `[]T` or `map[K]V`) and how Go's JSON encoder treats it. */
export type FieldEntry = [jsonName: string, type: string, flag?: 'inline' | 'omitempty'];

/** The shape of fields.json. */
export interface FieldTable {
  /** Where the table came from (upstream repositories, tag and commits). */
  source: string;
  /** Messages that wrap a named Go slice as `repeated T items = 1`; JSON shows the bare array. */
  listWrappers: string[];
  /** Definition name → field number → entry. */
  messages: Record<string, Record<string, FieldEntry>>;
}

/** The scalar types the table uses; the generator refuses any other (upstream's API has no floats). */
export const SCALAR_TYPES: ReadonlySet<string> = new Set(['string', 'bytes', 'bool', 'int32', 'int64']);
