// The kernels that share work with worker threads give exactly what one
// thread gives: the same labels, centroids and inertia, bit for bit.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fitKMeans } from '../../trainer/estimators/kmeans/restarts.ts';
import { silhouette } from '../../trainer/estimators/quality.ts';
import type { Matrix } from '../../trainer/estimators/matrix.ts';
import {
  configureParallel,
  parallelSettings,
  runParallel,
  startWorkers,
  workerItemCount,
} from '../../trainer/parallel/pool.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

const initial = parallelSettings();
afterEach(() => configureParallel(initial));
// Started up front, so that the jobs below are shared from their first item.
beforeAll(() => startWorkers(2));

/** Overlapping Gaussian blobs: restarts end in different local optima, so picking the best matters. */
function blobs(n: number, d: number, centres: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const means = Array.from({ length: centres * d }, () => rng.normal() * 3);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = rng.int(centres);
    for (let j = 0; j < d; j++) data[i * d + j] = means[c * d + j] + rng.normal();
  }
  return { data, n, d };
}

/** Runs `f` with the given thread count, every job large enough to share. */
function withThreads<T>(threads: number, f: () => T): T {
  configureParallel({ threads, minWork: 0 });
  return f();
}

describe('k-means restarts on worker threads', () => {
  it('gives the single-threaded fit exactly', () => {
    const X = blobs(6000, 5, 7, 3);
    for (const k of [3, 6]) {
      const one = withThreads(1, () => fitKMeans(X, { k, restarts: 8, seed: 11 }));
      const before = workerItemCount();
      const two = withThreads(2, () => fitKMeans(X, { k, restarts: 8, seed: 11 }));
      const three = withThreads(3, () => fitKMeans(X, { k, restarts: 8, seed: 11 }));
      expect(workerItemCount()).toBeGreaterThan(before);
      for (const other of [two, three]) {
        expect(other.inertia).toBe(one.inertia);
        expect(other.iterations).toBe(one.iterations);
        expect(other.centroids).toEqual(one.centroids);
        expect(other.labels).toEqual(one.labels);
      }
    }
  });

  it('keeps the lowest restart number among equally good restarts, as one thread does', () => {
    // Four well-separated points and k = 4: every restart finds the same zero-inertia partition.
    const X: Matrix = { data: Float64Array.from([0, 0, 10, 0, 0, 10, 10, 10]), n: 4, d: 2 };
    const one = withThreads(1, () => fitKMeans(X, { k: 4, restarts: 6, seed: 5 }));
    const two = withThreads(2, () => fitKMeans(X, { k: 4, restarts: 6, seed: 5 }));
    expect(two).toEqual(one);
    expect(one.inertia).toBe(0);
  });
});

describe('silhouette on worker threads', () => {
  it('gives the single-threaded score exactly, exact and sampled', () => {
    const X = blobs(3000, 4, 5, 8);
    const { labels } = withThreads(1, () => fitKMeans(X, { k: 5, restarts: 2, seed: 1 }));
    const before = workerItemCount();
    for (const sample of [3000, 1200]) {
      const one = withThreads(1, () => silhouette(X, labels, 5, { sample, seed: 4 }));
      const two = withThreads(2, () => silhouette(X, labels, 5, { sample, seed: 4 }));
      expect(two).toBe(one);
    }
    expect(workerItemCount()).toBeGreaterThan(before);
  });
});

describe('runParallel', () => {
  it('reports a worker thread that fails, with the task name, instead of hanging', () => {
    configureParallel({ threads: 2, minWork: 0 });
    // No worker knows this task, so the worker that joins fails; the caller holds each item
    // for a few milliseconds so that a worker has time to join.
    const run = () =>
      runParallel(
        'no-such-task',
        (_a: object, _slot, claim) => {
          for (let i = claim(); i >= 0; i = claim()) {
            const until = Date.now() + 5;
            while (Date.now() < until) {
              /* hold the item */
            }
          }
        },
        {},
        2000,
        2,
      );
    expect(run).toThrow(/no-such-task/);
  });
});
