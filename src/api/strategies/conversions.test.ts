// Tests for the HPA strategy and the two storage conversions (autoscaling/v1 ⇄ v2, events.k8s.io/v1 ⇄ core/v1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../types';
import { eventCoreToV1, eventV1ToCore } from './event-conversion';
import { eventsV1Strategy } from './event';
import { hpaStrategy } from './hpa';
import { HPA_ANNOTATIONS, hpaV1ToV2, hpaV2ToV1 } from './hpa-conversion';

const msgs = (errs: { field: string; message: string }[] = []) => errs.map((e) => `${e.field}: ${e.message}`);
const NOW = Date.parse('2024-01-01T12:00:00Z');
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const meta = { name: 'web', namespace: 'default', creationTimestamp: '2024-01-01T11:00:00Z' };

test('hpa v2 defaults fill behavior and the CPU target', () => {
  const hpa: KObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { ...meta }, spec: { scaleTargetRef: ref, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
  hpaStrategy.defaults!(hpa);
  assert.equal(hpa.spec.minReplicas, 1);
  assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(hpa.spec.behavior.scaleUp, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  });
  assert.deepEqual(hpa.spec.behavior.scaleDown, { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  assert.deepEqual(hpaStrategy.validate!(hpa), []);
  hpa.status = { currentReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] };
  assert.deepEqual(hpaStrategy.row!(hpa, NOW), ['Deployment/web', 'cpu: 30%/80%', '1', 5, 2, '60m']);
});

test('hpa validation', () => {
  const hpa: KObject = { apiVersion: 'autoscaling/v2', metadata: { ...meta }, spec: { scaleTargetRef: ref, minReplicas: 0, maxReplicas: 0 } };
  hpaStrategy.defaults!(hpa);
  assert.deepEqual(msgs(hpaStrategy.validate!(hpa)), [
    'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
    'spec.maxReplicas: Invalid value: 0: must be greater than 0',
  ]);
  const bad: KObject = { apiVersion: 'autoscaling/v2', metadata: { ...meta }, spec: { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] } };
  assert.deepEqual(msgs(hpaStrategy.validate!(bad)), [
    'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
  ]);
});

test('hpa v1 ⇄ v2 keeps v2-only data in annotations and round-trips', () => {
  const v2: KObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '100' } } },
      ],
      behavior: { scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    },
    status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40, averageValue: '120m' } } }] },
  };
  const v1 = hpaV2ToV1(v2);
  assert.equal(v1.apiVersion, 'autoscaling/v1');
  assert.equal(v1.spec.targetCPUUtilizationPercentage, 60);
  assert.equal(v1.status.currentCPUUtilizationPercentage, 40);
  assert.deepEqual(JSON.parse(v1.metadata.annotations![HPA_ANNOTATIONS.metrics]), [{ type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '100' } }]);
  assert.deepEqual(JSON.parse(v1.metadata.annotations![HPA_ANNOTATIONS.behavior]), {
    ScaleUp: null,
    ScaleDown: { StabilizationWindowSeconds: null, SelectPolicy: 'Min', Policies: [{ Type: 'Pods', Value: 1, PeriodSeconds: 60 }] },
  });
  const back = hpaV1ToV2(v1);
  assert.deepEqual(back.metadata.annotations, undefined);
  assert.deepEqual(back.spec.metrics, [v2.spec.metrics[1], v2.spec.metrics[0]]);
  assert.deepEqual(back.spec.behavior, v2.spec.behavior);
  assert.deepEqual(back.status.currentMetrics, v2.status!.currentMetrics);
});

test('hpa v1 objects default as v1, validate through v2 and print', () => {
  const v1: KObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { ...meta }, spec: { scaleTargetRef: ref, maxReplicas: 4 } };
  hpaStrategy.defaults!(v1);
  assert.deepEqual(v1.spec, { scaleTargetRef: ref, maxReplicas: 4, minReplicas: 1 });
  assert.deepEqual(hpaStrategy.validate!(v1), []);
  assert.deepEqual(hpaStrategy.row!(v1, NOW), ['Deployment/web', 'cpu: <unknown>/80%', '1', 4, 0, '60m']);
});

test('events.k8s.io ⇄ core field mapping', () => {
  const v1: KObject = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'default' },
    eventTime: '2024-01-01T11:59:00.000000Z',
    reportingController: 'default-scheduler',
    reportingInstance: 'sched',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
    note: 'assigned default/web to n1',
    type: 'Normal',
  };
  const core = eventV1ToCore(v1);
  assert.deepEqual(core, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: v1.metadata,
    involvedObject: v1.regarding,
    reason: 'Scheduled',
    message: 'assigned default/web to n1',
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Normal',
    eventTime: v1.eventTime,
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'sched',
  });
  assert.deepEqual(eventCoreToV1(core), { ...v1, deprecatedSource: {}, deprecatedFirstTimestamp: null, deprecatedLastTimestamp: null });
});

test('stored shapes labelled with the served apiVersion are recognized', () => {
  const storedEvent: KObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'web' }, message: 'm' };
  assert.equal(eventsV1Strategy.row!(storedEvent, NOW)[3], 'pod/web');
  const storedHPA: KObject = {
    apiVersion: 'autoscaling/v1',
    metadata: { ...meta },
    spec: { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
  };
  hpaStrategy.defaults!(storedHPA);
  assert.deepEqual(hpaStrategy.validate!(storedHPA), []);
  assert.equal(hpaStrategy.row!(storedHPA, NOW)[1], 'cpu: <unknown>/50%');
});
