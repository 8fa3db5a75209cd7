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
// A worker that dies while it holds items (out of memory, a crash,
// process.exit) fails the job at once, naming the task: the caller never waits
// for it. Starting, watching and replacing the workers is workers.ts's job.
import { availableParallelism } from 'node:os';
import type { MessagePort } from 'node:worker_threads';
import {
  deathCount,
  deathReason,
  ensureWorkers,
  postJob,
  signal,
  signalSeen,
  startWorkersNow,
  takeError,
  waitForSignal,
  workerDead,
} from './workers.ts';

/** Claims the next item number, or returns -1 when every item has been taken. */
export type ClaimItem = () => number;

/** Runs on every participating thread: claim items with `claim` until it returns -1. `slot` is 0 on the caller, 1.. on workers. */
export type TaskBody<A> = (args: A, slot: number, claim: ClaimItem) => void;

// Control words of a job (an Int32Array over a SharedArrayBuffer).
const NEXT = 0; // next unclaimed item
const FAILED = 1; // a worker threw
const ITEMS = 2; // how many items there are
const BY_WORKERS = 3; // items the workers claimed
const SLOTS = 4; // SLOTS + slot: whether that worker has joined the job, and finished it
const JOINED = 1;
const FINISHED = 2;

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
let byWorkers = 0;

/** Sets the thread count (the caller included) and the size below which jobs stay single-threaded. */
export function configureParallel(options: Partial<ParallelSettings>): void {
  if (options.threads !== undefined) {
    if (!Number.isInteger(options.threads) || options.threads < 1)
      throw new Error(`configureParallel: threads must be a positive integer, got ${options.threads}`);
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
 * Starts the pool's workers in the background (each takes ~0.1 s to load),
 * so that a parallel job soon after finds them ready: call it before reading
 * data. Does nothing when the pool is single-threaded.
 */
export function prestartWorkers(): void {
  if (settings.threads > 1) ensureWorkers(settings.threads - 1);
}

/** Starts `count` workers now and blocks until they listen for jobs (tests; a benchmark that wants start-up out of a timing). */
export function startWorkers(count: number, timeoutMs = 30_000): void {
  startWorkersNow(count, timeoutMs);
}

/** How many items worker threads have run so far in this process (the caller's own are not counted). */
export function workerItemCount(): number {
  return byWorkers;
}

/** Adds items that workers ran outside a pool job's own count (a crew's steps, ./crew.ts). */
export function countWorkerItems(items: number): void {
  byWorkers += items;
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
  const job = openJob(task, args, items, threads);
  let ownError: unknown = null;
  try {
    body(args, 0, job.claim);
  } catch (e) {
    ownError = e;
    // Let the workers run out of items quickly.
    job.stop();
  }
  job.finish(ownError);
  return job.helpers + 1;
}

/** A job posted to workers (openJob): this thread's claim, and the end of it. */
export interface OpenJob {
  /** Workers the job was posted to (0: it runs on this thread alone). */
  helpers: number;
  claim: ClaimItem;
  /** Lets no thread claim another item. */
  stop(): void;
  /** Slot of a worker that joined the job and has died since, or 0. */
  lost(): number;
  /** Blocks until every worker that joined is done; throws the caller's error, or why a worker failed or died. */
  finish(ownError?: unknown): void;
}

/**
 * Posts items 0..items-1 of `task` to up to threads−1 workers and returns at
 * once: the caller claims its own share (or none) and then calls finish().
 */
export function openJob<A>(task: string, args: A, items: number, threads: number): OpenJob {
  const helpers = Math.max(0, ensureWorkers(Math.min(threads, items) - 1));
  const ctrl = new Int32Array(new SharedArrayBuffer((SLOTS + 1 + helpers) * 4));
  ctrl[ITEMS] = items;
  let deaths = deathCount();
  const lost = () => (helpers > 0 ? scanSlots(ctrl, helpers).lost : 0);
  const stop = () => Atomics.store(ctrl, NEXT, items);
  const claim: ClaimItem = () => {
    // A worker died since the last look: if it was in this job, its items are lost, so take no more.
    if (helpers > 0 && deathCount() !== deaths) {
      deaths = deathCount();
      if (lost() > 0) stop();
    }
    const i = Atomics.add(ctrl, NEXT, 1);
    return i < items ? i : -1;
  };
  for (let w = 0; w < helpers; w++) postJob(w, { task, args, ctrl, slot: w + 1 });
  const finish = (ownError?: unknown) => {
    if (helpers === 0) {
      if (ownError) throw ownError;
      return;
    }
    // Workers that joined before this point may still hold items; one that joins later finds none left.
    const died = awaitWorkers(ctrl, helpers);
    byWorkers += Atomics.load(ctrl, BY_WORKERS);
    if (ownError) throw ownError;
    if (died > 0)
      throw new Error(
        `worker thread ${died} died during ${task}, with items of it unfinished: ${deathReason(died - 1)}`,
      );
    if (Atomics.load(ctrl, FAILED)) {
      for (let w = 0; w < helpers; w++) {
        const message = takeError(w);
        if (message) throw new Error(`worker thread ${w + 1} failed in ${task}: ${message}`);
      }
      throw new Error(`a worker thread failed in ${task}`);
    }
  };
  return { helpers, claim, stop, lost, finish };
}

/**
 * Blocks until no worker that joined the job is still at it: each has
 * finished or died. Returns the slot of one that died in it, or 0. Once one
 * has died (or the caller's share threw: all items are then claimed), the
 * others run out of items at once.
 */
function awaitWorkers(ctrl: Int32Array, helpers: number): number {
  for (;;) {
    const seen = signalSeen();
    const { running, lost } = scanSlots(ctrl, helpers);
    if (lost > 0) Atomics.store(ctrl, NEXT, ctrl[ITEMS]);
    if (running === 0) return lost;
    waitForSignal(seen);
  }
}

/** Workers still at the job, and the first slot (or 0) whose worker died in it. */
function scanSlots(ctrl: Int32Array, helpers: number): { running: number; lost: number } {
  let running = 0;
  let lost = 0;
  for (let slot = 1; slot <= helpers; slot++) {
    if (Atomics.load(ctrl, SLOTS + slot) !== JOINED) continue;
    if (workerDead(slot - 1)) lost ||= slot;
    else running++;
  }
  return { running, lost };
}

/** Worker side: runs one job message with the task's body (called from thread.ts); `state` is the pool's shared state. */
export function serveJob<A>(
  body: TaskBody<A>,
  msg: { args: A; ctrl: Int32Array; slot: number },
  errors: MessagePort,
  state: Int32Array,
): void {
  const { ctrl, slot, args } = msg;
  const items = ctrl[ITEMS];
  // A job whose items are all taken already: nothing to join.
  if (Atomics.load(ctrl, NEXT) >= items) return;
  // Joined before the first claim, so that the caller, seeing an item taken, waits for this worker.
  Atomics.store(ctrl, SLOTS + slot, JOINED);
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
    Atomics.store(ctrl, SLOTS + slot, FINISHED);
    signal(state);
  }
}
