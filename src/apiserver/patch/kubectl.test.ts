// End-to-end-ish: the PATCH bodies real kubectl v1.32.5 sent for a series of `kubectl apply` edits and `kubectl patch` calls, applied to a live Deployment.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, applyPatch } from './index';
import { deployment } from './schema-fixtures';
import type { JsonObject } from './values';

// The bodies below were captured from kubectl v1.32.5 talking to a recording server; only the
// last-applied-configuration annotation value is shortened to "<step>".
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Deployment = JsonObject & {
  metadata: JsonObject & { annotations: Record<string, string>; finalizers?: string[] };
  spec: JsonObject & {
    replicas: number;
    strategy: JsonObject;
    template: { metadata: JsonObject; spec: JsonObject & { containers: (JsonObject & { env?: JsonObject[]; ports?: JsonObject[] })[]; volumes?: JsonObject[] } };
  };
};

/** The live object after `kubectl apply` created it: what kubectl sent plus the server's defaults and status. */
const created = (): Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-1', resourceVersion: '1', labels: { app: 'web' }, annotations: { [LAST_APPLIED]: '<create>' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'nginx:1.25',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
              { name: 'C', value: '3' },
            ],
          },
          { name: 'sidecar', image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent', args: ['sleep', 'infinity'] },
        ],
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        terminationGracePeriodSeconds: 30,
      },
    },
  },
  status: { replicas: 2, readyReplicas: 2 },
});

const smp = (state: Deployment, patch: unknown) => applyPatch(STRATEGIC_MERGE_PATCH, state, patch, deployment) as Deployment;
const app = (d: Deployment) => d.spec.template.spec.containers[0];
const names = (list: JsonObject[] | undefined) => (list ?? []).map((x) => x.name);

describe('kubectl apply of an edited manifest, step by step', () => {
  let state = created();

  it('(a) image change: only that container changes, the other container and server defaults stay', () => {
    const next = smp(state, {
      metadata: { annotations: { [LAST_APPLIED]: '<a-image>' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.26', name: 'app' }] } } },
    });
    const want = created();
    want.metadata.annotations[LAST_APPLIED] = '<a-image>';
    app(want).image = 'nginx:1.26';
    assert.deepEqual(next, want);
    state = next;
  });

  it('(b) replicas change', () => {
    const next = smp(state, { metadata: { annotations: { [LAST_APPLIED]: '<b-replicas>' } }, spec: { replicas: 5 } });
    assert.equal(next.spec.replicas, 5);
    assert.deepEqual(next.spec.template, state.spec.template);
    state = next;
  });

  it('(c) removing an env var from the manifest removes it, $setElementOrder keeping the order', () => {
    const next = smp(state, {
      metadata: { annotations: { [LAST_APPLIED]: '<c-env-removal>' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], env: [{ $patch: 'delete', name: 'B' }], name: 'app' }],
          },
        },
      },
    });
    assert.deepEqual(app(next).env, [
      { name: 'A', value: '1' },
      { name: 'C', value: '3' },
    ]);
    assert.equal(app(next).image, 'nginx:1.26');
    state = next;
  });

  it('adding a port keeps the existing one (and the protocol the server defaulted)', () => {
    const next = smp(state, {
      metadata: { annotations: { [LAST_APPLIED]: '<d-add-port>' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }], name: 'app', ports: [{ containerPort: 443, name: 'https' }] }],
          },
        },
      },
    });
    assert.deepEqual(app(next).ports, [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, name: 'https' }]);
    state = next;
  });

  it('switching the strategy to Recreate drops rollingUpdate through $retainKeys', () => {
    const next = smp(state, { metadata: { annotations: { [LAST_APPLIED]: '<e-recreate>' } }, spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual(next.spec.strategy, { type: 'Recreate' });
    state = next;
  });

  it('removing a container from the manifest deletes it', () => {
    const next = smp(state, {
      metadata: { annotations: { [LAST_APPLIED]: '<f-drop-sidecar>' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'app' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } },
    });
    assert.deepEqual(names(next.spec.template.spec.containers), ['app']);
    state = next;
  });

  it('reordering env and adding one follows the manifest order', () => {
    const next = smp(state, {
      metadata: { annotations: { [LAST_APPLIED]: '<g-env-reorder-add>' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }],
            containers: [{ '$setElementOrder/env': [{ name: 'C' }, { name: 'A' }, { name: 'D' }], env: [{ name: 'D', value: '4' }], name: 'app' }],
          },
        },
      },
    });
    assert.deepEqual(app(next).env, [
      { name: 'C', value: '3' },
      { name: 'A', value: '1' },
      { name: 'D', value: '4' },
    ]);
    state = next;
  });

  it('adding a volume, then changing its source, leaves only the new source', () => {
    const added = smp(state, { metadata: { annotations: { [LAST_APPLIED]: '<h-add-volume>' } }, spec: { template: { spec: { volumes: [{ emptyDir: {}, name: 'data' }] } } } });
    assert.deepEqual(added.spec.template.spec.volumes, [{ emptyDir: {}, name: 'data' }]);
    const next = smp(added, {
      metadata: { annotations: { [LAST_APPLIED]: '<i-volume-type>' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/volumes': [{ name: 'data' }],
            volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' }, emptyDir: null, name: 'data' }],
          },
        },
      },
    });
    assert.deepEqual(next.spec.template.spec.volumes, [{ configMap: { name: 'cfg' }, name: 'data' }]);
    state = next;
  });

  it('adding a finalizer, then swapping it for another', () => {
    const added = smp(state, { metadata: { annotations: { [LAST_APPLIED]: '<j-finalizer>' }, finalizers: ['example.com/a'] } });
    assert.deepEqual(added.metadata.finalizers, ['example.com/a']);
    const next = smp(added, {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
        '$setElementOrder/finalizers': ['example.com/b'],
        annotations: { [LAST_APPLIED]: '<k-finalizer-swap>' },
        finalizers: ['example.com/b'],
      },
    });
    assert.deepEqual(next.metadata.finalizers, ['example.com/b']);
    assert.deepEqual(next.metadata.annotations, { [LAST_APPLIED]: '<k-finalizer-swap>' });
    assert.deepEqual(next.status, { replicas: 2, readyReplicas: 2 });
    state = next;
  });
});

