// Fields an endpoint resets whatever the client sends (upstream's strategy GetResetFields), which therefore no one owns through it.
import { FieldSet } from './field-set';
import { fieldPE } from './path';

/**
 * The common case of upstream's reset fields: writes to the status subresource reset `spec`; other writes to a kind
 * with a status subresource (main resource, scale) reset `status`. Kinds whose strategies reset more can pass their own set.
 */
export function resetFieldsFor(opts: { subresource?: string; hasStatus: boolean }): FieldSet | undefined {
  if (opts.subresource === 'status') return FieldSet.of([fieldPE('spec')]);
  if (opts.hasStatus) return FieldSet.of([fieldPE('status')]);
  return undefined;
}
