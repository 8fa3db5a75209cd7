// Greedy k-means++ seeding, as scikit-learn's _kmeans_plusplus draws it: the
// starting centres of one k-means restart (restarts.ts), to be refined by
// Lloyd's iterations (lloyd.ts).
import { distancesTo, sqDist } from '../../../model/index.ts';
import type { Matrix } from '../matrix.ts';
import type { Rng } from '../rng.ts';

/** Every k-means entry point takes 1 ≤ k ≤ n. */
export function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  if (k > n) throw new Error(`k=${k} is more than the ${n} rows`);
}

/**
 * Greedy k-means++ (scikit-learn's _kmeans_plusplus): each new centre is the
 * best, by resulting potential, of 2 + ⌊ln k⌋ candidates drawn with probability
 * proportional to the squared distance to the nearest centre so far.
 */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Rng): Float64Array {
  const { data, n, d } = X;
  checkK(k, n);
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  let closest = new Float64Array(n);
  // Row t: each point's squared distance to its nearest centre if candidate t were added.
  const trial = new Float64Array(trials * n);
  const candidates = new Float64Array(trials * d);
  const dist = new Float64Array(trials);
  const pots = new Float64Array(trials);
  const cumsum = new Float64Array(n);

  const first = rng.int(n);
  centres.set(data.subarray(first * d, first * d + d), 0);
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * d, data, first * d, d);

  const ids = new Int32Array(trials);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += closest[i];
      cumsum[i] = total;
    }
    // The candidates are all drawn before any is measured (the draws do not depend on the measurements),
    // so one pass over the points measures every candidate.
    for (let t = 0; t < trials; t++) {
      // All points already coincide with a centre: any choice is as good.
      ids[t] = total > 0 ? upperBound(cumsum, rng.next() * total) : rng.int(n);
      candidates.set(data.subarray(ids[t] * d, ids[t] * d + d), t * d);
    }
    pots.fill(0);
    for (let i = 0; i < n; i++) {
      distancesTo(data, i * d, candidates, 0, trials, d, dist);
      const ci = closest[i];
      for (let t = 0; t < trials; t++) {
        const v = dist[t] < ci ? dist[t] : ci;
        trial[t * n + i] = v;
        pots[t] += v;
      }
    }
    let bestId = -1;
    let bestPot = Infinity;
    let bestT = 0;
    for (let t = 0; t < trials; t++) {
      if (pots[t] < bestPot) {
        bestPot = pots[t];
        bestId = ids[t];
        bestT = t;
      }
    }
    centres.set(data.subarray(bestId * d, bestId * d + d), c * d);
    closest = trial.slice(bestT * n, bestT * n + n);
  }
  return centres;
}

/** First index whose cumulative weight exceeds r, so zero-weight points (existing centres) are never drawn. */
function upperBound(cumsum: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumsum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumsum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
