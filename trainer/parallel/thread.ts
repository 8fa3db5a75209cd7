// Worker-thread entry of the pool (./pool.ts): runs the jobs the caller posts,
// by task name. workers.ts bundles this file with its imports into one script,
// so a worker starts without a TypeScript loader; supervisor.mjs starts it.
import { workerData } from 'node:worker_threads';
import { serveJob, type TaskBody } from './pool.ts';
import { TASKS } from './tasks.ts';
import { workerReady, type WorkerData } from './workers.ts';

const { jobs, errors, state, index } = workerData as WorkerData;

jobs.on('message', (msg: { task: string; args: never; ctrl: Int32Array; slot: number }) => {
  const body: TaskBody<never> =
    TASKS[msg.task] ??
    (() => {
      throw new Error(`unknown task ${msg.task}`);
    });
  serveJob(body, msg, errors, state);
});
workerReady(state, index);
