// A crew: the pool's workers held on one job for a run of many short steps
// (a boosted fit posts thousands: a node's partition, its histogram, the
// gradient pass), so that handing out a step costs a few stores to shared
// memory instead of a message (~40 µs from post to a worker's first item).
//
// The crew is one pool job (pool.ts openJob) whose workers loop: wait for the
// step number to change (spinning a while before they sleep), join, claim the
// step's items from a shared counter, run them with the crew's body, leave.
// The caller runs each step too, claiming from the same counter, so a step
// never waits for a worker that has not joined (still starting, asleep, busy
// elsewhere); it waits only for items already claimed. Every item is computed
// the same way on whichever thread claims it, as in any pool job.
//
// A step's numbers travel in `params`. The caller rewrites them only when no
// worker is inside a step: a step is shut once all its items are done, and
// the next opens once every worker that joined has left (JOINERS is 0).
import { countWorkerItems, type OpenJob, openJob, type TaskBody } from './pool.ts';
import { deathCount } from './workers.ts';

/** Runs item `item` of step `op` with the step's numbers `params`, on whichever thread claims it. */
export type CrewBody<A> = (args: A, op: number, params: Int32Array, item: number) => void;

// Words of the crew's control array.
const SEQ = 0; // the current step's number, bumped to open each step
const STATE = 1;
const OP = 2;
const ITEMS = 3;
const NEXT = 4; // next unclaimed item of the step
const DONE = 5; // items of the step finished
const JOINERS = 6; // workers inside a step
const SLEEPERS = 7; // workers waiting in Atomics.wait for the next step
const FAILED = 8; // a worker's item threw
const CALLER_WAITS = 9; // the caller sleeps on DONE or JOINERS: notify it
const BY_WORKERS = 10; // items the workers ran, over all steps
const PARAMS = 16;
/** Numbers a step can carry. */
export const CREW_PARAMS = 16;

const SHUT = 0;
const OPEN = 1;
const ENDED = 2;

/** Polls before the caller, waiting for a worker's items, sleeps: ~20 µs. */
const CALLER_SPINS = 4096;
/**
 * Polls of the step number before a waiting worker sleeps: ~9 µs, longer
 * than most gaps between a fit's steps. Polling longer took a core from the
 * rest of a busy host: with 65k polls (~0.3 ms) a 1M-row fit ran 15% slower
 * than on the old pool while other processes loaded both cores.
 */
const SPINS = 1 << 11;

export interface Crew {
  /** Workers the crew was posted to (0: every step runs on the caller). */
  readonly helpers: number;
  /** The next step's numbers: write them, then call run. */
  readonly params: Int32Array;
  /** Runs items 0..items-1 of step `op` on this thread and the crew's; returns once all are done. */
  run(op: number, items: number): void;
  /** Lets the workers go; throws if one failed or died during the crew's last steps. */
  close(): void;
}

/** The worker side of a crew task (register it in tasks.ts under the crew's task name). */
export function crewTask<A>(body: CrewBody<A>): TaskBody<{ crew: Int32Array; args: A }> {
  return ({ crew, args }, _slot, claim) => {
    // One item per worker: its seat. A worker that comes after the crew has ended takes none.
    if (claim() < 0) return;
    serve(crew, args, body);
  };
}

function serve<A>(c: Int32Array, args: A, body: CrewBody<A>): void {
  const params = c.subarray(PARAMS, PARAMS + CREW_PARAMS);
  let seen = -1;
  for (;;) {
    let spins = 0;
    while (Atomics.load(c, SEQ) === seen) {
      if (++spins < SPINS) continue;
      Atomics.add(c, SLEEPERS, 1);
      Atomics.wait(c, SEQ, seen);
      Atomics.sub(c, SLEEPERS, 1);
      spins = 0;
    }
    Atomics.add(c, JOINERS, 1);
    // While this worker is counted in JOINERS, the caller does not open another step.
    const seq = Atomics.load(c, SEQ);
    const state = Atomics.load(c, STATE);
    if (state === ENDED) {
      leave(c);
      return;
    }
    if (state === OPEN) {
      const op = c[OP];
      const items = c[ITEMS];
      try {
        for (let i = Atomics.add(c, NEXT, 1); i < items; i = Atomics.add(c, NEXT, 1)) {
          body(args, op, params, i);
          Atomics.add(c, BY_WORKERS, 1);
          Atomics.add(c, DONE, 1);
          if (Atomics.load(c, CALLER_WAITS) === 1) Atomics.notify(c, DONE);
        }
      } catch (e) {
        Atomics.store(c, FAILED, 1);
        leave(c);
        throw e;
      }
      seen = seq;
    }
    leave(c);
  }
}

