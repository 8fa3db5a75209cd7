// A worker thread that dies in the middle of a job fails the job at once,
// naming the task and why; the caller never waits for it, and the pool
// replaces the worker for the next job.
import { afterEach, describe, expect, it } from 'vitest';
import { fitKMeans } from '../../trainer/estimators/kmeans/restarts.ts';
import type { Matrix } from '../../trainer/estimators/matrix.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import {
  configureParallel,
  parallelSettings,
  runParallel,
  startWorkers,
  workerItemCount,
} from '../../trainer/parallel/pool.ts';

const initial = parallelSettings();
afterEach(() => configureParallel(initial));

/** The caller's share of a job: hold each item a few milliseconds, so that a worker has time to join and take one. */
function slowItems(_args: object, _slot: number, claim: () => number): void {
  for (let i = claim(); i >= 0; i = claim()) {
    const until = Date.now() + 5;
    while (Date.now() < until) {
      /* hold the item */
    }
  }
}

describe('a worker thread that dies mid-job', () => {
  it('fails the call promptly, with the task and the reason', () => {
    configureParallel({ threads: 2, minWork: 0 });
    startWorkers(1);
    const started = Date.now();
    // 2,000 items of 5 ms: ten seconds if the caller went on alone, forever if it waited for the dead worker.
    expect(() => runParallel('test:exit-mid-job', slowItems, { code: 7 }, 2000, 2)).toThrow(
      'worker thread 1 died during test:exit-mid-job, with items of it unfinished: the thread exited with code 7',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('is replaced, and the next job is shared and exact again', () => {
    configureParallel({ threads: 2, minWork: 0 });
    startWorkers(1);
    expect(() => runParallel('test:exit-mid-job', slowItems, { code: 3 }, 2000, 2)).toThrow(/exited with code 3/);
    startWorkers(1);
    const rng = new Rng(2);
    const X: Matrix = { data: Float64Array.from({ length: 3000 * 4 }, () => rng.normal()), n: 3000, d: 4 };
    configureParallel({ threads: 1 });
    const one = fitKMeans(X, { k: 4, restarts: 8, seed: 9 });
    configureParallel({ threads: 2 });
    const before = workerItemCount();
    const two = fitKMeans(X, { k: 4, restarts: 8, seed: 9 });
    expect(workerItemCount()).toBeGreaterThan(before);
    expect(two).toEqual(one);
  });
});
