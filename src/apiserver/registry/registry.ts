// The generic registry: create, update, delete for every kind, with strategies, admission and optimistic concurrency.
import type { KObject, ResourceInfo } from '../../api/types';
import {
  alreadyExists,
  badRequest,
  conflict,
  FieldError,
  invalid,
  notFound,
  STALE_OBJECT,
  StatusError,
} from '../../machinery/errors';
import type { Store } from '../../store/types';
import { StoreError } from '../../store/types';
import type { Clock } from '../../util/clock';
import { rfc3339 } from '../../util/clock';
import type { AdmissionPlugin } from '../admission/types';
import type { UserInfo } from '../authn';
import { objectKey } from '../resource-table';
import type { CachedObject, WatchCache } from '../watch-cache';
import { resourcePrefixOf, toCached } from '../watch-cache';
import { generateName, jsonEqual, prepareMetaForCreate, prepareMetaForUpdate, serializeForStore } from './meta';
import { validateGenericMeta } from './validate-meta';
import { deepCopy } from '../deep-copy';

/** Per-request facts a write needs. */
export interface WriteContext {
  user: UserInfo;
  /** The field manager: the request's fieldManager, or one derived from the User-Agent. */
  manager: string;
  dryRun: boolean;
  /** Warnings to return in Warning headers. */
  warnings: string[];
}

/** Keeps metadata.managedFields; implemented by the server-side apply package. */
export interface FieldManager {
  /** Records the fields an ordinary write (create/update/patch) set, owned by ctx.manager. */
  update(r: ResourceInfo, old: KObject | undefined, updated: KObject, manager: string, subresource: string): void;
  /** Merges an applied configuration into `live` (absent: create) and returns the object to store. */
  apply(r: ResourceInfo, live: KObject | undefined, config: KObject, manager: string, force: boolean): KObject;
}

/** DeleteOptions as sent by clients (body or query). */
export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** The result of a delete: the object and whether it is gone (false: graceful or waiting on finalizers). */
export interface DeleteResult {
  obj: KObject;
  deleted: boolean;
}

export interface RegistryOptions {
  store: Store;
  cache: WatchCache;
  clock: Clock;
  admission: AdmissionPlugin[];
  fieldManager: FieldManager;
}

const MAX_RETRIES = 16;

const gr = (r: ResourceInfo) => ({ group: r.group, resource: r.resource });

/** Translates backend errors at the one boundary where they become API errors. */
function storeToStatus(e: unknown, r: ResourceInfo, name: string): never {
  if (e instanceof StoreError) {
    switch (e.code) {
      case 'KeyExists':
        throw alreadyExists(gr(r), name);
      case 'NotFound':
        throw notFound(gr(r), name);
      case 'Conflict':
        throw conflict(gr(r), name, STALE_OBJECT);
      case 'Unavailable':
        throw new StatusError(503, 'ServiceUnavailable', `storage is unavailable: ${e.message}`);
      default:
        throw new StatusError(500, 'InternalError', `Internal error occurred: ${e.message}`);
    }
  }
  throw e;
}

/** The generic store every kind goes through. */
export class Registry {
  constructor(private readonly o: RegistryOptions) {}

  /** The current object, read from the watch cache once it has caught up with the store (or from the store, for kinds not cached). */
  async get(r: ResourceInfo, namespace: string, name: string): Promise<CachedObject> {
    const key = objectKey(r, namespace, name);
    const rc = this.o.cache.cacheFor(resourcePrefixOf(key));
    if (!rc.held) {
      const c = await this.readCurrent(r, key, name);
      if (!c) throw notFound(gr(r), name);
      return c;
    }
    await this.o.cache.waitFor(await this.o.store.currentRevision());
    const c = rc.objects.get(key);
    if (!c) throw notFound(gr(r), name);
    return c;
  }

  /** Reads the authoritative current value from the store (for read-modify-write). */
  private async readCurrent(r: ResourceInfo, key: string, name: string): Promise<CachedObject | undefined> {
    try {
      const kv = await this.o.store.get(key);
      return kv ? toCached(kv) : undefined;
    } catch (e) {
      storeToStatus(e, r, name);
    }
  }

  private async admit(
    op: 'CREATE' | 'UPDATE' | 'DELETE',
    r: ResourceInfo,
    subresource: string,
    namespace: string,
    name: string,
    ctx: WriteContext,
    object?: KObject,
    oldObject?: KObject,
  ): Promise<void> {
    for (const p of this.o.admission) {
      await p.admit({ operation: op, resource: r, subresource, namespace, name, object, oldObject, dryRun: ctx.dryRun, user: ctx.user });
    }
  }

  private validateOrThrow(r: ResourceInfo, obj: KObject, old: KObject | undefined): void {
    const errs: FieldError[] = validateGenericMeta(r, obj);
    errs.push(...(r.strategy.validate?.(obj) ?? []));
    if (old) errs.push(...(r.strategy.validateUpdate?.(obj, old) ?? []));
    if (errs.length) throw invalid(r.kind, r.group, obj.metadata.name ?? '', errs);
  }

