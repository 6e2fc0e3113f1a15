// For Job unit tests: one sync's decisions (context, plan, and the finish handed to tracking) without a server.
import type { Pod } from '../shared/types';
import type { Job } from './conditions';
import { buildContext, planJob } from './plan';

/** Builds the context of a sync of a copy of `job` at `now`, plans it (expectations satisfied) and sets the finish tracking will see. */
export function syncOnce(job: Job, pods: Pod[], now: number) {
  const ctx = buildContext(structuredClone(job), pods, now, new Set());
  const plan = planJob(ctx, true);
  ctx.finishedCondition = plan.finishedCondition;
  return { ctx, plan };
}
