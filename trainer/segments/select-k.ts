// Choosing the number of segments: fit k-means for each k in a range, score
// each fit, and pick the simplest segmentation that is nearly as good as the
// best, with no segment too small to act on, giving a reason a person can
// check against the chart.
import type { KCandidate, KRule } from '../../model/index.ts';
import type { KMeansFit } from '../estimators/kmeans/lloyd.ts';
import { fitKMeans } from '../estimators/kmeans/restarts.ts';
import type { Matrix } from '../estimators/matrix.ts';
import { bootstrapMeanSE, calinskiHarabasz, daviesBouldin, meanOf, silhouetteSamples } from '../estimators/quality.ts';
import type { KCriterion } from '../config.ts';

/**
 * Silhouettes within 0.01 of each other are the same to anyone reading the
 * segments (the scale runs from −1 to 1; scikit-learn's and ours differ by up
 * to 0.002 on the same data), so the tolerance is never below this.
 */
export const K_TOLERANCE_FLOOR = 0.01;
/**
 * The tolerance is this many bootstrap standard errors of the best
 * silhouette. The bootstrap resamples rows with the labels fixed, which misses
 * the refitting's own variability: refitting k-means on each resample of the
 * Mall table gave 1.5–1.7× that error. Two silhouettes are compared, and their
 * difference has about √2 times one's error: 1.6 × √2 ≈ 2.3, rounded down to 2.
 */
export const K_TOLERANCE_SE = 2;
/** A persona under 5% of the customers is too small to act on (default of segments.minShare). */
export const MIN_SEGMENT_SHARE = 0.05;
/** Resamples for the bootstrap standard error: enough for two significant digits. */
export const BOOTSTRAP_RESAMPLES = 200;

export interface SweepOptions {
  kMin?: number;
  kMax?: number;
  restarts?: number;
  seed?: number;
  /** Rows the silhouette is computed on when the data is larger (default 4,000). */
  silhouetteSample?: number;
}

/** How good one clustering is, by every criterion k is chosen on. */
export interface ClusteringScores {
  silhouette: number;
  /** Bootstrap standard error of the mean silhouette (the k rule's tolerance). */
  silhouetteSE: number;
  /** The smallest segment's share of the rows. */
  minShare: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
}

export interface KSweepEntry extends ClusteringScores {
  k: number;
  inertia: number;
  fit: KMeansFit;
}

/** Every criterion for one clustering of X: the same figures whichever method (k-means, Ward) made it. */
export function scoreClustering(
  X: Matrix,
  labels: Int32Array,
  centroids: Float64Array,
  k: number,
  options: { seed: number; silhouetteSample?: number },
): ClusteringScores {
  const scores = silhouetteSamples(X, labels, k, { sample: options.silhouetteSample, seed: options.seed });
  return {
    silhouette: meanOf(scores),
    silhouetteSE: bootstrapMeanSE(scores, BOOTSTRAP_RESAMPLES, options.seed),
    minShare: smallestShare(labels, k),
    daviesBouldin: daviesBouldin(X, labels, centroids, k),
    calinskiHarabasz: calinskiHarabasz(X, labels, centroids, k),
  };
}

/** One k-means fit per k in [kMin, kMax], each with the same seed (as scikit-learn's random_state). */
export function sweepK(X: Matrix, options: SweepOptions = {}): KSweepEntry[] {
  const { kMin = 2, kMax = 8, restarts = 10, seed = 0, silhouetteSample = 4000 } = options;
  if (!Number.isInteger(kMin) || !Number.isInteger(kMax) || kMin < 2 || kMax < kMin) {
    throw new Error(`sweepK: need integers 2 ≤ kMin ≤ kMax, got ${kMin}..${kMax}`);
  }
  // The silhouette needs at least one cluster with two points.
  if (kMax > X.n - 1) throw new Error(`sweepK: kMax=${kMax} needs more than ${X.n} rows`);
  const out: KSweepEntry[] = [];
  for (let k = kMin; k <= kMax; k++) {
    const fit = fitKMeans(X, { k, restarts, seed });
    out.push({
      k,
      inertia: fit.inertia,
      ...scoreClustering(X, fit.labels, fit.centroids, k, { seed, silhouetteSample }),
      fit,
    });
  }
  return out;
}

/**
 * Kneedle-style elbow: scale k and inertia to [0, 1] and return the k whose
 * point lies farthest below the chord from the first to the last point.
 * Null with fewer than 3 points or when no point is below the chord (no bend).
 */
export function elbowKnee(ks: number[], inertias: number[]): number | null {
  const m = ks.length;
  if (inertias.length !== m) throw new Error(`elbowKnee: ${m} ks but ${inertias.length} inertias`);
  if (m < 3) return null;
  const x0 = ks[0];
  const xSpan = ks[m - 1] - x0;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const y of inertias) {
    if (y < yMin) yMin = y;
    if (y > yMax) yMax = y;
  }
  const ySpan = yMax - yMin;
  if (xSpan === 0 || ySpan === 0) return null;
  const x = ks.map((k) => (k - x0) / xSpan);
  const y = inertias.map((v) => (v - yMin) / ySpan);
  // Signed distance to the chord, positive on the side a convex decreasing curve bends to.
  const dx = x[m - 1] - x[0];
  const dy = y[m - 1] - y[0];
  const len = Math.hypot(dx, dy);
  let best = -1;
  let bestDist = 1e-12;
  for (let i = 1; i < m - 1; i++) {
    const dist = (dx * (y[i] - y[0]) - dy * (x[i] - x[0])) / len;
    const below = dy <= 0 ? -dist : dist;
    if (below > bestDist) {
      bestDist = below;
      best = i;
    }
  }
  return best < 0 ? null : ks[best];
}

