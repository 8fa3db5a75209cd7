// Cluster quality scores, defined as scikit-learn defines them, so the
// figures we report can be compared with its silhouette_score,
// davies_bouldin_score, calinski_harabasz_score and adjusted_rand_score.
import { Rng } from './rng.ts';
import { runParallel, sharedFloat64, sharedInt32, threadsFor } from '../parallel/pool.ts';
import { type Matrix, takeRows } from './matrix.ts';
import { distancesTo, sqDist } from '../../model/index.ts';

export interface SilhouetteOptions {
  /** Above this many rows the score is computed on a stratified sample of this size (default 4,000). */
  sample?: number;
  seed?: number;
}

/**
 * Mean silhouette coefficient with Euclidean distance. Exact (O(n²·d)) when
 * n ≤ sample; otherwise exact on a seeded sample drawn from each cluster in
 * proportion to its size, so small segments are still represented.
 * A point alone in its cluster scores 0, as in scikit-learn.
 */
export function silhouette(X: Matrix, labels: Int32Array, k: number, options: SilhouetteOptions = {}): number {
  return meanOf(silhouetteSamples(X, labels, k, options));
}

/** The mean, summed in order (the silhouette's figures depend on that order to the last bit). */
export function meanOf(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total / values.length;
}

/** Each row's silhouette (on the same stratified sample as `silhouette` above `sample` rows): its mean is the silhouette. */
export function silhouetteSamples(
  X: Matrix,
  labels: Int32Array,
  k: number,
  options: SilhouetteOptions = {},
): Float64Array {
  const { sample = 4000, seed = 0 } = options;
  checkLabels(labels, X.n, k);
  if (X.n <= sample) return silhouetteExact(X, labels, k);
  const idx = stratifiedSample(labels, k, sample, new Rng(seed));
  const sub = takeRows(X, idx);
  const subLabels = new Int32Array(idx.length);
  for (let r = 0; r < idx.length; r++) subLabels[r] = labels[idx[r]];
  return silhouetteExact(sub, subLabels, k);
}

/**
 * Bootstrap standard error of the mean of `values`: the standard deviation of
 * the means of `resamples` seeded resamples with replacement.
 */
export function bootstrapMeanSE(values: Float64Array, resamples: number, seed: number): number {
  const n = values.length;
  if (n < 2 || resamples < 2) return 0;
  const rng = new Rng(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += values[rng.int(n)];
    means[b] = total / n;
  }
  const mean = meanOf(means);
  let ss = 0;
  for (const m of means) ss += (m - mean) ** 2;
  return Math.sqrt(ss / (resamples - 1));
}

/** Row blocks the pair loop is cut into (the unit of work a thread claims). */
const SILHOUETTE_BLOCKS = 16;

function silhouetteExact(X: Matrix, labels: Int32Array, k: number): Float64Array {
  const { n, d } = X;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  let used = 0;
  for (let c = 0; c < k; c++) if (sizes[c] > 0) used++;
  if (used < 2) throw new Error(`silhouette needs at least 2 non-empty clusters, got ${used}`);

  // Rows grouped by cluster (counting sort, stable), so the pair loop walks one
  // cluster's rows at a time and sums each run in a register.
  const runStart = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) runStart[c + 1] = runStart[c] + sizes[c];
  const order = new Int32Array(n);
  const fill = runStart.slice(0, k);
  for (let i = 0; i < n; i++) order[fill[labels[i]]++] = i;
  const blocks = Math.min(SILHOUETTE_BLOCKS, n);
  // Blocks of rows with about the same number of pairs (row r pairs with the n−1−r rows after it).
  const blockStart = new Int32Array(blocks + 1);
  const pairs = (n * (n - 1)) / 2;
  for (let b = 1, r = 0, acc = 0; b < blocks; b++) {
    while (r < n && acc < (pairs * b) / blocks) acc += n - 1 - r++;
    blockStart[b] = r;
  }
  blockStart[blocks] = n;

  const threads = threadsFor((pairs * d) / 2, blocks);
  const alloc = threads > 1 ? sharedFloat64 : (m: number) => new Float64Array(m);
  const grouped = alloc(n * d);
  const groupedLabels = threads > 1 ? sharedInt32(n) : new Int32Array(n);
  for (let r = 0; r < n; r++) {
    grouped.set(X.data.subarray(order[r] * d, order[r] * d + d), r * d);
    groupedLabels[r] = labels[order[r]];
  }
  const args: SilhouetteArgs = {
    data: grouped,
    labels: groupedLabels,
    n,
    d,
    k,
    runStart,
    blockStart,
    parts: alloc(blocks * n * k),
  };
  runParallel('silhouette-blocks', silhouetteBlocks, args, blocks, threads);

  // Each pair was measured once, in one block; the blocks' sums are added in block order, whatever thread ran them.
  const { parts } = args;
  const sums = new Float64Array(n * k);
  for (let b = 0; b < blocks; b++) {
    const o = b * n * k;
    for (let e = 0; e < n * k; e++) sums[e] += parts[o + e];
  }
  const score = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const li = groupedLabels[r];
    if (sizes[li] < 2) continue;
    const a = sums[r * k + li] / (sizes[li] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === li || sizes[c] === 0) continue;
      const mean = sums[r * k + c] / sizes[c];
      if (mean < b) b = mean;
    }
    const m = a > b ? a : b;
    if (m > 0) score[order[r]] = (b - a) / m;
  }
  return score;
}

