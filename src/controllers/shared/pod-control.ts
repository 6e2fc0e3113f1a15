// PodControl: the narrow port through which controllers create and delete pods, recording upstream's events.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import type { EventRecorder } from '../../client/events';
import type { Client } from '../../client/types';
import { R } from '../../client/types';
import { errorMessage, hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from './errors';
import type { Pod } from './types';

/** Creates and deletes pods on behalf of a controller object. */
export interface PodControl {
  /**
   * Creates one pod from `template`, owned by `owner` through `controllerRef`, named `generateName` plus a random
   * suffix ("<owner>-" when not given; upstream CreatePods and CreatePodsWithGenerateName).
   */
  createPods(namespace: string, template: PodTemplateSpec, owner: KObject, controllerRef: OwnerReference, generateName?: string): Promise<void>;
  /** Deletes one pod of `owner`. */
  deletePod(namespace: string, name: string, owner: KObject): Promise<void>;
}

// A name prefix may be at most 253 characters (DNS subdomain); a longer owner name is used without the dash.
const MAX_PREFIX = 253;

/** Upstream GetPodFromTemplate: labels, annotations and finalizers of the template, generateName "<owner>-", the controller ref. */
export function getPodFromTemplate(template: PodTemplateSpec, owner: KObject, controllerRef?: OwnerReference): Pod {
  const name = owner.metadata.name!;
  const prefix = name.length + 1 <= MAX_PREFIX ? `${name}-` : name;
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: prefix },
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  if (controllerRef) pod.metadata.ownerReferences = [{ ...controllerRef }];
  return pod;
}

/** The real PodControl, writing through `client` and recording events with `recorder`. */
export function realPodControl(client: Client, recorder: EventRecorder): PodControl {
  const pods = client.resource<Pod>(R.pods);
  return {
    async createPods(namespace, template, owner, controllerRef, generateName) {
      const pod = getPodFromTemplate(template, owner, controllerRef);
      if (generateName) pod.metadata.generateName = generateName;
      if (!Object.keys(pod.metadata.labels ?? {}).length) throw new Error('unable to create pods, no labels');
      let created: Pod;
      try {
        created = await pods.create(namespace, pod);
      } catch (e) {
        // A terminating namespace refuses every create; that is not worth an event.
        if (!hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
        throw e;
      }
      recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    },
    async deletePod(namespace, name, owner) {
      try {
        await pods.delete(namespace, name);
      } catch (e) {
        if (isNotFound(e)) throw e;
        recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
        throw new Error(`unable to delete pods: ${errorMessage(e)}`);
      }
      recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    },
  };
}
