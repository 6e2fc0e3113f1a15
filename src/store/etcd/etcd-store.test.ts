// Runs the conformance suite against a throwaway etcd, plus the etcd-specific failure to reach a server.
import assert from 'node:assert/strict';
import { AddressInfo, Socket, createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runStoreConformance } from '../conformance';
import { StoreError } from '../types';
import { EtcdStore } from './etcd-store';
import { RunningEtcd, etcdUnavailableReason, startEtcd } from './testing-etcd';

const skip = etcdUnavailableReason();
let etcd: RunningEtcd | undefined;
before(async () => {
  if (!skip) etcd = await startEtcd();
});
after(() => etcd?.stop());

runStoreConformance({ name: 'etcd', skip, newBackend: () => EtcdStore.connect({ endpoints: [etcd!.endpoint] }) });

describe('etcd connect', { skip }, () => {
  it('fails fast with a one-line Unavailable naming an endpoint nobody listens on', async () => {
    const started = Date.now();
    await assert.rejects(EtcdStore.connect({ endpoints: ['127.0.0.1:1'] }), (err) => {
      assert.ok(err instanceof StoreError && err.code === 'Unavailable', String(err));
      assert.match(err.message, /^etcd at 127\.0\.0\.1:1 is unavailable: [^\n]+$/);
      return true;
    });
    assert.ok(Date.now() - started < 3500);
  });

  it('gives up within the dial timeout on an endpoint that accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const endpoint = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const started = Date.now();
    try {
      await assert.rejects(EtcdStore.connect({ endpoints: [endpoint], dialTimeoutMs: 500 }), (err) => {
        assert.ok(err instanceof StoreError && err.code === 'Unavailable', String(err));
        assert.ok(err.message.startsWith(`etcd at ${endpoint} is unavailable`), err.message);
        return true;
      });
      const took = Date.now() - started;
      assert.ok(took >= 450 && took < 1500, `took ${took} ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('reports a lost server: the watch ends with Unavailable and calls fail with Unavailable', async () => {
    const doomed = await startEtcd();
    const store = await EtcdStore.connect({ endpoints: [doomed.endpoint], requestTimeoutMs: 1000 });
    const watchError = new Promise<StoreError>((resolve) => {
      store.watch('/lost/', { afterRevision: 0, onEvent: () => {}, onError: resolve });
    });
    await store.create('/lost/a', '1');
    await doomed.stop();
    const err = await watchError;
    assert.equal(err.code, 'Unavailable');
    assert.match(err.message, new RegExp(doomed.endpoint));
    await assert.rejects(store.get('/lost/a'), (e) => e instanceof StoreError && e.code === 'Unavailable');
    await store.close();
  });
});
