// Event recording: core/v1 Events about objects, with repeats folded into one Event's count as upstream does.
import type { KObject } from '../api/types';
import type { Clock } from '../util/clock';
import { rfc3339 } from '../util/clock';
import { logger } from '../util/log';
import type { Client } from './types';
import { R } from './types';

const log = logger('events');

/** Records Events about objects; never throws, never blocks the caller. */
export interface EventRecorder {
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

// Repeats of the same event within this window update the existing Event instead of creating one.
const FOLD_WINDOW_MS = 10 * 60_000;

// An ObjectReference without absent fields (cluster-scoped objects have no namespace).
function objectReference(obj: KObject): Record<string, string> {
  const ref: Record<string, string> = { kind: obj.kind!, name: obj.metadata.name!, apiVersion: obj.apiVersion! };
  if (obj.metadata.namespace) ref.namespace = obj.metadata.namespace;
  if (obj.metadata.uid) ref.uid = obj.metadata.uid;
  if (obj.metadata.resourceVersion) ref.resourceVersion = obj.metadata.resourceVersion;
  return ref;
}

/** A recorder writing as `component` (e.g. "deployment-controller", "default-scheduler"). */
export function eventRecorder(client: Client, component: string, clock: Clock, host = ''): EventRecorder {
  const events = client.resource(R.events);
  const recent = new Map<string, { name: string; namespace: string; count: number; at: number }>();
  return {
    event(obj, type, reason, message) {
      const now = clock.now();
      const namespace = obj.metadata.namespace || 'default';
      const key = `${obj.metadata.uid}/${type}/${reason}/${message}`;
      const seen = recent.get(key);
      const ts = rfc3339(now);
      const done = (p: Promise<unknown>) => p.catch((e) => log.debug('event not recorded', { obj: `${namespace}/${obj.metadata.name}`, reason, err: (e as Error).message }));
      if (seen && now - seen.at < FOLD_WINDOW_MS) {
        seen.count++;
        seen.at = now;
        done(events.patch(seen.namespace, seen.name, 'merge', { count: seen.count, lastTimestamp: ts }));
        return;
      }
      if (recent.size > 4096) recent.clear();
      const name = `${obj.metadata.name}.${(now * 1_000_000 + Math.floor(Math.random() * 1_000_000)).toString(16)}`;
      recent.set(key, { name, namespace, count: 1, at: now });
      done(
        events.create(namespace, {
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace },
          involvedObject: objectReference(obj),
          reason,
          message,
          source: { component, ...(host ? { host } : {}) },
          firstTimestamp: ts,
          lastTimestamp: ts,
          count: 1,
          type,
          reportingComponent: component,
          reportingInstance: host,
        }),
      );
    },
  };
}
