// Worker-thread entry of the pool (./pool.ts). Plain JavaScript so it starts
// under any runner: the TypeScript tasks load directly when a TypeScript
// loader is active (the trainer runs under tsx), and through tsx's API
// otherwise (a test runner's forked process).
import { parentPort, workerData } from 'node:worker_threads';

let tasks;
try {
  tasks = await import('./tasks.ts');
} catch {
  const { tsImport } = await import('tsx/esm/api');
  tasks = await tsImport('./tasks.ts', import.meta.url);
}

Atomics.add(workerData.ready, 0, 1);
Atomics.notify(workerData.ready, 0);

parentPort.on('message', (msg) => {
  const body = tasks.TASKS[msg.task] ?? (() => { throw new Error(`unknown task ${msg.task}`); });
  tasks.serveJob(body, msg, workerData.errors);
});
