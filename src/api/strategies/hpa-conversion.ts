// autoscaling/v1 HPA ⇄ stored autoscaling/v2 as upstream converts: CPU utilization ⇄ a Resource metric, other data kept in alpha annotations.
import type { KObject, StorageBinding } from '../types';

/** The round-trip annotations upstream keeps v2-only data in when serving v1. */
export const HPA_ANNOTATIONS = {
  metrics: 'autoscaling.alpha.kubernetes.io/metrics',
  currentMetrics: 'autoscaling.alpha.kubernetes.io/current-metrics',
  conditions: 'autoscaling.alpha.kubernetes.io/conditions',
  behavior: 'autoscaling.alpha.kubernetes.io/behavior',
};

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function compact<T extends J>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function withoutRoundTrip(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const out = { ...annotations };
  for (const k of Object.values(HPA_ANNOTATIONS)) delete out[k];
  return out;
}

const isCPUUtilization = (m: J) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization !== undefined;

/** A v2 MetricSpec in autoscaling/v1's annotation form. */
function metricSpecToV1(m: J): J {
  const r = m.resource ?? m.containerResource;
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const body = compact({ name: r?.name, targetAverageUtilization: r?.target?.averageUtilization, targetAverageValue: r?.target?.averageValue, container: r?.container });
      return { type: m.type, [m.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return { type: m.type, pods: compact({ metricName: m.pods?.metric?.name, targetAverageValue: m.pods?.target?.averageValue, selector: m.pods?.metric?.selector }) };
    case 'Object':
      return {
        type: m.type,
        object: compact({
          target: m.object?.describedObject,
          metricName: m.object?.metric?.name,
          targetValue: m.object?.target?.value,
          selector: m.object?.metric?.selector,
          averageValue: m.object?.target?.averageValue,
        }),
      };
    case 'External':
      return {
        type: m.type,
        external: compact({
          metricName: m.external?.metric?.name,
          metricSelector: m.external?.metric?.selector,
          targetValue: m.external?.target?.value,
          targetAverageValue: m.external?.target?.averageValue,
        }),
      };
  }
  return { type: m.type };
}

/** An autoscaling/v1 annotation MetricSpec back in v2 form. */
function metricSpecFromV1(m: J): J {
  switch (m.type) {
    case 'Resource':
    case 'ContainerResource': {
      const r = (m.type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const util = r.targetAverageUtilization;
      const target = compact({ type: util === undefined ? 'AverageValue' : 'Utilization', averageUtilization: util, averageValue: r.targetAverageValue });
      const body = compact({ name: r.name, container: r.container, target });
      return { type: m.type, [m.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return {
        type: m.type,
        pods: { metric: compact({ name: m.pods?.metricName, selector: m.pods?.selector }), target: { type: 'AverageValue', averageValue: m.pods?.targetAverageValue } },
      };
    case 'Object': {
      const o = m.object ?? {};
      return {
        type: m.type,
        object: {
          describedObject: o.target,
          metric: compact({ name: o.metricName, selector: o.selector }),
          target: compact({ type: o.averageValue === undefined ? 'Value' : 'AverageValue', value: o.targetValue, averageValue: o.averageValue }),
        },
      };
    }
    case 'External': {
      const e = m.external ?? {};
      return {
        type: m.type,
        external: {
          metric: compact({ name: e.metricName, selector: e.metricSelector }),
          target: compact({ type: e.targetValue === undefined ? 'AverageValue' : 'Value', value: e.targetValue, averageValue: e.targetAverageValue }),
        },
      };
    }
  }
  return { type: m.type };
}

function metricStatusToV1(s: J): J {
  const r = s.resource ?? s.containerResource;
  switch (s.type) {
    case 'Resource':
    case 'ContainerResource': {
      const body = compact({ name: r?.name, currentAverageUtilization: r?.current?.averageUtilization, currentAverageValue: r?.current?.averageValue ?? '0', container: r?.container });
      return { type: s.type, [s.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return { type: s.type, pods: compact({ metricName: s.pods?.metric?.name, currentAverageValue: s.pods?.current?.averageValue ?? '0', selector: s.pods?.metric?.selector }) };
    case 'Object':
      return {
        type: s.type,
        object: compact({
          target: s.object?.describedObject,
          metricName: s.object?.metric?.name,
          currentValue: s.object?.current?.value ?? '0',
          selector: s.object?.metric?.selector,
          averageValue: s.object?.current?.averageValue,
        }),
      };
    case 'External':
      return {
        type: s.type,
        external: compact({
          metricName: s.external?.metric?.name,
          metricSelector: s.external?.metric?.selector,
          currentValue: s.external?.current?.value ?? '0',
          currentAverageValue: s.external?.current?.averageValue,
        }),
      };
  }
  return { type: s.type };
}

function metricStatusFromV1(s: J): J {
  switch (s.type) {
    case 'Resource':
    case 'ContainerResource': {
      const r = (s.type === 'Resource' ? s.resource : s.containerResource) ?? {};
      const body = compact({ name: r.name, container: r.container, current: compact({ averageUtilization: r.currentAverageUtilization, averageValue: r.currentAverageValue }) });
      return { type: s.type, [s.type === 'Resource' ? 'resource' : 'containerResource']: body };
    }
    case 'Pods':
      return { type: s.type, pods: { metric: compact({ name: s.pods?.metricName, selector: s.pods?.selector }), current: { averageValue: s.pods?.currentAverageValue } } };
    case 'Object':
      return {
        type: s.type,
        object: {
          describedObject: s.object?.target,
          metric: compact({ name: s.object?.metricName, selector: s.object?.selector }),
          current: compact({ value: s.object?.currentValue, averageValue: s.object?.averageValue }),
        },
      };
    case 'External':
      return {
        type: s.type,
        external: {
          metric: compact({ name: s.external?.metricName, selector: s.external?.metricSelector }),
          current: compact({ value: s.external?.currentValue, averageValue: s.external?.currentAverageValue }),
        },
      };
  }
  return { type: s.type };
}

// Upstream marshals the internal behavior type, which has no JSON tags: Go field names, nil pointers as null.
function behaviorToAnnotation(b: J): string {
  const rules = (r: J | undefined) =>
    r && {
      StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
      SelectPolicy: r.selectPolicy ?? null,
      Policies: (r.policies ?? null) && r.policies.map((p: J) => ({ Type: p.type, Value: p.value, PeriodSeconds: p.periodSeconds })),
    };
  return JSON.stringify({ ScaleUp: rules(b.scaleUp) ?? null, ScaleDown: rules(b.scaleDown) ?? null });
}

function behaviorFromAnnotation(text: string): J | undefined {
  const b = JSON.parse(text) as J;
  const rules = (r: J | null | undefined) =>
    r
      ? compact({
          stabilizationWindowSeconds: r.StabilizationWindowSeconds ?? undefined,
          selectPolicy: r.SelectPolicy ?? undefined,
          policies: r.Policies?.map((p: J) => ({ type: p.Type, value: p.Value, periodSeconds: p.PeriodSeconds })),
        })
      : undefined;
  const out = compact({ scaleUp: rules(b.ScaleUp), scaleDown: rules(b.ScaleDown) });
  return Object.keys(out).length ? out : undefined;
}

function tryJSON<T>(text: string | undefined, fn: (t: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return fn(text);
  } catch {
    return undefined;
  }
}

/**
 * True for an autoscaling/v1-shaped object. Judged by shape first: the registry may label a stored (v2) object with
 * the served apiVersion, and v2 objects converted from v1 always carry metrics.
 */
export function isHPAv1(obj: KObject): boolean {
  const spec = obj.spec ?? {};
  if (spec.targetCPUUtilizationPercentage !== undefined) return true;
  return obj.apiVersion === 'autoscaling/v1' && spec.metrics === undefined && spec.behavior === undefined;
}

/** autoscaling/v2 → autoscaling/v1. */
export function hpaV2ToV1(obj: KObject): KObject {
  const spec = (obj.spec ?? {}) as J;
  const status = (obj.status ?? {}) as J;
  const annotations: Record<string, string> = { ...withoutRoundTrip(obj.metadata.annotations) };
  const metrics: J[] = spec.metrics ?? [];
  const cpu = metrics.find(isCPUUtilization);
  const others = metrics.filter((m) => !isCPUUtilization(m)).map(metricSpecToV1);
  if (others.length) annotations[HPA_ANNOTATIONS.metrics] = JSON.stringify(others);
  if (status.currentMetrics?.length) annotations[HPA_ANNOTATIONS.currentMetrics] = JSON.stringify(status.currentMetrics.map(metricStatusToV1));
  if (spec.behavior) annotations[HPA_ANNOTATIONS.behavior] = behaviorToAnnotation(spec.behavior);
  if (status.conditions?.length) annotations[HPA_ANNOTATIONS.conditions] = JSON.stringify(status.conditions);
  const cpuStatus = (status.currentMetrics ?? []).find((m: J) => m.type === 'Resource' && m.resource?.name === 'cpu');
  const metadata = { ...obj.metadata, annotations: Object.keys(annotations).length ? annotations : undefined };
  if (!metadata.annotations) delete metadata.annotations;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: compact({
      scaleTargetRef: spec.scaleTargetRef,
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
    }),
    ...(obj.status
      ? {
          status: compact({
            observedGeneration: status.observedGeneration,
            lastScaleTime: status.lastScaleTime,
            currentReplicas: status.currentReplicas ?? 0,
            desiredReplicas: status.desiredReplicas ?? 0,
            currentCPUUtilizationPercentage: cpuStatus?.resource?.current?.averageUtilization,
          }),
        }
      : {}),
  };
}

/** autoscaling/v1 → autoscaling/v2, restoring what the annotations carry. */
export function hpaV1ToV2(obj: KObject): KObject {
  const spec = (obj.spec ?? {}) as J;
  const status = obj.status as J | undefined;
  const ann = obj.metadata.annotations ?? {};
  let metrics: J[] = [];
  if (spec.targetCPUUtilizationPercentage !== undefined)
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  const others = tryJSON(ann[HPA_ANNOTATIONS.metrics], (t) => (JSON.parse(t) as J[]).map(metricSpecFromV1));
  if (others) metrics = [...others, ...metrics];
  // autoscaling/v1 always implied an 80% CPU target.
  if (!metrics.length) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  let currentMetrics: J[] | undefined;
  if (status?.currentCPUUtilizationPercentage !== undefined)
    currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  currentMetrics = tryJSON(ann[HPA_ANNOTATIONS.currentMetrics], (t) => (JSON.parse(t) as J[]).map(metricStatusFromV1)) ?? currentMetrics;
  const conditions = tryJSON(ann[HPA_ANNOTATIONS.conditions], (t) => JSON.parse(t) as J[]);
  const behavior = tryJSON(ann[HPA_ANNOTATIONS.behavior], behaviorFromAnnotation);
  const metadata = { ...obj.metadata, annotations: withoutRoundTrip(obj.metadata.annotations) };
  if (!metadata.annotations || !Object.keys(metadata.annotations).length) delete metadata.annotations;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata,
    spec: compact({ scaleTargetRef: spec.scaleTargetRef, minReplicas: spec.minReplicas, maxReplicas: spec.maxReplicas, metrics, behavior }),
    ...(status
      ? {
          status: compact({
            observedGeneration: status.observedGeneration,
            lastScaleTime: status.lastScaleTime,
            currentReplicas: status.currentReplicas,
            desiredReplicas: status.desiredReplicas,
            currentMetrics,
            conditions,
          }),
        }
      : {}),
  };
}

/** The StorageBinding of autoscaling/v1 onto stored autoscaling/v2. */
export const hpaV1Binding: StorageBinding = {
  group: 'autoscaling',
  resource: 'horizontalpodautoscalers',
  version: 'v2',
  toStorage: hpaV1ToV2,
  fromStorage: hpaV2ToV1,
};
