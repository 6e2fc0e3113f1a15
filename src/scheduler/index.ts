// The scheduler's entry point: wires informers, the API port and the event recorder to the scheduling loop.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KObject } from '../api/types';
import type { Informer } from '../client/informer';
import { R } from '../client/types';
import type { Controller, ControllerDeps } from '../controllers/types';
import { labelSelectorFromObject, matchesLabels, Requirement, Selector } from '../machinery/labels';
import { logger } from '../util/log';
import { podGroupKey } from './gang';
import { apiPort } from './api-port';
import { DEFAULT_SCHEDULER_NAME, Scheduler, SchedulerListers } from './scheduler';

const log = logger('scheduler');
const GROUP_INDEX = 'scheduler/pod-group';
const NAMESPACE_INDEX = 'scheduler/namespace';

/** Options of the scheduler beyond its dependencies. */
export interface SchedulerStartOptions {
  /** 0 (default): upstream's adaptive percentage of nodes to score. */
  percentageOfNodesToScore?: number;
  maxInFlightBindings?: number;
}

// Selectors of the services, replica sets and stateful sets that select a pod (upstream helper.DefaultSelector).
function defaultSelector(services: Informer<KObject>, replicaSets: Informer<KObject>, statefulSets: Informer<KObject>, pod: Pod): Selector | undefined {
  const ns = pod.metadata?.namespace ?? '';
  const labels = (pod.metadata?.labels ?? {}) as Record<string, string>;
  const merged: Record<string, string> = {};
  for (const svc of services.byIndex(NAMESPACE_INDEX, ns)) {
    const sel = svc.spec?.selector as Record<string, string> | undefined;
    if (sel && Object.keys(sel).length && Object.entries(sel).every(([k, v]) => labels[k] === v)) Object.assign(merged, sel);
  }
  const out: Requirement[] = Object.entries(merged).map(([key, v]) => ({ key, op: 'In', values: [v] }));
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  if (owner && owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const ctrl = (owner.kind === 'ReplicaSet' ? replicaSets : statefulSets).get(`${ns}/${owner.name}`);
    if (ctrl?.spec?.selector) out.push(...labelSelectorFromObject(ctrl.spec.selector));
  }
  return out.length && matchesLabels(out, labels) ? out : undefined;
}

/** Starts the default scheduler. */
export function startScheduler(deps: ControllerDeps, opts: SchedulerStartOptions = {}): Controller {
  const podInf = deps.informers.for<Pod & KObject>(R.pods);
  const nodeInf = deps.informers.for<Node & KObject>(R.nodes);
  const nsInf = deps.informers.for(R.namespaces);
  const pdbInf = deps.informers.for(R.poddisruptionbudgets);
  const svcInf = deps.informers.for(R.services);
  const rsInf = deps.informers.for(R.replicasets);
  const ssInf = deps.informers.for(R.statefulsets);
  svcInf.addIndex(NAMESPACE_INDEX, (s) => [s.metadata.namespace ?? '']);
  podInf.addIndex(GROUP_INDEX, (p) => {
    const g = podGroupKey(p);
    return g ? [g] : [];
  });
  const listers: SchedulerListers = {
    pod: (key) => podInf.get(key),
    groupMembers: (group) => podInf.byIndex(GROUP_INDEX, group),
    namespaceLabels: (ns) => nsInf.get(ns)?.metadata.labels as Record<string, string> | undefined,
    defaultSpreadSelector: (pod) => defaultSelector(svcInf, rsInf, ssInf, pod),
    pdbs: () => pdbInf.list() as unknown as PodDisruptionBudget[],
  };
  const sched = new Scheduler({
    port: apiPort(deps),
    listers,
    recorder: deps.recorder(DEFAULT_SCHEDULER_NAME),
    clock: deps.clock,
    percentageOfNodesToScore: opts.percentageOfNodesToScore,
    maxInFlightBindings: opts.maxInFlightBindings,
  });
  podInf.on({ add: (p) => sched.onPodAdd(p), update: (o, n) => sched.onPodUpdate(o, n), delete: (p) => sched.onPodDelete(p) });
  nodeInf.on({ add: (n) => sched.onNodeAdd(n), update: (o, n) => sched.onNodeUpdate(o, n), delete: (n) => sched.onNodeDelete(n) });
  nsInf.on({
    update: (o, n) => {
      if (JSON.stringify(o.metadata.labels) !== JSON.stringify(n.metadata.labels)) sched.onNamespaceLabelsChanged();
    },
  });
  let stopped = false;
  void Promise.all([podInf, nodeInf, nsInf, pdbInf, svcInf, rsInf, ssInf].map((i) => i.waitForSync())).then(() => {
    if (stopped) return;
    log.debug('scheduler started', { nodes: sched.cache.nodeCount, pending: sched.queue.sizes.active });
    sched.start();
  });
  return {
    stop() {
      stopped = true;
      sched.stop();
    },
  };
}