  /** Creates `obj` (already decoded and schema-checked) in `namespace`. Returns the stored object. */
  async create(r: ResourceInfo, namespace: string, obj: KObject, ctx: WriteContext, applied?: { force: boolean }): Promise<KObject> {
    obj.metadata = obj.metadata ?? {};
    if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    // An applied configuration is merged first, so that defaults are nobody's fields.
    if (applied) obj = this.o.fieldManager.apply(r, undefined, obj, ctx.manager, applied.force);
    obj.apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    obj.kind = r.kind;
    if (r.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = namespace;
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = generateName(obj.metadata.generateName);
    r.strategy.defaults?.(obj);
    prepareMetaForCreate(r, obj, this.o.clock.now());
    r.strategy.prepareForCreate?.(obj);
    if (!applied) this.o.fieldManager.update(r, undefined, obj, ctx.manager, '');
    this.validateOrThrow(r, obj, undefined);
    ctx.warnings.push(...(r.strategy.warnings?.(obj) ?? []));
    const name = obj.metadata.name!;
    await this.admit('CREATE', r, '', namespace, name, ctx, obj);
    if (ctx.dryRun) {
      const existing = await this.readCurrent(r, objectKey(r, namespace, name), name);
      if (existing) throw alreadyExists(gr(r), name);
      return obj;
    }
    try {
      const kv = await this.o.store.create(objectKey(r, namespace, name), serializeForStore(obj));
      obj.metadata.resourceVersion = String(kv.modRevision);
      return obj;
    } catch (e) {
      storeToStatus(e, r, name);
    }
  }

  /**
   * Read-modify-write of one object: `mutate` turns the current object (or undefined when absent) into the desired
   * one. Retries on a concurrent write unless the desired object names a resourceVersion (then 409, as upstream).
   * Returns the stored object and whether it was created. A `mutate` that declares no parameter (a replacement body)
   * is not given the current object, which saves copying it.
   */
  async update(
    r: ResourceInfo,
    namespace: string,
    name: string,
    subresource: string,
    mutate: (current: KObject | undefined) => { obj: KObject; applied?: { force: boolean } },
    ctx: WriteContext,
    allowCreate: boolean,
  ): Promise<{ obj: KObject; created: boolean }> {
    const key = objectKey(r, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.readCurrent(r, key, name);
      if (!current) {
        if (!allowCreate || subresource) throw notFound(gr(r), name);
        const { obj, applied } = mutate(undefined);
        return { obj: await this.create(r, namespace, obj, ctx, applied), created: true };
      }
      const old = current.obj;
      const desired = mutate.length ? mutate(deepCopy(old)) : mutate(undefined);
      const applied = desired.applied;
      let obj = desired.obj;
      obj.metadata = obj.metadata ?? {};
      if (obj.metadata.name && obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      if (r.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      const precondition = obj.metadata.resourceVersion;
      if (precondition && precondition !== String(current.rv)) throw conflict(gr(r), name, STALE_OBJECT);
      if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
        throw conflict(gr(r), name, `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
      }
      if (applied) obj = this.o.fieldManager.apply(r, old, obj, ctx.manager, applied.force);
      obj.metadata.name = name;
      if (r.namespaced) obj.metadata.namespace = namespace;
      obj.apiVersion = old.apiVersion;
      obj.kind = old.kind;
      if (subresource === 'status') {
        // A status write keeps the stored spec (and labels and owners, as upstream's status strategies do), but
        // controllers may set annotations and finalizers with it (e.g. the Deployment revision annotation).
        const m = obj.metadata;
        obj = { ...deepCopy(old), status: obj.status, metadata: { ...m, labels: old.metadata.labels, ownerReferences: old.metadata.ownerReferences } };
      } else if (subresource === 'finalize') {
        // namespaces/finalize changes spec.finalizers and nothing else.
        obj = { ...deepCopy(old), spec: { ...old.spec, finalizers: obj.spec?.finalizers ?? [] }, metadata: { ...old.metadata, managedFields: obj.metadata.managedFields } };
      } else if (r.status && r.kind !== 'Node') obj.status = old.status;
      r.strategy.defaults?.(obj);
      prepareMetaForUpdate(r, obj, old);
      // Strategies prepare spec updates (bumping generation, keeping namespace finalizers); the status and finalize
      // subresources have their own rules above, as upstream's separate status strategies do.
      if (subresource !== 'finalize' && subresource !== 'status') r.strategy.prepareForUpdate?.(obj, old);
      if (!applied) this.o.fieldManager.update(r, old, obj, ctx.manager, subresource);
      this.validateOrThrow(r, obj, old);
      ctx.warnings.push(...(r.strategy.warnings?.(obj) ?? []));
      await this.admit('UPDATE', r, subresource, namespace, name, ctx, obj, old);
      obj.metadata.resourceVersion = String(current.rv);
      if (jsonEqual(obj, old)) return { obj: old, created: false };
      if (ctx.dryRun) return { obj, created: false };
      try {
        if (finalizable(obj)) {
          await this.o.store.delete(key, current.rv);
          return { obj, created: false };
        }
        const kv = await this.o.store.update(key, serializeForStore(obj), current.rv);
        obj.metadata.resourceVersion = String(kv.modRevision);
        return { obj, created: false };
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Conflict' && !precondition && attempt < MAX_RETRIES) continue;
        storeToStatus(e, r, name);
      }
    }
  }

  /** Deletes one object, gracefully or behind finalizers when that applies. */
  async delete(r: ResourceInfo, namespace: string, name: string, opts: DeleteOptions, ctx: WriteContext): Promise<DeleteResult> {
    const key = objectKey(r, namespace, name);
    for (let attempt = 0; ; attempt++) {
      const current = await this.readCurrent(r, key, name);
      if (!current) throw notFound(gr(r), name);
      const old = current.obj;
      const pre = opts.preconditions ?? {};
      if (pre.uid && pre.uid !== old.metadata.uid) {
        throw conflict(gr(r), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
      }
      if (pre.resourceVersion && pre.resourceVersion !== String(current.rv)) {
        throw conflict(
          gr(r),
          name,
          `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.rv}`,
        );
      }
      await this.admit('DELETE', r, '', namespace, name, ctx, undefined, old);
      const pending = this.pendingDeletion(r, old, opts);
      if (ctx.dryRun) return { obj: pending ?? old, deleted: !pending };
      try {
        if (pending) {
          if (jsonEqual(pending, old)) return { obj: old, deleted: false };
          const kv = await this.o.store.update(key, serializeForStore(pending), current.rv);
          pending.metadata.resourceVersion = String(kv.modRevision);
          return { obj: pending, deleted: false };
        }
        const kv = await this.o.store.delete(key, current.rv);
        void kv;
        return { obj: old, deleted: true };
      } catch (e) {
        if (e instanceof StoreError && e.code === 'Conflict' && !pre.resourceVersion && attempt < MAX_RETRIES) continue;
        storeToStatus(e, r, name);
      }
    }
  }

  /**
   * Works out whether a delete must wait: graceful pod termination, finalizers (own or added by the propagation
   * policy), or a namespace's spec.finalizers. Returns the object to store instead of deleting, or undefined.
   */
  private pendingDeletion(r: ResourceInfo, old: KObject, opts: DeleteOptions): KObject | undefined {
    const obj = deepCopy(old);
    const m = obj.metadata;
    const now = this.o.clock.now();
    const finalizers = new Set(m.finalizers ?? []);
    const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
    if (policy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    } else if (policy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    }
    let grace = 0;
    if (r.group === '' && r.kind === 'Pod') {
      const terminal = obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed';
      // An unscheduled or finished pod has no kubelet to wait for, so it goes at once, as upstream.
      if (obj.spec?.nodeName && !terminal) grace = opts.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
      if (m.deletionTimestamp && grace >= (m.deletionGracePeriodSeconds ?? 0) && grace > 0) return old;
    }
    const nsPending = r.group === '' && r.kind === 'Namespace' && (obj.spec?.finalizers?.length ?? 0) > 0;
    // With only foreground/orphan finalizers added by this request and no dependents tracked yet,
    // the garbage collector removes them; the object waits for it like upstream.
    if (!finalizers.size && grace <= 0 && !nsPending) return undefined;
    if (!m.deletionTimestamp) m.deletionTimestamp = rfc3339(now + grace * 1000);
    if (r.group === '' && r.kind === 'Pod' && m.deletionTimestamp && opts.gracePeriodSeconds === 0) {
      // A forced delete of a pod held by finalizers: it goes as soon as they do, as upstream.
      m.deletionGracePeriodSeconds = 0;
      m.deletionTimestamp = rfc3339(now);
    } else if (r.group === '' && r.kind === 'Pod' && grace > 0) {
      m.deletionTimestamp = rfc3339(now + grace * 1000);
      m.deletionGracePeriodSeconds = grace;
    } else m.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds ?? 0;
    if (finalizers.size) m.finalizers = [...finalizers];
    if (nsPending) obj.status = { ...obj.status, phase: 'Terminating' };
    return obj;
  }
}

/** An object being deleted whose last finalizer is gone is removed instead of updated. */
function finalizable(obj: KObject): boolean {
  if (!obj.metadata.deletionTimestamp || (obj.metadata.finalizers?.length ?? 0) > 0) return false;
  if (obj.kind === 'Namespace' && (obj.spec?.finalizers?.length ?? 0) > 0) return false;
  // A pod in graceful termination is removed by its kubelet (a delete with grace 0), not by an update.
  if (obj.kind === 'Pod' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) return false;
  return true;
}

