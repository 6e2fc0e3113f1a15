// Event strategies for core/v1 and events.k8s.io/v1 (one storage): upstream event validation, LAST SEEN… table, field selectors.
import { field, type FieldError } from '../../machinery/errors';
import { invalidEach, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain, validateObjectMetaFormat, validateImmutableField } from '../../machinery/validation';
import type { ColumnDefinition, KObject, Strategy } from '../types';
import { asCoreEvent, normalizeCoreEvent } from './event-conversion';
import { col, since } from './table-helpers';

const LIMIT_128 = 128;
const NOTE_LIMIT = 1024;

/**
 * upstream legacyValidateEvent on a core-shaped event; `reportingField` names the reporter in messages:
 * "reportingController" for events.k8s.io, "reportingComponent" (its JSON name) for core/v1.
 */
export function validateEventLegacy(e: KObject, reportingField: string): FieldError[] {
  const errs: FieldError[] = [];
  const ns = e.metadata.namespace ?? '';
  const involvedNs = e.involvedObject?.namespace ?? '';
  const mismatch = () => field.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!e.eventTime) {
    if (!involvedNs) {
      if (ns !== '' && ns !== 'default') errs.push(mismatch());
    } else if (ns !== involvedNs) errs.push(mismatch());
  } else {
    if (!involvedNs && ns !== 'default' && ns !== 'kube-system') errs.push(mismatch());
    const rc = e.reportingComponent ?? '';
    if (!rc) errs.push(field.required(reportingField));
    errs.push(...invalidEach(reportingField, rc, isQualifiedName(rc)));
    if (!e.reportingInstance) errs.push(field.required('reportingInstance'));
    if ((e.reportingInstance ?? '').length > LIMIT_128) errs.push(field.invalid('reportingInstance', '', `can have at most ${LIMIT_128} characters`));
    if (!e.action) errs.push(field.required('action'));
    if ((e.action ?? '').length > LIMIT_128) errs.push(field.invalid('action', '', `can have at most ${LIMIT_128} characters`));
    if (!e.reason) errs.push(field.required('reason'));
    if ((e.reason ?? '').length > LIMIT_128) errs.push(field.invalid('reason', '', `can have at most ${LIMIT_128} characters`));
    if ((e.message ?? '').length > NOTE_LIMIT) errs.push(field.invalid('message', '', `can have at most ${NOTE_LIMIT} characters`));
  }
  errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

/** upstream ValidateEventCreate for events.k8s.io/v1: the legacy checks plus the strict new-API ones (paths use core names). */
export function validateEventStrict(e: KObject): FieldError[] {
  const errs = validateEventLegacy(e, 'reportingController');
  errs.push(...validateObjectMetaFormat(e.metadata, true, nameIsDNSSubdomain));
  if (e.series) {
    if ((e.series.count ?? 0) < 2) errs.push(field.invalid('series.count', '', 'should be at least 2'));
    if (!e.series.lastObservedTime) errs.push(field.required('series.lastObservedTime'));
  }
  if (!e.eventTime) errs.push(field.required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(field.invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (e.firstTimestamp) errs.push(field.invalid('firstTimestamp', '', 'needs to be unset'));
  if (e.lastTimestamp) errs.push(field.invalid('lastTimestamp', '', 'needs to be unset'));
  if (e.count) errs.push(field.invalid('count', '', 'needs to be unset'));
  if (e.source?.component || e.source?.host) errs.push(field.invalid('source', '', 'needs to be unset'));
  return errs;
}

/** Event columns: upstream's table has no leading NAME; the name is the last (wide) column, marked with format "name". */
export const eventColumns: ColumnDefinition[] = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
  col('Object', 'The object that this event is about.'),
  col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', 'string', 1),
  col('Source', 'The component reporting this event. Should be a short machine understandable string.', 'string', 1),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 'string', 1),
  col('Count', 'The number of times this event has occurred.', 'string', 1),
  { ...col('Name', 'Name must be unique within a namespace.', 'string', 1), format: 'name' },
];

/** An event row as upstream's printEvent (either API shape accepted). */
export function eventRow(obj: KObject, now: number): unknown[] {
  const e = asCoreEvent(obj);
  const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime ?? undefined, now);
  let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = since(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) count = 1;
  const io = e.involvedObject ?? {};
  const target = io.name ? `${String(io.kind ?? '').toLowerCase()}/${io.name}` : String(io.kind ?? '').toLowerCase();
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [last, e.type ?? '', e.reason ?? '', target, io.fieldPath ?? '', source, String(e.message ?? '').trim(), first, count, e.metadata.name ?? ''];
}

/** Field-selector values of an event (upstream ToSelectableFields, core names). */
export function eventSelectableFields(obj: KObject): Record<string, string> {
  const e = asCoreEvent(obj);
  const io = e.involvedObject ?? {};
  return {
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: e.reason ?? '',
    reportingComponent: e.reportingComponent ?? '',
    source: e.source?.component || e.reportingComponent || '',
    type: e.type ?? '',
  };
}

/** The core/v1 Event strategy (legacy validation only, as upstream for this API version). */
export const eventStrategy: Strategy = {
  defaults(obj) {
    Object.assign(obj, normalizeCoreEvent(obj));
  },
  validate: (obj) => validateEventLegacy(obj, 'reportingComponent'),
  columns: eventColumns,
  row: eventRow,
  selectableFields: eventSelectableFields,
};

/** The events.k8s.io/v1 Event strategy: hooks take either shape and validate the core form strictly, as upstream. */
export const eventsV1Strategy: Strategy = {
  validate: (obj) => validateEventStrict(asCoreEvent(obj)),
  validateUpdate(obj, old) {
    // Through events.k8s.io/v1 only the series may evolve; paths use the core field names as upstream.
    const next = asCoreEvent(obj);
    const prev = asCoreEvent(old);
    const errs: FieldError[] = [];
    for (const k of ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime', 'action', 'related'])
      errs.push(...validateImmutableField(next[k], prev[k], k));
    errs.push(...validateImmutableField(next.reportingComponent, prev.reportingComponent, 'reportingController'));
    errs.push(...validateImmutableField(next.reportingInstance, prev.reportingInstance, 'reportingInstance'));
    return errs;
  },
  columns: eventColumns,
  row: eventRow,
  selectableFields(obj) {
    const f = eventSelectableFields(obj);
    return {
      ...f,
      'regarding.kind': f['involvedObject.kind'],
      'regarding.namespace': f['involvedObject.namespace'],
      'regarding.name': f['involvedObject.name'],
      'regarding.uid': f['involvedObject.uid'],
      'regarding.apiVersion': f['involvedObject.apiVersion'],
      'regarding.resourceVersion': f['involvedObject.resourceVersion'],
      'regarding.fieldPath': f['involvedObject.fieldPath'],
      reportingController: f.reportingComponent,
      'deprecatedSource.component': f.source,
    };
  },
};
