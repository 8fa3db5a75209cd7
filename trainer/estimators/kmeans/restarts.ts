// k-means as scikit-learn's KMeans does it — greedy k-means++ seeding, Lloyd
// iterations, tolerance on the centre shift scaled by the data's variance,
// best of several restarts — but with Hamerly's bounds so that, once the
// centres settle, most points are not compared with every centre, and with
// the restarts shared between threads (each restart is computed the same way
// on any thread, so the result does not depend on how many there are).
// This file is the driver: the restarts, their thread task and the choice of
// the best; the seeding is in init.ts, the iterations in lloyd.ts.
import { Rng } from '../rng.ts';
import { runParallel, shared, sharedFloat64, sharedInt32, threadsFor } from '../../parallel/pool.ts';
import { type Matrix, canonicalise, meanColumnVariance, takeRows } from '../matrix.ts';
import { checkK, kmeansPlusPlus } from './init.ts';
import { type KMeansAlgorithm, type KMeansFit, boundSlack, newState, refineWith } from './lloyd.ts';

export interface KMeansOptions {
  k: number;
  /** Independent k-means++ starts; the lowest inertia wins (scikit-learn's n_init). */
  restarts?: number;
  seed?: number;
  maxIter?: number;
  /** Relative to the mean column variance, compared with the summed squared centre shift. */
  tol?: number;
  /** 'hamerly' (default) and 'lloyd' give the same labels and centres; 'lloyd' is the plain reference. */
  algorithm?: KMeansAlgorithm;
}

/** From this many rows on, k-means++ runs on a sample: seeding costs O(n·k·trials) per restart. */
export const LARGE_N = 40_000;
export const INIT_SAMPLE = 20_000;

export function fitKMeans(X: Matrix, options: KMeansOptions): KMeansFit {
  const { k, restarts = 10, seed = 0, maxIter = 300, tol = 1e-4, algorithm = 'hamerly' } = options;
  const { n, d } = X;
  checkK(k, n);
  if (!Number.isInteger(restarts) || restarts < 1)
    throw new Error(`fitKMeans: restarts must be a positive integer, got ${restarts}`);
  if (!Number.isInteger(maxIter) || maxIter < 1)
    throw new Error(`fitKMeans: maxIter must be a positive integer, got ${maxIter}`);
  if (X.data.length !== n * d) throw new Error(`fitKMeans: ${X.data.length} values do not make a ${n}×${d} matrix`);

  const rng = new Rng(seed);
  const tolScaled = tol * meanColumnVariance(X);
  const slack = boundSlack(X);
  // One sample for all restarts: drawing it is O(n), the restarts still differ in their seeding draws.
  const seedingRows = n >= LARGE_N ? takeRows(X, rng.sample(n, INIT_SAMPLE)) : X;

  // Each restart gets its own generator (as scikit-learn draws a seed per
  // init), so restarts can run in any order and on any thread.
  const restartSeeds = Uint32Array.from({ length: restarts }, () => rng.u32());
  // A Lloyd pass costs about n·k·d; a restart takes a few passes.
  const threads = threadsFor(4 * n * k * d * restarts, restarts);
  const share = <T extends Float64Array>(a: T) => (threads > 1 ? shared(a) : a);
  const data = share(X.data);
  const args: RestartsArgs = {
    data,
    n,
    d,
    seeding: seedingRows === X ? data : share(seedingRows.data),
    seedingN: seedingRows.n,
    k,
    maxIter,
    tolScaled,
    algorithm,
    slack,
    seeds: restartSeeds,
    inertia: sharedFloat64(threads),
    restart: sharedInt32(threads).fill(-1),
    iterations: sharedInt32(threads),
    centroids: sharedFloat64(threads * k * d),
    labels: threads > 1 ? sharedInt32(threads * n) : new Int32Array(n),
  };
  const slots = runParallel('kmeans-restarts', runRestarts, args, restarts, threads);
  // The best restart of each thread, then the best of those: lowest inertia, then lowest restart number,
  // which is the restart a single thread running them in order keeps.
  let best = -1;
  for (let t = 0; t < slots; t++) {
    if (args.restart[t] < 0) continue;
    if (
      best < 0 ||
      args.inertia[t] < args.inertia[best] ||
      (args.inertia[t] === args.inertia[best] && args.restart[t] < args.restart[best])
    )
      best = t;
  }
  const canon = canonicalise(
    args.labels.subarray(best * n, best * n + n),
    args.centroids.subarray(best * k * d, (best + 1) * k * d),
    k,
    d,
  );
  return {
    centroids: canon.centroids,
    labels: canon.labels,
    inertia: args.inertia[best],
    iterations: args.iterations[best],
  };
}

export interface RestartsArgs {
  data: Float64Array;
  n: number;
  d: number;
  /** Rows k-means++ draws from (a sample of the data on large inputs). */
  seeding: Float64Array;
  seedingN: number;
  k: number;
  maxIter: number;
  tolScaled: number;
  algorithm: KMeansAlgorithm;
  slack: number;
  seeds: Uint32Array;
  /** Per thread slot: its best restart's inertia, number (-1: it ran none), iterations, centroids and labels. */
  inertia: Float64Array;
  restart: Int32Array;
  iterations: Int32Array;
  centroids: Float64Array;
  labels: Int32Array;
}

/** The restarts one thread claims: seeds, refines, and keeps the best (lowest inertia, then restart number) in its slot. */
export function runRestarts(a: RestartsArgs, slot: number, claim: () => number): void {
  const X: Matrix = { data: a.data, n: a.n, d: a.d };
  const seeding: Matrix = { data: a.seeding, n: a.seedingN, d: a.d };
  const { k, n, d } = a;
  const scratch = newState(X, new Float64Array(k * d), k);
  let bestInertia = Infinity;
  let bestRestart = -1;
  for (let r = claim(); r >= 0; r = claim()) {
    const init = kmeansPlusPlus(seeding, k, new Rng(a.seeds[r]));
    const fit = refineWith(
      X,
      init,
      { k, maxIter: a.maxIter, tolScaled: a.tolScaled, algorithm: a.algorithm, slack: a.slack },
      scratch,
    );
    if (bestRestart < 0 || fit.inertia < bestInertia || (fit.inertia === bestInertia && r < bestRestart)) {
      bestInertia = fit.inertia;
      bestRestart = r;
      a.inertia[slot] = fit.inertia;
      a.restart[slot] = r;
      a.iterations[slot] = fit.iterations;
      a.centroids.set(fit.centroids, slot * k * d);
      a.labels.set(fit.labels, slot * n);
    }
  }
}
