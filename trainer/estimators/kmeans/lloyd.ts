// The Lloyd/Hamerly loop of k-means and its state: from given centres, assign
// each point to its nearest centre and move the centres to the means until
// they settle (scikit-learn's stopping rule), with Hamerly's bounds so that,
// once the centres settle, most points are not compared with every centre.
// 'lloyd' is the plain reference and gives the same labels and centres.
import { distancesTo, nearestCentroid, sqDist } from '../../../model/index.ts';
import { addToClusterSums, type Matrix } from '../matrix.ts';
import { checkK } from './init.ts';

export type KMeansAlgorithm = 'hamerly' | 'lloyd';

export interface KMeansFit {
  /** k × d, row-major, in canonical order (see canonicalise). */
  centroids: Float64Array;
  labels: Int32Array;
  /** Sum of squared distances of points to their centroid. */
  inertia: number;
  /** Lloyd iterations of the winning restart. */
  iterations: number;
}

export interface RefineOptions {
  k: number;
  maxIter?: number;
  /** Absolute tolerance on the summed squared centre shift (fitKMeans passes tol × mean variance). */
  tolScaled?: number;
  algorithm?: KMeansAlgorithm;
  /** Bound comparisons leave this much room for rounding (default from the data's magnitude). */
  slack?: number;
}

/**
 * Lloyd iterations from the given centres, with scikit-learn's stopping rule:
 * stop when no label changes, or when the summed squared centre shift is at
 * most tolScaled; in the latter case labels are reassigned once more so that
 * they match the returned centres. Centroids are in the order of `init`.
 */
export function refineKMeans(X: Matrix, init: Float64Array, options: RefineOptions): KMeansFit {
  const { k } = options;
  checkK(k, X.n);
  if (init.length !== k * X.d) throw new Error(`refineKMeans: init has ${init.length} values, expected ${k}×${X.d}`);
  return refineWith(X, init, options, newState(X, init, k));
}

/** refineKMeans in the given state's buffers (reused across restarts); the fit's arrays are the state's own. */
export function refineWith(X: Matrix, init: Float64Array, options: RefineOptions, state: State): KMeansFit {
  const { maxIter = 300, tolScaled = 0, algorithm = 'hamerly' } = options;
  const slack = options.slack ?? boundSlack(X);
  resetState(state, init);
  const assign = algorithm === 'lloyd' ? assignLloyd : assignHamerly;
  let iterations = 0;
  let strict = false;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    const changed = assign(X, state, it === 0, slack);
    const shiftTotal = updateCentres(X, state, changed, it === 0);
    if (changed === 0) {
      strict = true;
      break;
    }
    if (shiftTotal <= tolScaled) break;
  }
  if (!strict) assign(X, state, false, slack);
  return {
    centroids: state.centres,
    labels: state.labels,
    inertia: inertiaOf(X, state.labels, state.centres),
    iterations,
  };
}

/**
 * Room left in bound comparisons so that rounding in the bound arithmetic can
 * never skip a point plain Lloyd would move: far above the accumulated error,
 * far below any distance that matters.
 */
export function boundSlack(X: Matrix): number {
  const { data, d } = X;
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    // NaN or ±∞ would silently poison every distance; say where it is instead.
    if (!(a < Infinity)) throw new Error(`k-means: row ${Math.floor(i / d)} has a non-finite value (${data[i]})`);
    if (a > maxAbs) maxAbs = a;
  }
  return 1e-9 * maxAbs * Math.sqrt(d);
}

/** A refinement's buffers, allocated once per thread and reused across restarts (newState, then resetState per start). */
export interface State {
  k: number;
  centres: Float64Array;
  /** Scratch for the next centres; swapped with `centres` after each M-step. */
  next: Float64Array;
  labels: Int32Array;
  /**
   * Per-cluster sums and sizes, kept up to date as points change cluster, so
   * the M-step costs O(moved points) instead of a pass over the data.
   */
  sums: Float64Array;
  counts: Float64Array;
  /** Hamerly: distance to the assigned centre is ≤ upper[i]; to every other centre ≥ lower[i]. */
  upper: Float64Array;
  lower: Float64Array;
  /** How far each centre moved in the last M-step. */
  shift: Float64Array;
  /** k × k distances between centres, for the triangle-inequality skips. */
  gaps: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  half: Float64Array;
  /** Scratch: one point's squared distance to every centre. */
  all: Float64Array;
}

