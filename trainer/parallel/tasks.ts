// The jobs worker threads can run, by name (pool.ts posts the name, thread.ts
// looks it up here). Each is the very function the calling thread runs for its
// own share, so an item's result is the same on any thread.
import { runRestarts } from '../estimators/kmeans/restarts.ts';
import { silhouetteBlocks } from '../estimators/quality.ts';
import { logisticChunks } from '../estimators/logistic.ts';
import type { TaskBody } from './pool.ts';

export const TASKS: Record<string, TaskBody<never>> = {
  'kmeans-restarts': runRestarts as TaskBody<never>,
  'silhouette-blocks': silhouetteBlocks as TaskBody<never>,
  'logistic-chunks': logisticChunks as TaskBody<never>,
};