export interface SilhouetteArgs {
  /** Rows grouped by cluster, and their labels. */
  data: Float64Array;
  labels: Int32Array;
  n: number;
  d: number;
  k: number;
  /** Cluster c's rows are runStart[c]..runStart[c+1]. */
  runStart: Int32Array;
  blockStart: Int32Array;
  /** Per block, n × k: summed distance from each row to each cluster over the block's pairs. */
  parts: Float64Array;
}

/**
 * The pairs (r, s > r) of the row blocks a thread claims, each distance credited to both ends in the block's own sums.
 * Four pairs are measured side by side; the order of every sum is fixed by the block, not by the thread.
 */
export function silhouetteBlocks(a: SilhouetteArgs, _slot: number, claim: () => number): void {
  const { data, labels, n, d, k, runStart, blockStart, parts } = a;
  const q = new Float64Array(n);
  for (let b = claim(); b >= 0; b = claim()) {
    const o = b * n * k;
    for (let r = blockStart[b]; r < blockStart[b + 1]; r++) {
      const br = r * d;
      const lr = labels[r];
      const rowSums = o + r * k;
      for (let c = 0; c < k; c++) {
        let s = r + 1 > runStart[c] ? r + 1 : runStart[c];
        const end = runStart[c + 1];
        if (s >= end) continue;
        // The run's squared distances side by side into this call's scratch, then their roots summed in order.
        distancesTo(data, br, data, s * d, end - s, d, q);
        let acc = 0;
        for (let t = 0; s < end; s++, t++) {
          const dist = Math.sqrt(q[t]);
          acc += dist;
          parts[o + s * k + lr] += dist;
        }
        parts[rowSums + c] += acc;
      }
    }
  }
}

/**
 * About `size` row indices (sorted), each cluster contributing in proportion
 * to its size (largest remainders fill the rounding gap) but at least
 * min(size of cluster, 2) so every cluster gets a within-cluster distance.
 */
export function stratifiedSample(labels: Int32Array, k: number, size: number, rng: Rng): Uint32Array {
  const n = labels.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  const quota = new Int32Array(k);
  const remainder: { c: number; r: number }[] = [];
  let given = 0;
  for (let c = 0; c < k; c++) {
    const exact = (size * sizes[c]) / n;
    quota[c] = Math.floor(exact);
    given += quota[c];
    remainder.push({ c, r: exact - quota[c] });
  }
  remainder.sort((a, b) => b.r - a.r || a.c - b.c);
  for (let t = 0; given < size && t < k; t++, given++) quota[remainder[t].c]++;
  for (let c = 0; c < k; c++) quota[c] = Math.min(sizes[c], Math.max(quota[c], Math.min(sizes[c], 2)));

  // Row indices grouped by cluster (counting sort keeps them increasing within a group).
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c] + sizes[c];
  const byCluster = new Uint32Array(n);
  const fill = start.slice(0, k);
  for (let i = 0; i < n; i++) byCluster[fill[labels[i]]++] = i;

  let total = 0;
  for (let c = 0; c < k; c++) total += quota[c];
  const out = new Uint32Array(total);
  let o = 0;
  for (let c = 0; c < k; c++) {
    const picks = rng.sample(sizes[c], quota[c]);
    for (let t = 0; t < picks.length; t++) out[o++] = byCluster[start[c] + picks[t]];
  }
  return out.sort();
}

