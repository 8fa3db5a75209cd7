// Agglomerative clustering with Ward linkage, built the way SciPy builds the
// tree scikit-learn's AgglomerativeClustering(linkage='ward') cuts: the
// nearest-neighbour chain over a condensed distance matrix with Lance–Williams
// updates. Memory is n(n−1)/2 doubles (≈100 MB at n = 5,000), so callers sample.
import { distancesTo } from '../../model/index.ts';
import { type Matrix, canonicalise, clusterMeans } from './matrix.ts';

export interface WardOptions {
  k: number;
}

export interface WardFit {
  labels: Int32Array;
  /** k × d cluster means, in the same canonical order as fitKMeans. */
  centroids: Float64Array;
}

/** Rows above which the condensed matrix gets too big to be sensible. */
export const WARD_MAX_ROWS = 10_000;
/** Rows up to which the full matrix (n² doubles: 128 MB at 4,096) is kept instead of the condensed triangle. */
export const SQUARE_ROWS = 4096;

export function fitWard(X: Matrix, options: WardOptions): WardFit {
  const { k } = options;
  const { n, d } = X;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`fitWard: k must be an integer in 1..${n}, got ${k}`);
  if (n > WARD_MAX_ROWS)
    throw new Error(`fitWard: ${n} rows need a ${n}² distance matrix; sample to at most ${WARD_MAX_ROWS}`);
  const merges = wardMerges(X);
  const labels = cutTree(merges, n, k);
  const { centroids } = clusterMeans(X, labels, k);
  const canon = canonicalise(labels, centroids, k, d);
  return { labels: canon.labels, centroids: canon.centroids };
}

export interface WardMerges {
  /** Merge t joins the clusters held in slots a[t] and b[t] (the result lives in slot b[t]). */
  a: Int32Array;
  b: Int32Array;
  /**
   * Merge height in squared units: 2·nₐn_b/(nₐ+n_b)·‖cₐ−c_b‖², twice the rise in
   * within-cluster sum of squares (SciPy reports its square root).
   */
  height: Float64Array;
  size: Int32Array;
}

/**
 * All n−1 merges, sorted by height (stably, so a merge never precedes the
 * merges that built its parts).
 */
export function wardMerges(X: Matrix, layout: 'auto' | 'square' | 'condensed' = 'auto'): WardMerges {
  const { data, n, d } = X;
  const m = n - 1;
  const a = new Int32Array(m);
  const b = new Int32Array(m);
  const height = new Float64Array(m);
  const size = new Int32Array(m);
  if (n < 2) return { a, b, height, size };

  // Up to SQUARE_ROWS rows the matrix is kept in full (both triangles), so
  // the nearest-neighbour scan of a cluster reads its own row front to back;
  // beyond, the condensed upper triangle (pair i < j at rowStart[i] + j) halves
  // the memory at the price of strided reads.
  const square = layout === 'auto' ? n <= SQUARE_ROWS : layout === 'square';
  const D = new Float64Array(square ? n * n : (n * (n - 1)) / 2);
  const rowStart = new Int32Array(n);
  for (let i = 0; i < n; i++) rowStart[i] = square ? i * n : i * n - (i * (i + 1)) / 2 - i - 1;
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rowStart[i];
    const rest = n - i - 1;
    // Four rows at a time (independent sums side by side), each sum in sqDist's order.
    distancesTo(data, i * d, data, (i + 1) * d, rest, d, row);
    for (let t = 0; t < rest; t++) D[r + i + 1 + t] = row[t];
    if (square) for (let t = 0; t < rest; t++) D[(i + 1 + t) * n + i] = row[t];
  }

  const sizes = new Float64Array(n).fill(1);
  // Live clusters in increasing slot order, so scans skip merged slots but
  // still break ties towards the lowest index, as SciPy does.
  const active = Int32Array.from({ length: n }, (_, i) => i);
  let live = n;
  const chain = new Int32Array(n);
  let chainLength = 0;
  for (let step = 0; step < m; step++) {
    if (chainLength === 0) {
      chain[0] = active[0];
      chainLength = 1;
    }
    // Follow nearest neighbours until two clusters are each other's nearest.
    let x = 0;
    let y = 0;
    let current = 0;
    for (;;) {
      x = chain[chainLength - 1];
      // Prefer the previous chain element on ties, or the chain could cycle.
      if (chainLength > 1) {
        y = chain[chainLength - 2];
        current = D[square ? x * n + y : x < y ? rowStart[x] + y : rowStart[y] + x];
      } else {
        current = Infinity;
      }
      if (square) {
        const rx = x * n;
        for (let t = 0; t < live; t++) {
          const i = active[t];
          if (i === x) continue;
          const dist = D[rx + i];
          if (dist < current) {
            current = dist;
            y = i;
          }
        }
      } else {
        for (let t = 0; t < live; t++) {
          const i = active[t];
          if (i === x) continue;
          const dist = D[x < i ? rowStart[x] + i : rowStart[i] + x];
          if (dist < current) {
            current = dist;
            y = i;
          }
        }
      }
      if (chainLength > 1 && y === chain[chainLength - 2]) break;
      chain[chainLength++] = y;
    }
    chainLength -= 2;
    if (x > y) {
      const t = x;
      x = y;
      y = t;
    }
    const nx = sizes[x];
    const ny = sizes[y];
    a[step] = x;
    b[step] = y;
    height[step] = current;
    size[step] = nx + ny;
    sizes[x] = 0;
    sizes[y] = nx + ny;
    let w = 0;
    for (let t = 0; t < live; t++) if (active[t] !== x) active[w++] = active[t];
    live = w;
    // Lance–Williams for Ward on squared distances.
    for (let t = 0; t < live; t++) {
      const i = active[t];
      const ni = sizes[i];
      if (i === y) continue;
      if (square) {
        const v = ((ni + nx) * D[x * n + i] + (ni + ny) * D[y * n + i] - ni * current) / (ni + nx + ny);
        D[y * n + i] = v;
        D[i * n + y] = v;
      } else {
        const ix = x < i ? rowStart[x] + i : rowStart[i] + x;
        const iy = y < i ? rowStart[y] + i : rowStart[i] + y;
        D[iy] = ((ni + nx) * D[ix] + (ni + ny) * D[iy] - ni * current) / (ni + nx + ny);
      }
    }
  }

  const order = Array.from({ length: m }, (_, t) => t).sort((p, q) => height[p] - height[q] || p - q);
  return {
    a: Int32Array.from(order, (t) => a[t]),
    b: Int32Array.from(order, (t) => b[t]),
    height: Float64Array.from(order, (t) => height[t]),
    size: Int32Array.from(order, (t) => size[t]),
  };
}

/** Labels for k clusters: apply the lowest n−k merges (the tree cut below its top k−1 merges). */
export function cutTree(merges: WardMerges, n: number, k: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let t = 0; t < n - k; t++) parent[find(merges.a[t])] = find(merges.b[t]);
  const labels = new Int32Array(n);
  const id = new Int32Array(n).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (id[r] < 0) id[r] = next++;
    labels[i] = id[r];
  }
  return labels;
}
