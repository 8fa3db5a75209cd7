// The parent of the pool's worker threads (see workers.ts). The caller's
// thread blocks in Atomics.wait while a job runs, so it cannot hear a worker's
// 'exit' or 'error' event then; this thread's event loop is always free. It
// starts each worker the caller asks for and, when one ends for any reason (an
// uncaught error, process.exit, out of memory, a script that does not load),
// posts why and marks it dead in the shared state, which wakes the caller.
// Plain JavaScript, so that it starts without a TypeScript loader or a bundle.
import { parentPort, Worker, workerData } from 'node:worker_threads';

const { deaths, state, layout } = workerData;

/** Tells the caller that worker `index` (spawn `id`) has ended, and why: the reason first, so it is there when the caller wakes. */
function ended(index, id, reason) {
  const wasReady = Atomics.load(state, layout.status + index) === layout.ready;
  deaths.postMessage({ index, id, reason, wasReady });
  Atomics.store(state, layout.status + index, layout.dead);
  Atomics.add(state, layout.deaths, 1);
  Atomics.add(state, layout.signal, 1);
  Atomics.notify(state, layout.signal);
}

parentPort.on('message', (msg) => {
  const { index, id, source, data } = msg;
  let worker;
  try {
    worker = new Worker(source, { eval: true, execArgv: [], workerData: data, transferList: [data.jobs, data.errors] });
  } catch (e) {
    ended(index, id, e instanceof Error ? e.message : String(e));
    return;
  }
  let error = null;
  worker.on('error', (e) => {
    error = e;
  });
  worker.on('exit', (code) => {
    ended(index, id, error ? error.message || String(error) : `the thread exited with code ${code}`);
  });
});