/** Share of rows in the smallest of the k segments. */
export function smallestShare(labels: Int32Array, k: number): number {
  const sizes = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  let min = Infinity;
  for (const s of sizes) if (s < min) min = s;
  return min / labels.length;
}

export interface ChooseOptions {
  criterion?: KCriterion;
  /** Default MIN_SEGMENT_SHARE; 0 allows any size. */
  minShare?: number;
}

/**
 * The k with k "auto". Candidates with a segment under `minShare` of the rows
 * are left out (all are kept if none passes). For the silhouette: the smallest
 * k whose silhouette is within max(K_TOLERANCE_FLOOR, K_TOLERANCE_SE × its
 * bootstrap SE) of the best — the simplest segmentation that is nearly as
 * good. Another criterion picks its own k among the candidates left. The
 * reason names the rule, the k the raw best silhouette would pick and what
 * every criterion says.
 */
export function chooseK(
  candidates: KCandidate[],
  options: ChooseOptions = {},
): { k: number; reason: string; rule: KRule } {
  const criterion = options.criterion ?? 'silhouette';
  const minShare = options.minShare ?? MIN_SEGMENT_SHARE;
  const valid = candidates.filter((c) => Number.isFinite(c.silhouette));
  if (valid.length === 0) throw new Error('chooseK: no candidate has a silhouette');
  const sorted = [...candidates].sort((a, b) => a.k - b.k);
  const rawBest = bestSilhouette(valid);
  const bigEnough = valid.filter((c) => (c.minShare ?? 1) >= minShare);
  const pool = bigEnough.length ? bigEnough : valid;
  const best = bestSilhouette(pool);
  const tolerance = Math.max(K_TOLERANCE_FLOOR, K_TOLERANCE_SE * (best.silhouetteSE ?? 0));
  let chosen = [...pool].sort((a, b) => a.k - b.k).find((c) => c.silhouette >= best.silhouette - tolerance - 1e-12)!;
  const elbow = elbowKnee(
    sorted.map((c) => c.k),
    sorted.map((c) => c.inertia),
  );
  // Another criterion picks among the k left (an elbow at a left-out k falls back to the silhouette rule).
  const picked = byCriterion(pool, criterion, elbow);
  const byOther = pool.find((c) => c.k === picked);
  const parts: string[] = [];
  const small = valid.filter((c) => !pool.includes(c)).map((c) => c.k);
  const sizeNote = small.length
    ? `; k=${small.join(', ')} left out: a segment under ${pct(minShare)} of rows`
    : bigEnough.length
      ? ''
      : `; every k has a segment under ${pct(minShare)} of rows, so none is left out`;
  if (byOther) {
    chosen = byOther;
    parts.push(
      `k=${chosen.k}: ${criterion} as the config asks${sizeNote}`,
      `highest silhouette ${rawBest.silhouette.toFixed(2)} at k=${rawBest.k}`,
    );
  } else if (chosen.k === rawBest.k) {
    parts.push(`k=${chosen.k}: highest silhouette ${chosen.silhouette.toFixed(2)}${sizeNote}`);
  } else {
    const why =
      chosen.k < best.k
        ? `smallest k within ${tolerance.toFixed(3)} of the best silhouette ${best.silhouette.toFixed(3)} at k=${best.k}`
        : `highest silhouette with no segment under ${pct(minShare)} of rows`;
    parts.push(
      `k=${chosen.k}: silhouette ${chosen.silhouette.toFixed(3)}, ${why}${sizeNote}; the highest silhouette alone would pick k=${rawBest.k}`,
    );
  }
  parts.push(elbow === null ? 'no clear elbow' : `elbow at k=${elbow}`);
  const dbAll = extreme(candidates, (c) => c.daviesBouldin, -1);
  if (dbAll) parts.push(`lowest Davies–Bouldin ${dbAll.value.toFixed(2)} at k=${dbAll.k}`);
  const chAll = extreme(candidates, (c) => c.calinskiHarabasz, 1);
  if (chAll) parts.push(`highest Calinski–Harabasz ${chAll.value.toFixed(1)} at k=${chAll.k}`);
  return {
    k: chosen.k,
    reason: parts.join('; '),
    rule: { criterion, tolerance: Math.round(tolerance * 1e4) / 1e4, minShare, rawBest: rawBest.k },
  };
}

/** The k a criterion picks (null: the elbow found no knee, so silhouette decides). */
export function byCriterion(candidates: KCandidate[], criterion: KCriterion, knee: number | null): number | null {
  switch (criterion) {
    case 'elbow':
      return knee;
    case 'davies-bouldin':
      return extreme(candidates, (c) => c.daviesBouldin, -1)?.k ?? null;
    case 'calinski-harabasz':
      return extreme(candidates, (c) => c.calinskiHarabasz, 1)?.k ?? null;
    default:
      return null;
  }
}

const pct = (v: number) => `${Math.round(v * 1000) / 10}%`;

/** The highest silhouette, the smaller k on a tie. */
function bestSilhouette(candidates: KCandidate[]): KCandidate {
  let best = candidates[0];
  for (const c of candidates)
    if (c.silhouette > best.silhouette || (c.silhouette === best.silhouette && c.k < best.k)) best = c;
  return best;
}

/** The candidate with the largest (sign 1) or smallest (sign -1) finite score; smaller k on a tie. */
function extreme(
  candidates: KCandidate[],
  score: (c: KCandidate) => number | undefined,
  sign: 1 | -1,
): { k: number; value: number } | null {
  let best: { k: number; value: number } | null = null;
  for (const c of candidates) {
    const v = score(c);
    if (v === undefined || !Number.isFinite(v)) continue;
    if (best === null || sign * v > sign * best.value || (v === best.value && c.k < best.k))
      best = { k: c.k, value: v };
  }
  return best;
}
