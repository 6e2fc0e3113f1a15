// The pv-protection controller: keeps kubernetes.io/pv-protection on volumes, and removes it from a deleted volume once it is no longer Bound.
import type { Informer } from '../../../client/informer';
import { keyOf } from '../../../client/informer';
import { runWorkers, WorkQueue } from '../../../client/work-queue';
import type { Clock } from '../../../util/clock';
import { logger } from '../../../util/log';
import { errorMessage, isConflict, isNotFound } from '../../shared/errors';
import type { PersistentVolume } from '../types';
import { PV_PROTECTION_FINALIZER } from '../types';
import { isDeletionCandidate, needToAddFinalizer, volumeInUse, withFinalizer } from './decide';

const log = logger('pv-protection-controller');

/** upstream pvprotection.Controller. */
export class PVProtectionController {
  readonly queue: WorkQueue;

  constructor(
    private readonly volumes: Informer<PersistentVolume>,
    private readonly updateVolume: (pv: PersistentVolume) => Promise<void>,
    clock: Clock,
  ) {
    this.queue = new WorkQueue(clock);
    const onVolume = (pv: PersistentVolume) => {
      if (needToAddFinalizer(pv, PV_PROTECTION_FINALIZER) || isDeletionCandidate(pv, PV_PROTECTION_FINALIZER)) this.queue.add(keyOf(pv));
    };
    volumes.on({ add: onVolume, update: (_, pv) => onVolume(pv) });
  }

  /** Runs one worker once the informer has synced. */
  async run(): Promise<void> {
    await this.volumes.waitForSync();
    await runWorkers(this.queue, 1, (k) => this.sync(k), (key, err) => log[isConflict(err) ? 'debug' : 'warn']('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  stop(): void {
    this.queue.shutdown();
  }

  /** upstream processPV. */
  async sync(key: string): Promise<void> {
    const pv = this.volumes.get(key);
    if (!pv) return;
    if (isDeletionCandidate(pv, PV_PROTECTION_FINALIZER)) {
      if (volumeInUse(pv)) return log.debug('keeping PV because it is being used', { obj: key });
      await this.update(withFinalizer(pv, PV_PROTECTION_FINALIZER, false));
      log.info('removed protection finalizer from PV', { obj: key });
      return;
    }
    if (needToAddFinalizer(pv, PV_PROTECTION_FINALIZER)) await this.update(withFinalizer(pv, PV_PROTECTION_FINALIZER, true));
  }

  private async update(pv: PersistentVolume): Promise<void> {
    await this.updateVolume(pv).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
  }
}