/**
 * Davies–Bouldin index (lower is better): for each cluster, the worst ratio of
 * summed mean centroid distances to the distance between the centroids.
 * Empty clusters are left out; coincident centroids contribute 0 (scikit-learn).
 */
export function daviesBouldin(X: Matrix, labels: Int32Array, centroids: Float64Array, k: number): number {
  const { data, n, d } = X;
  checkLabels(labels, n, k);
  const sizes = new Float64Array(k);
  const scatter = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    sizes[c]++;
    scatter[c] += Math.sqrt(sqDist(data, i * d, centroids, c * d, d));
  }
  let used = 0;
  let total = 0;
  for (let a = 0; a < k; a++) {
    if (sizes[a] === 0) continue;
    used++;
    const sa = scatter[a] / sizes[a];
    let worst = 0;
    for (let b = 0; b < k; b++) {
      if (b === a || sizes[b] === 0) continue;
      const gap = Math.sqrt(sqDist(centroids, a * d, centroids, b * d, d));
      if (gap === 0) continue;
      const r = (sa + scatter[b] / sizes[b]) / gap;
      if (r > worst) worst = r;
    }
    total += worst;
  }
  if (used < 2) throw new Error(`daviesBouldin needs at least 2 non-empty clusters, got ${used}`);
  return total / used;
}

/**
 * Calinski–Harabasz index (higher is better): between-cluster over
 * within-cluster dispersion, each divided by its degrees of freedom.
 * Returns 1 when every point sits on its centroid (scikit-learn's convention).
 */
export function calinskiHarabasz(X: Matrix, labels: Int32Array, centroids: Float64Array, k: number): number {
  const { data, n, d } = X;
  checkLabels(labels, n, k);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const sizes = new Float64Array(k);
  let within = 0;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    sizes[c]++;
    within += sqDist(data, i * d, centroids, c * d, d);
  }
  let between = 0;
  let used = 0;
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    used++;
    between += sizes[c] * sqDist(centroids, c * d, mean, 0, d);
  }
  if (used < 2) throw new Error(`calinskiHarabasz needs at least 2 non-empty clusters, got ${used}`);
  if (within === 0) return 1;
  return (between * (n - used)) / (within * (used - 1));
}

/**
 * Adjusted Rand index between two labelings of the same points: 1 for the
 * same partition (whatever the ids), about 0 for unrelated ones.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`adjustedRandIndex: labelings have ${n} and ${b.length} points`);
  if (n < 2) return 1;
  const ia = compact(a);
  const ib = compact(b);
  const ka = ia.count;
  const kb = ib.count;
  const table = new Float64Array(ka * kb);
  const rows = new Float64Array(ka);
  const cols = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    table[ia.ids[i] * kb + ib.ids[i]]++;
    rows[ia.ids[i]]++;
    cols[ib.ids[i]]++;
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  let index = 0;
  for (let t = 0; t < table.length; t++) index += pairs(table[t]);
  let sumA = 0;
  let sumB = 0;
  for (let r = 0; r < ka; r++) sumA += pairs(rows[r]);
  for (let c = 0; c < kb; c++) sumB += pairs(cols[c]);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  // Both labelings trivial in the same way (one cluster, or all singletons): identical.
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

function compact(labels: ArrayLike<number>): { ids: Int32Array; count: number } {
  const map = new Map<number, number>();
  const ids = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let id = map.get(labels[i]);
    if (id === undefined) {
      id = map.size;
      map.set(labels[i], id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

function checkLabels(labels: Int32Array, n: number, k: number): void {
  if (labels.length !== n) throw new Error(`${labels.length} labels for ${n} rows`);
  for (let i = 0; i < n; i++) {
    if (labels[i] < 0 || labels[i] >= k) throw new Error(`label ${labels[i]} at row ${i} is outside 0..${k - 1}`);
  }
}