function leave(c: Int32Array): void {
  Atomics.sub(c, JOINERS, 1);
  if (Atomics.load(c, CALLER_WAITS) === 1) Atomics.notify(c, JOINERS);
}

/**
 * Opens a crew of up to threads−1 workers on `task` (registered with
 * crewTask(body)); `args` goes to each worker once. With threads < 2 every
 * step runs on the caller alone.
 */
export function openCrew<A>(task: string, body: CrewBody<A>, args: A, threads: number): Crew {
  const c = new Int32Array(new SharedArrayBuffer((PARAMS + CREW_PARAMS) * 4));
  const params = c.subarray(PARAMS, PARAMS + CREW_PARAMS);
  // A seat per thread (openJob leaves one for the caller, which takes none: it runs the steps).
  const job: OpenJob | null = threads > 1 ? openJob(task, { crew: c, args }, threads, threads) : null;
  const helpers = job?.helpers ?? 0;
  let deaths = deathCount();
  let seq = 0;
  /** Throws, ending the crew, when a worker failed or one that joined the job died. */
  const check = () => {
    const failed = Atomics.load(c, FAILED) === 1;
    if (!failed && deathCount() === deaths) return;
    deaths = deathCount();
    if (!failed && job!.lost() === 0) return;
    // finish() throws the worker's own error, or that it died, with its reason.
    end();
    throw new Error(`a worker thread stopped in the middle of ${task}`);
  };
  /**
   * Waits for a worker: spinning first (a worker's item usually ends within
   * microseconds), then asleep until it notifies, so that on a busy host the
   * core goes to the worker this thread waits for.
   */
  const wait = (word: number, until: (v: number) => boolean) => {
    for (let spins = 1; spins < CALLER_SPINS; spins++) if (until(Atomics.load(c, word))) return;
    for (;;) {
      check();
      Atomics.store(c, CALLER_WAITS, 1);
      const v = Atomics.load(c, word);
      if (until(v)) break;
      Atomics.wait(c, word, v, 1);
    }
    Atomics.store(c, CALLER_WAITS, 0);
  };
  let ended = false;
  const end = (error?: unknown) => {
    if (ended) return;
    ended = true;
    Atomics.store(c, STATE, ENDED);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
    job?.stop();
    countWorkerItems(Atomics.load(c, BY_WORKERS));
    // finish throws why a worker failed or died; a caller's own error comes first.
    job?.finish(error);
    if (error) throw error;
  };
  return {
    helpers,
    params,
    run(op, items) {
      if (ended) throw new Error(`${task}: a step after the crew has ended`);
      if (helpers === 0) {
        for (let i = 0; i < items; i++) body(args, op, params, i);
        return;
      }
      c[OP] = op;
      c[ITEMS] = items;
      Atomics.store(c, NEXT, 0);
      Atomics.store(c, DONE, 0);
      Atomics.store(c, SEQ, ++seq);
      Atomics.store(c, STATE, OPEN);
      if (Atomics.load(c, SLEEPERS) > 0) Atomics.notify(c, SEQ);
      try {
        for (let i = Atomics.add(c, NEXT, 1); i < items; i = Atomics.add(c, NEXT, 1)) {
          body(args, op, params, i);
          Atomics.add(c, DONE, 1);
        }
      } catch (e) {
        Atomics.store(c, NEXT, items);
        end(e);
      }
      wait(DONE, (done) => done >= items);
      Atomics.store(c, STATE, SHUT);
      wait(JOINERS, (joiners) => joiners === 0);
    },
    close() {
      end();
    },
  };
}
