// A small pool of worker threads that the numeric kernels use synchronously.
//
// The kernels keep their synchronous signatures (fitKMeans, silhouette, …):
// a parallel call hands the same job to every idle worker, does its own share
// on the calling thread, then blocks on Atomics.wait until the workers that
// joined have finished. Work is split into numbered items (a k-means restart,
// a block of rows) claimed one at a time from a shared counter, so a slow or
// late worker never holds the others up; and every item is computed the same
// way whichever thread claims it, so results do not depend on the number of
// threads. Inputs and outputs live in SharedArrayBuffers, which the workers
// read and write in place (nothing is posted back and forth but the job).
//
// Workers start lazily, on the first job large enough to pay for them; a
// worker still starting simply joins late (or not at all: the caller never
// waits for one that has not joined). They are unref'd, so they never keep the
// process alive.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** Claims the next item number, or returns -1 when every item has been taken. */
export type ClaimItem = () => number;

/** Runs on every participating thread: claim items with `claim` until it returns -1. `slot` is 0 on the caller, 1.. on workers. */
export type TaskBody<A> = (args: A, slot: number, claim: ClaimItem) => void;

// Control words of a job (an Int32Array over a SharedArrayBuffer).
const NEXT = 0; // next unclaimed item
const JOINED = 1; // workers that started the job
const DONE = 2; // workers that finished it
const FAILED = 3; // a worker threw
const ITEMS = 4; // how many items there are
const BY_WORKERS = 5; // items the workers claimed
const CONTROL_WORDS = 6;

interface PoolWorker {
  worker: Worker;
  errors: MessagePort;
}

interface ParallelSettings {
  /** Threads in all, the caller included; 1 runs everything on the caller. */
  threads: number;
  /** Work (in rough element operations) below which a job stays on the caller. */
  minWork: number;
}

const defaultThreads = (): number => {
  const env = Number(process.env.EDGESEG_THREADS);
  if (Number.isInteger(env) && env >= 1) return env;
  return Math.max(1, Math.min(availableParallelism(), 8));
};

const settings: ParallelSettings = { threads: defaultThreads(), minWork: 20_000_000 };
const workers: PoolWorker[] = [];
/** Workers that have loaded the tasks and listen for jobs. */
const ready = new Int32Array(new SharedArrayBuffer(4));
let byWorkers = 0;

/** Sets the thread count (the caller included) and the size below which jobs stay single-threaded. */
export function configureParallel(options: Partial<ParallelSettings>): void {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1) throw new Error(`configureParallel: threads must be a positive integer, got ${options.threads}`);
    settings.threads = options.threads;
  }
  if (options.minWork !== undefined) settings.minWork = options.minWork;
}

export function parallelSettings(): Readonly<ParallelSettings> {
  return { ...settings };
}

/** Threads a job of this much work would use (1 when it is too small to share). */
export function threadsFor(work: number, items: number): number {
  if (work < settings.minWork) return 1;
  return Math.max(1, Math.min(settings.threads, items));
}

/** A SharedArrayBuffer-backed copy of `a`, or `a` itself when it already is one (workers can then read it in place). */
export function shared<T extends Float64Array | Int32Array | Uint8Array | Uint32Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/**
 * The worker script: thread.ts and what it imports, bundled by esbuild into
 * one CommonJS script (once per process, a few tens of milliseconds), so a
 * worker starts in ~40 ms instead of loading a TypeScript loader (~0.5 s).
 * Without esbuild, workers load thread.ts through the caller's loader.
 */
let workerSource: string | null | undefined;

function bundledWorker(): string | null {
  if (workerSource !== undefined) return workerSource;
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./thread.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    workerSource = out.outputFiles[0].text;
  } catch {
    workerSource = null;
  }
  return workerSource;
}

function ensureWorkers(count: number): void {
  while (workers.length < count) {
    const { port1, port2 } = new MessageChannel();
    const options = { workerData: { errors: port2, ready }, transferList: [port2] };
    const source = bundledWorker();
    const worker = source
      ? new Worker(source, { ...options, eval: true, execArgv: [] })
      : new Worker(new URL('./thread.ts', import.meta.url), options);
    worker.unref();
    port1.unref();
    // A worker that dies outside a job (it cannot start) must not take the process with it.
    worker.on('error', (e) => { process.emitWarning(`edgeseg worker thread failed: ${(e as Error).message}`); });
    workers.push({ worker, errors: port1 });
  }
}

