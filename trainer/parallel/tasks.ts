// The jobs worker threads can run, by name (pool.ts posts the name, thread.ts
// looks it up here). Each is the very function the calling thread runs for its
// own share, so an item's result is the same on any thread.
import { binItems, boostSteps } from '../estimators/boosting/threads.ts';
import { runRestarts } from '../estimators/kmeans/restarts.ts';
import { silhouetteBlocks } from '../estimators/quality.ts';
import { logisticChunks } from '../estimators/logistic.ts';
import { isMainThread } from 'node:worker_threads';
import { crewTask } from './crew.ts';
import type { ClaimItem, TaskBody } from './pool.ts';

/**
 * For tests only: a worker thread that takes an item and ends mid-job, as one
 * that crashes or runs out of memory vanishes. The caller's share (slot 0)
 * just claims items.
 */
function exitMidJob(args: { code: number }, slot: number, claim: ClaimItem): void {
  for (let i = claim(); i >= 0; i = claim()) if (slot > 0) process.exit(args.code);
}

/**
 * For tests only: a crew step's item that counts itself (item i of step op
 * at op·items + i) and holds the thread a little, so that both threads take
 * items; op 1 throws on a worker, op 2 ends a worker's thread.
 */
export function crewProbe(
  args: { counts: Int32Array; items: number },
  op: number,
  _params: Int32Array,
  item: number,
): void {
  if (op === 1 && !isMainThread) throw new Error(`crew probe failed on item ${item}`);
  if (op === 2 && !isMainThread) process.exit(5);
  Atomics.add(args.counts, op * args.items + item, 1);
  const until = performance.now() + 0.05;
  while (performance.now() < until) {
    /* hold the item */
  }
}

export const TASKS: Record<string, TaskBody<never>> = {
  'kmeans-restarts': runRestarts as TaskBody<never>,
  'silhouette-blocks': silhouetteBlocks as TaskBody<never>,
  'logistic-chunks': logisticChunks as TaskBody<never>,
  'boost-bin': binItems as TaskBody<never>,
  'boost-steps': boostSteps as TaskBody<never>,
  'test:exit-mid-job': exitMidJob as TaskBody<never>,
  'test:crew-probe': crewTask(crewProbe) as TaskBody<never>,
};
