// events.k8s.io/v1 Event ⇄ the stored core/v1 Event, field for field as upstream's conversion (note⇄message, regarding⇄involvedObject, …).
import type { StorageBinding, KObject } from '../types';

// Drops keys whose value is undefined so converted objects serialize like upstream's omitempty fields.
function compact(o: Record<string, unknown>): KObject {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o as KObject;
}

/** A core/v1 Event as upstream serializes it: zero times as null, empty source and reporting fields present. */
export function normalizeCoreEvent(e: KObject): KObject {
  return compact({
    ...e,
    involvedObject: e.involvedObject ?? {},
    source: e.source ?? {},
    firstTimestamp: e.firstTimestamp ?? null,
    lastTimestamp: e.lastTimestamp ?? null,
    eventTime: e.eventTime ?? null,
    reportingComponent: e.reportingComponent ?? '',
    reportingInstance: e.reportingInstance ?? '',
    count: e.count || undefined,
  });
}

/** events.k8s.io/v1 → core/v1. */
export function eventV1ToCore(e: KObject): KObject {
  return normalizeCoreEvent(
    compact({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: e.metadata,
      involvedObject: e.regarding,
      reason: e.reason,
      message: e.note,
      source: e.deprecatedSource,
      firstTimestamp: e.deprecatedFirstTimestamp,
      lastTimestamp: e.deprecatedLastTimestamp,
      count: e.deprecatedCount,
      type: e.type,
      eventTime: e.eventTime,
      series: e.series,
      action: e.action,
      related: e.related,
      reportingComponent: e.reportingController,
      reportingInstance: e.reportingInstance,
    }),
  );
}

/** core/v1 → events.k8s.io/v1. */
export function eventCoreToV1(e: KObject): KObject {
  return compact({
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: e.eventTime ?? null,
    series: e.series,
    reportingController: e.reportingComponent || undefined,
    reportingInstance: e.reportingInstance || undefined,
    action: e.action,
    reason: e.reason,
    regarding: e.involvedObject ?? {},
    related: e.related,
    note: e.message,
    type: e.type,
    deprecatedSource: e.source ?? {},
    deprecatedFirstTimestamp: e.firstTimestamp ?? null,
    deprecatedLastTimestamp: e.lastTimestamp ?? null,
    deprecatedCount: e.count || undefined,
  });
}

/** Either shape as core/v1, judged by fields first: the registry may label a stored (core) event with the served apiVersion. */
export function asCoreEvent(e: KObject): KObject {
  const v1Only = ['regarding', 'note', 'reportingController', 'deprecatedSource', 'deprecatedCount'].some((k) => k in e);
  const coreOnly = ['involvedObject', 'message', 'reportingComponent', 'source', 'count'].some((k) => k in e);
  const isV1 = v1Only || (!coreOnly && e.apiVersion === 'events.k8s.io/v1');
  return isV1 ? eventV1ToCore(e) : e;
}

/** The StorageBinding of events.k8s.io/v1 Events onto core/v1 storage. */
export const eventsV1Binding: StorageBinding = {
  group: '',
  resource: 'events',
  version: 'v1',
  toStorage: eventV1ToCore,
  fromStorage: eventCoreToV1,
};