describe('kubectl apply next to fields other writers own', () => {
  it('keeps an env var a webhook injected when the manifest drops another', () => {
    const live = created();
    app(live).env!.push({ name: 'INJECTED', value: 'x' });
    const next = smp(live, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'app' }, { name: 'sidecar' }],
            containers: [{ '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], env: [{ $patch: 'delete', name: 'B' }], name: 'app' }],
          },
        },
      },
    });
    assert.deepEqual(names(app(next).env), ['A', 'C', 'INJECTED']);
  });
});

describe('kubectl patch', () => {
  it('strategic (the default): -p with one container changes that container only', () => {
    const next = smp(created(), { spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    assert.deepEqual(names(next.spec.template.spec.containers), ['app', 'sidecar']);
    assert.equal(app(next).image, 'nginx:1.27');
    assert.equal(app(next).env?.length, 3);
  });

  it('(d) --type merge: a list in the patch replaces the whole list, labels merge', () => {
    const next = applyPatch(MERGE_PATCH, created(), {
      metadata: { labels: { tier: 'front' } },
      spec: { template: { spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    }) as Deployment;
    assert.deepEqual(next.spec.template.spec.containers, [{ name: 'app', image: 'nginx:1.27' }]);
    assert.deepEqual(next.metadata.labels, { app: 'web', tier: 'front' });
    assert.equal(next.spec.replicas, 2);
  });

  it('(e) --type json: replace /spec/replicas', () => {
    const next = applyPatch(JSON_PATCH, created(), [{ op: 'replace', path: '/spec/replicas', value: 4 }]) as Deployment;
    const want = created();
    want.spec.replicas = 4;
    assert.deepEqual(next, want);
  });

  it('--type json with a failing test answers 422, which kubectl prints as "The request is invalid"', () => {
    assert.throws(() => applyPatch(JSON_PATCH, created(), [{ op: 'test', path: '/spec/replicas', value: 9 }]), {
      code: 422,
      reason: 'Invalid',
      details: { causes: [{ reason: 'UnexpectedServerResponse', message: 'testing value /spec/replicas failed: test failed' }] },
    });
  });
});