export function newState(X: Matrix, init: Float64Array, k: number): State {
  const { n, d } = X;
  return {
    k,
    centres: new Float64Array(init.length),
    next: new Float64Array(k * d),
    labels: new Int32Array(n).fill(-1),
    sums: new Float64Array(k * d),
    counts: new Float64Array(k),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
    shift: new Float64Array(k),
    gaps: new Float64Array(k * k),
    half: new Float64Array(k),
    all: new Float64Array(k),
  };
}

/** Starts a refinement from `init` in a (possibly used) state. Bounds need no reset: the first assignment sets them all. */
function resetState(s: State, init: Float64Array): void {
  s.centres.set(init);
  s.labels.fill(-1);
  s.sums.fill(0);
  s.counts.fill(0);
  s.shift.fill(0);
}

/** Moves row i's contribution to the cluster sums from cluster `from` (−1: none) to `to`. */
function moveRow(X: Matrix, s: State, i: number, from: number, to: number): void {
  const { data, d } = X;
  const { sums, counts } = s;
  const b = i * d;
  if (from >= 0) {
    const o = from * d;
    for (let j = 0; j < d; j++) sums[o + j] -= data[b + j];
    counts[from]--;
  }
  const o = to * d;
  for (let j = 0; j < d; j++) sums[o + j] += data[b + j];
  counts[to]++;
}

/** Every point against every centre; ties go to the lowest centre index. */
function assignLloyd(X: Matrix, s: State): number {
  const { data, n, d } = X;
  const { k, centres, labels } = s;
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const b = i * d;
    let best = Infinity;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      const dist = sqDist(data, b, centres, c * d, d);
      if (dist < best) {
        best = dist;
        bestC = c;
      }
    }
    if (labels[i] !== bestC) {
      moveRow(X, s, i, labels[i], bestC);
      labels[i] = bestC;
      changed++;
    }
  }
  return changed;
}

/**
 * Hamerly's assignment. The bounds are first moved by the last centre shifts;
 * a point whose upper bound is below both its lower bound and half the gap to
 * its centre's nearest neighbour cannot change centre. Otherwise its centre is
 * searched again, skipping (as Elkan does) centres that the triangle
 * inequality puts strictly farther than the best so far. Exact ties are always
 * measured and go to the lower index, so the labels equal assignLloyd's.
 */
function assignHamerly(X: Matrix, s: State, first: boolean, slack: number): number {
  const { data, n, d } = X;
  const { k, centres, labels, upper, lower, shift, gaps, half, all } = s;
  centreGaps(centres, k, d, gaps, half);
  let changed = 0;
  let maxShift = 0;
  let secondShift = 0;
  let maxShiftC = -1;
  for (let c = 0; c < k; c++) {
    const p = shift[c];
    if (p > maxShift) {
      secondShift = maxShift;
      maxShift = p;
      maxShiftC = c;
    } else if (p > secondShift) secondShift = p;
  }
  for (let i = 0; i < n; i++) {
    const b = i * d;
    let start = 0;
    let best: number;
    if (first) {
      // Every centre is measured on the first pass, all at once (independent sums run side by side).
      distancesTo(data, b, centres, 0, k, d, all);
      let bestC = 0;
      best = all[0];
      for (let c = 1; c < k; c++) {
        if (all[c] < best) {
          best = all[c];
          bestC = c;
        }
      }
      let secondSq = Infinity;
      for (let c = 0; c < k; c++) if (c !== bestC && all[c] < secondSq) secondSq = all[c];
      upper[i] = Math.sqrt(best);
      lower[i] = Math.sqrt(secondSq);
      moveRow(X, s, i, -1, bestC);
      labels[i] = bestC;
      changed++;
      continue;
    } else {
      const a = labels[i];
      const u = upper[i] + shift[a];
      const l = lower[i] - (a === maxShiftC ? secondShift : maxShift);
      lower[i] = l;
      const m = (half[a] > l ? half[a] : l) - slack;
      if (u < m) {
        upper[i] = u;
        continue;
      }
      best = sqDist(data, b, centres, a * d, d);
      const tight = Math.sqrt(best);
      upper[i] = tight;
      if (tight < m) continue;
      start = a;
    }
    let bestC = start;
    let bestD = Math.sqrt(best);
    // Beyond this gap from the best centre, a centre can neither win nor tie:
    // d(x, c) ≥ gap − d(x, best) > d(x, best).
    let limit = 2 * bestD + slack;
    let gapRow = bestC * k;
    // Lower bound on the distance to every centre but the best: exact for the
    // measured ones (kept squared, one square root at the end), from the
    // triangle inequality for the skipped ones.
    let secondSq = Infinity;
    let skipped = Infinity;
    for (let c = 0; c < k; c++) {
      if (c === start) continue;
      const gap = gaps[gapRow + c];
      if (gap > limit) {
        if (gap - bestD < skipped) skipped = gap - bestD;
        continue;
      }
      const dist = sqDist(data, b, centres, c * d, d);
      if (dist < best || (dist === best && c < bestC)) {
        if (best < secondSq) secondSq = best;
        best = dist;
        bestC = c;
        bestD = Math.sqrt(dist);
        limit = 2 * bestD + slack;
        gapRow = c * k;
      } else if (dist < secondSq) secondSq = dist;
    }
    const second = Math.sqrt(secondSq);
    upper[i] = bestD;
    lower[i] = second < skipped ? second : skipped;
    if (labels[i] !== bestC) {
      moveRow(X, s, i, labels[i], bestC);
      labels[i] = bestC;
      changed++;
    }
  }
  return changed;
}

