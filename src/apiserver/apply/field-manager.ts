// The registry's FieldManager port, implemented with this package's pure functions: schema per kind, clock, reset fields.
import type { SchemaLookup } from '../../api/schema';
import { groupVersion, type KObject, type ResourceInfo } from '../../api/types';
import type { Clock } from '../../util/clock';
import type { FieldManager } from '../registry/registry';
import { applyServerSide } from './apply';
import { resetFieldsFor } from './reset-fields';
import { updateManagedFields } from './update';

/** A FieldManager for the registry; `schemas` resolves ResourceInfo.definition (an unknown kind is handled as untyped). */
export function createFieldManager(opts: { schemas: SchemaLookup; clock: Clock }): FieldManager {
  const context = (r: ResourceInfo, subresource: string) => ({
    schema: opts.schemas.definition(r.definition),
    apiVersion: groupVersion(r),
    subresource: subresource || undefined,
    resetFields: resetFieldsFor({ subresource, hasStatus: !!r.status }),
    now: opts.clock.now(),
  });
  return {
    update(r, old, updated, manager, subresource) {
      const { managedFields } = updateManagedFields({ ...context(r, subresource), old, updated, manager });
      if (managedFields) updated.metadata.managedFields = managedFields as NonNullable<KObject['metadata']['managedFields']>;
      else delete updated.metadata.managedFields;
    },
    // The port carries no subresource for apply, so applies are recorded as to the main resource.
    apply(r, live, config, manager, force) {
      return applyServerSide({ ...context(r, ''), live, config, manager, force, kind: r.kind }).object;
    },
  };
}
