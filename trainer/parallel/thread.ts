// Worker-thread entry of the pool (./pool.ts): runs the jobs the caller posts,
// by task name. pool.ts bundles this file with its imports into one script, so
// a worker starts without a TypeScript loader.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serveJob, type TaskBody } from './pool.ts';
import { TASKS } from './tasks.ts';

const { errors, ready } = workerData as { errors: MessagePort; ready: Int32Array };
Atomics.add(ready, 0, 1);
Atomics.notify(ready, 0);

parentPort!.on('message', (msg: { task: string; args: never; ctrl: Int32Array; slot: number }) => {
  const body: TaskBody<never> = TASKS[msg.task] ?? (() => { throw new Error(`unknown task ${msg.task}`); });
  serveJob(body, msg, errors);
});
