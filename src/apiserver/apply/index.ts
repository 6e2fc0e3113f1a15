// Server-side apply and managedFields tracking for the API server: the entry points other folders use.
export { applyServerSide, type ApplyOptions, type ApplyResult } from './apply';
export { updateManagedFields, type UpdateOptions, type UpdateResult } from './update';
export { managerFromUserAgent, validateFieldManager, FIELD_MANAGER_MAX_LENGTH } from './manager-name';
export { resetFieldsFor } from './reset-fields';
export { FieldSet } from './field-set';
export { fieldSetFromObject } from './to-field-set';
export { fieldsV1ToSet, setToFieldsV1, type FieldsV1 } from './fields-v1';
export { pathString, fieldPE, type Path, type PathElement } from './path';
export { LAST_APPLIED_ANNOTATION } from './last-applied';
export type { ManagedFieldsEntry } from './managers';
export { createFieldManager } from './field-manager';
