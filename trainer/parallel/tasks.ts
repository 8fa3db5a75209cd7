// The jobs worker threads can run, by name (pool.ts posts the name, thread.ts
// looks it up here). Each is the very function the calling thread runs for its
// own share, so an item's result is the same on any thread.
import { boostItems } from '../estimators/boosting/threads.ts';
import { runRestarts } from '../estimators/kmeans/restarts.ts';
import { silhouetteBlocks } from '../estimators/quality.ts';
import { logisticChunks } from '../estimators/logistic.ts';
import type { ClaimItem, TaskBody } from './pool.ts';

/**
 * For tests only: a worker thread that takes an item and ends mid-job, as one
 * that crashes or runs out of memory vanishes. The caller's share (slot 0)
 * just claims items.
 */
function exitMidJob(args: { code: number }, slot: number, claim: ClaimItem): void {
  for (let i = claim(); i >= 0; i = claim()) if (slot > 0) process.exit(args.code);
}

export const TASKS: Record<string, TaskBody<never>> = {
  'kmeans-restarts': runRestarts as TaskBody<never>,
  'silhouette-blocks': silhouetteBlocks as TaskBody<never>,
  'logistic-chunks': logisticChunks as TaskBody<never>,
  'boost-items': boostItems as TaskBody<never>,
  'test:exit-mid-job': exitMidJob as TaskBody<never>,
};
