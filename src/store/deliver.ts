// Calls a watcher's handler so that a bug in it cannot break the store's commit path or a shared stream.
import { WatchEvent, WatchOptions } from './types';

/** Hands `ev` to `opts.onEvent`; a throw is re-raised on a fresh microtask, where it surfaces as an uncaught error. */
export function deliver(opts: WatchOptions, ev: WatchEvent): void {
  try {
    opts.onEvent(ev);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
