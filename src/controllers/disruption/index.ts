// PodDisruptionBudget status: healthy pods, allowed disruptions.
import type { OwnerReference } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../api/types';
import { keyOf } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import { logger } from '../../util/log';
import { getControllerOf } from '../shared/controller-ref';
import { errorMessage, isConflict, isNotFound } from '../shared/errors';
import type { Pod } from '../shared/types';
import { indexByNamespace, listInNamespace } from '../shared/informer-index';
import type { Controller, ControllerDeps } from '../types';
import { buildDisruptedPodMap, countHealthyPods, expectedPodCount, failSafeStatus, formatSelector, pdbStatus, PDB, ScaleFinder } from './budget';

const log = logger('disruption-controller');

/** The pods a budget selects: none without a selector, all with an empty one (upstream LabelSelectorAsSelector). */
export function podsForBudget(pdb: PDB, pods: Pod[]): Pod[] {
  const sel = pdb.spec?.selector;
  if (!sel) return [];
  const compiled = labelSelectorFromObject(sel);
  return pods.filter((p) => matchesLabels(compiled, p.metadata.labels));
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Starts the Disruption controller. */
export function startDisruptionController(deps: ControllerDeps): Controller {
  const pdbs = deps.informers.for<PDB>(R.poddisruptionbudgets);
  const pods = deps.informers.for<Pod>(R.pods);
  const replicaSets = deps.informers.for(R.replicasets);
  const deployments = deps.informers.for(R.deployments);
  const statefulSets = deps.informers.for(R.statefulsets);
  const client = deps.client.resource<PDB>(R.poddisruptionbudgets);
  const recorder = deps.recorder('controllermanager');
  const queue = new WorkQueue(deps.clock);
  indexByNamespace(pods);
  indexByNamespace(pdbs);

  const enqueueFor = (pod: Pod) => {
    for (const pdb of listInNamespace(pdbs, pod.metadata.namespace!)) if (podsForBudget(pdb, [pod]).length) queue.add(keyOf(pdb));
  };
  pdbs.on({ add: (p) => queue.add(keyOf(p)), update: (_, p) => queue.add(keyOf(p)), delete: (p) => queue.add(keyOf(p)) });
  pods.on({ add: enqueueFor, update: (old, p) => (enqueueFor(old), enqueueFor(p)), delete: enqueueFor });

  // upstream finders: a ReplicaSet's Deployment, a bare ReplicaSet, a StatefulSet; each checked by UID.
  const findScale: ScaleFinder = (ref: OwnerReference, namespace: string) => {
    const group = groupOf(ref.apiVersion);
    if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
      const rs = replicaSets.get(`${namespace}/${ref.name}`);
      if (!rs || rs.metadata.uid !== ref.uid) return undefined;
      const dref = getControllerOf(rs);
      if (dref && dref.kind === 'Deployment') {
        const d = deployments.get(`${namespace}/${dref.name}`);
        return d && d.metadata.uid === dref.uid ? { uid: d.metadata.uid!, scale: d.spec?.replicas ?? 1 } : undefined;
      }
      return { uid: rs.metadata.uid!, scale: rs.spec?.replicas ?? 1 };
    }
    if (ref.kind === 'StatefulSet' && group === 'apps') {
      const ss = statefulSets.get(`${namespace}/${ref.name}`);
      return ss && ss.metadata.uid === ref.uid ? { uid: ss.metadata.uid!, scale: ss.spec?.replicas ?? 1 } : undefined;
    }
    return undefined;
  };

  const writeStatus = async (pdb: PDB, status: object) => {
    await client.updateStatus(pdb.metadata.namespace!, { ...structuredClone(pdb), status } as PDB);
  };

  const trySync = async (pdb: PDB) => {
    const now = deps.clock.now();
    const selected = podsForBudget(pdb, listInNamespace(pods, pdb.metadata.namespace!));
    if (!selected.length) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: ReturnType<typeof expectedPodCount>;
    try {
      counts = expectedPodCount(pdb, selected, findScale);
    } catch (e) {
      recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(e)}`);
      throw e;
    }
    if (counts.unmanagedPods.length) {
      recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${formatSelector(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      );
    }
    const { disrupted, recheckAt, overdue } = buildDisruptedPodMap(selected, pdb, now);
    for (const pod of overdue) {
      recorder.event(pod as KObject, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.name} to be deleted but it wasn't`);
    }
    const status = pdbStatus(pdb, countHealthyPods(selected, disrupted, now), counts.desiredHealthy, counts.expectedCount, disrupted, now);
    if (status) await writeStatus(pdb, status);
    if (recheckAt !== undefined) queue.addAfter(keyOf(pdb), recheckAt - now);
  };

  const sync = async (key: string) => {
    const pdb = pdbs.get(key);
    if (!pdb) return;
    try {
      await trySync(pdb);
    } catch (e) {
      if (isConflict(e) || isNotFound(e)) throw e;
      log.warn('failed to sync PDB', { obj: key, err: errorMessage(e) });
      // Fail closed: without a sound count, no eviction is allowed; pod changes bring the budget back.
      await writeStatus(pdb, failSafeStatus(pdb, errorMessage(e), deps.clock.now()));
    }
  };

  void Promise.all([pdbs, pods, replicaSets, deployments, statefulSets].map((i) => i.waitForSync())).then(() =>
    runWorkers(queue, 2, sync, (key, err) => log.debug('PDB sync failed; retrying', { obj: key, err: errorMessage(err) })),
  );
  return { stop: () => queue.shutdown() };
}