/**
 * Starts the pool's workers in the background (each takes ~0.1 s to load),
 * so that a parallel job soon after finds them ready: call it before reading
 * data. Does nothing when the pool is single-threaded.
 */
export function prestartWorkers(): void {
  if (settings.threads > 1) ensureWorkers(settings.threads - 1);
}

/** Starts `count` workers now and blocks until they listen for jobs (tests; a benchmark that wants start-up out of a timing). */
export function startWorkers(count: number, timeoutMs = 30_000): void {
  ensureWorkers(count);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = Atomics.load(ready, 0);
    if (n >= count) return;
    const left = until - Date.now();
    if (left <= 0) throw new Error(`worker threads did not start within ${timeoutMs} ms (${n} of ${count} ready)`);
    Atomics.wait(ready, 0, n, left);
  }
}

/** How many items worker threads have run so far in this process (the caller's own are not counted). */
export function workerItemCount(): number {
  return byWorkers;
}

/**
 * Runs items 0..items-1 of the task registered in ./tasks.ts as `task`, on
 * this thread (through `body`, the same function) and on up to threads−1
 * workers, and returns once every item is done. Returns the number of slots
 * that may have taken part (results of slots ≥ that number are never written).
 * `args` must hold only structured-cloneable values; typed arrays over
 * SharedArrayBuffers are shared, anything else is copied to each worker.
 */
export function runParallel<A>(task: string, body: TaskBody<A>, args: A, items: number, threads: number): number {
  const ctrl = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  ctrl[ITEMS] = items;
  const claim: ClaimItem = () => {
    const i = Atomics.add(ctrl, NEXT, 1);
    return i < items ? i : -1;
  };
  const helpers = Math.min(threads, items) - 1;
  if (helpers <= 0) {
    body(args, 0, claim);
    return 1;
  }
  ensureWorkers(helpers);
  for (let w = 0; w < helpers; w++) workers[w].worker.postMessage({ task, args, ctrl, slot: w + 1 });
  let ownError: unknown = null;
  try {
    body(args, 0, claim);
  } catch (e) {
    ownError = e;
    // Let the workers run out of items quickly.
    Atomics.store(ctrl, NEXT, items);
  }
  // Workers that joined before this point may still hold items; one that joins later finds none left.
  const joined = Atomics.load(ctrl, JOINED);
  for (;;) {
    const done = Atomics.load(ctrl, DONE);
    if (done >= joined) break;
    Atomics.wait(ctrl, DONE, done);
  }
  byWorkers += Atomics.load(ctrl, BY_WORKERS);
  if (ownError) throw ownError;
  if (Atomics.load(ctrl, FAILED)) {
    for (let w = 0; w < helpers; w++) {
      const msg = receiveMessageOnPort(workers[w].errors);
      if (msg) throw new Error(`worker thread ${w + 1} failed in ${task}: ${msg.message}`);
    }
    throw new Error(`a worker thread failed in ${task}`);
  }
  return helpers + 1;
}

/** Worker side: runs one job message with the task's body (called from thread.mjs). */
export function serveJob<A>(body: TaskBody<A>, msg: { args: A; ctrl: Int32Array; slot: number }, errors: MessagePort): void {
  const { ctrl, slot, args } = msg;
  const items = ctrl[ITEMS];
  // A job whose items are all taken already: nothing to join.
  if (Atomics.load(ctrl, NEXT) >= items) return;
  Atomics.add(ctrl, JOINED, 1);
  try {
    body(args, slot, () => {
      const i = Atomics.add(ctrl, NEXT, 1);
      if (i >= items) return -1;
      Atomics.add(ctrl, BY_WORKERS, 1);
      return i;
    });
  } catch (e) {
    errors.postMessage((e as Error)?.stack ?? String(e));
    Atomics.store(ctrl, FAILED, 1);
    Atomics.store(ctrl, NEXT, items);
  } finally {
    Atomics.add(ctrl, DONE, 1);
    Atomics.notify(ctrl, DONE);
  }
}
