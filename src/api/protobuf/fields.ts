// The committed protobuf field table; see its "source" for where it came from and scripts/gen-proto-fields.ts to remake it.
import table from './fields.json';
import type { FieldTable } from './table';

/** The table of every message tugboat decodes, by definition name. */
export const FIELDS = table as unknown as FieldTable;