function centreGaps(centres: Float64Array, k: number, d: number, gaps: Float64Array, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    gaps[a * k + a] = 0;
    for (let c = a + 1; c < k; c++) {
      const g = Math.sqrt(sqDist(centres, a * d, centres, c * d, d));
      gaps[a * k + c] = g;
      gaps[c * k + a] = g;
      if (0.5 * g < half[a]) half[a] = 0.5 * g;
      if (0.5 * g < half[c]) half[c] = 0.5 * g;
    }
  }
}

/**
 * M-step: centres become the means of their points; an empty cluster takes
 * the point farthest from its centre (scikit-learn's relocation). Returns the
 * summed squared shift. Shared by both algorithms, which feed it the same
 * label changes in the same order, so their centres agree bit for bit.
 */
function updateCentres(X: Matrix, s: State, changed: number, first: boolean): number {
  const { n, d } = X;
  const { k, labels, sums, counts, shift } = s;
  // Adding and removing rows lets rounding creep into the sums; after a big
  // reshuffle, when a fresh pass is cheap by comparison, start them again.
  if (!first && changed > n >>> 4) {
    sums.fill(0);
    counts.fill(0);
    addToClusterSums(X, labels, sums, counts);
  }
  const old = s.centres;
  relocateEmpty(X, s, old);
  const next = s.next;
  let total = 0;
  for (let c = 0; c < k; c++) {
    const o = c * d;
    if (counts[c] > 0) {
      const inv = 1 / counts[c];
      for (let j = 0; j < d; j++) next[o + j] = sums[o + j] * inv;
    } else {
      for (let j = 0; j < d; j++) next[o + j] = old[o + j];
    }
    const sh = sqDist(next, o, old, o, d);
    shift[c] = Math.sqrt(sh);
    total += sh;
  }
  s.centres = next;
  s.next = old;
  return total;
}

function relocateEmpty(X: Matrix, s: State, old: Float64Array): void {
  const { data, n, d } = X;
  const { k, labels, counts, sums, upper, lower } = s;
  let empty = 0;
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty++;
  if (empty === 0) return;
  const dist = new Float64Array(n);
  for (let i = 0; i < n; i++) dist[i] = sqDist(data, i * d, old, labels[i] * d, d);
  for (let c = 0; c < k; c++) {
    if (counts[c] !== 0) continue;
    // Farthest point not yet taken; ties to the lowest index.
    let far = 0;
    for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
    dist[far] = -1;
    // The emptied cluster's sums may hold rounding residue: it takes the point alone.
    sums.fill(0, c * d, c * d + d);
    counts[c] = 0;
    moveRow(X, s, far, labels[far], c);
    labels[far] = c;
    // Its bounds no longer describe it: force a full search next time.
    upper[far] = Infinity;
    lower[far] = -Infinity;
  }
}

function inertiaOf(X: Matrix, labels: Int32Array, centres: Float64Array): number {
  const { data, n, d } = X;
  let total = 0;
  for (let i = 0; i < n; i++) total += sqDist(data, i * d, centres, labels[i] * d, d);
  return total;
}

/** Nearest centroid of each row (ties to the lowest index) and the summed squared distance. */
export function assignNearest(X: Matrix, centroids: Float64Array, k: number): { labels: Int32Array; inertia: number } {
  const { data, n, d } = X;
  if (centroids.length !== k * d)
    throw new Error(`assignNearest: ${centroids.length} centroid values, expected ${k}×${d}`);
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = nearestCentroid(centroids, k, d, data, i * d);
    labels[i] = c;
    inertia += sqDist(data, i * d, centroids, c * d, d);
  }
  return { labels, inertia };
}
