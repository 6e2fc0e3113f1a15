// Test helpers for the scheduler: object builders and a scheduler running against an in-process API server.
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../api/types';
import { startTestApi, TestApi } from '../apiserver/testing';
import { eventRecorder } from '../client/events';
import { SharedInformers } from '../client/shared-informers';
import { R } from '../client/types';
import type { Controller, ControllerDeps } from '../controllers/types';
import { realClock } from '../util/clock';
import { startScheduler } from './index';
import { newPodInfo } from './pod-info';
import { NodeInfo } from './node-info';
import { CycleState, Plugin, PluginContext, PodInfo, Status } from './types';
import type { Selector } from '../machinery/labels';

/** A Ready node with allocatable = capacity. */
export function makeNode(name: string, allocatable: Record<string, string>, labels: Record<string, string> = {}, extra: Partial<Node['spec']> = {}): Node {
  const alloc = { cpu: '4', memory: '8Gi', pods: '110', ...allocatable };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: { ...extra },
    status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] },
  };
}

/** A one-container pod with the given requests (extended resources get equal limits, which the API requires). */
export function makePod(name: string, requests: Record<string, string> = {}, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  const limits = Object.fromEntries(Object.entries(requests).filter(([k]) => k.includes('/')));
  const resources = Object.keys(requests).length ? { resources: { requests, ...(Object.keys(limits).length ? { limits } : {}) } } : {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...meta },
    spec: { containers: [{ name: 'c', image: 'busybox', ...resources }], ...spec },
  } as Pod;
}

/** A PodInfo for unit tests. */
export function podInfo(name: string, requests: Record<string, string> = {}, spec: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): PodInfo {
  return newPodInfo(makePod(name, requests, spec, meta));
}

/** A NodeInfo holding `pods`, for unit tests. */
export function nodeInfo(node: Node, pods: PodInfo[] = []): NodeInfo {
  const n = new NodeInfo(node.metadata!.name!);
  n.setNode(node);
  for (const p of pods) n.addPod(p);
  return n;
}

/** A PluginContext over fixed nodes, for plugin unit tests. */
export function fakeContext(nodes: NodeInfo[], namespaces: Record<string, Record<string, string>> = {}, spreadSelector?: Selector): PluginContext {
  const withAffinity = () => new Set(nodes.filter((n) => n.podsWithAffinity.length));
  return {
    nodes: () => nodes,
    nodesWithAffinityPods: withAffinity,
    nodesWithRequiredAntiAffinityPods: () => new Set(nodes.filter((n) => n.podsWithRequiredAntiAffinity.length)),
    namespaceLabels: (ns) => namespaces[ns],
    defaultSpreadSelector: () => spreadSelector,
  };
}

/** Runs a plugin's PreFilter then Filter on one node, as the framework would; nodes PreFilter left out are 'Absent'. */
export function runFilter(plugin: Plugin, ctx: PluginContext, pod: PodInfo, node: NodeInfo): Status | undefined | 'Skip' | 'Absent' {
  const state = new CycleState();
  const pre = plugin.preFilter?.(ctx, state, pod);
  if (pre === 'Skip') return 'Skip';
  if (pre && 'nodeNames' in pre) {
    if (!pre.nodeNames.has(node.name)) return 'Absent';
  } else if (pre) return pre;
  return plugin.filter!(ctx, state, pod, node);
}

/** Runs a plugin's PreScore, Score and NormalizeScore over nodes; undefined when PreScore skips. */
export function runScore(plugin: Plugin, ctx: PluginContext, pod: PodInfo, nodes: NodeInfo[]): number[] | undefined {
  const state = new CycleState();
  if (plugin.preScore && !plugin.preScore(ctx, state, pod, nodes)) return undefined;
  const scores = nodes.map((n) => plugin.score!(ctx, state, pod, n));
  plugin.normalize?.(state, pod, scores, nodes);
  return scores;
}

/** An API server with the scheduler running against it. */
export interface SchedulerHarness extends TestApi {
  scheduler: Controller;
  /** Polls until `fn` returns a truthy value (or throws after `ms`). */
  until<T>(fn: () => Promise<T | undefined | false>, ms?: number): Promise<T>;
  pod(name: string, ns?: string): Promise<Pod>;
  events(name: string): Promise<KObject[]>;
}

/** Starts an in-process API server and the scheduler. */
export async function startSchedulerHarness(): Promise<SchedulerHarness> {
  const t = await startTestApi();
  const informers = new SharedInformers(t.client, realClock);
  const deps: ControllerDeps = { client: t.client, informers, clock: realClock, recorder: (c) => eventRecorder(t.client, c, realClock) };
  const scheduler = startScheduler(deps);
  return {
    ...t,
    scheduler,
    async until(fn, ms = 5000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = await fn();
        if (v) return v as never;
        if (Date.now() > end) throw new Error(`condition not met in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    pod: (name, ns = 'default') => t.client.resource(R.pods).get(ns, name) as Promise<Pod>,
    async events(name) {
      const list = await t.client.resource(R.events).list('default');
      return list.items.filter((e) => e.involvedObject?.name === name);
    },
    async close() {
      scheduler.stop();
      informers.stop();
      await t.close();
    },
  };
}
