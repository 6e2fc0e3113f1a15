// What every controller is given and gives back: the composition root builds these, controllers never build their own.
import type { EventRecorder } from '../client/events';
import type { SharedInformers } from '../client/shared-informers';
import type { Client } from '../client/types';
import type { Clock } from '../util/clock';

/** Dependencies of a controller (or the scheduler, or the sim kubelets). */
export interface ControllerDeps {
  client: Client;
  informers: SharedInformers;
  clock: Clock;
  /** A recorder writing Events as `component` (e.g. "deployment-controller"). */
  recorder(component: string): EventRecorder;
}

/** A running controller. */
export interface Controller {
  stop(): void;
}
