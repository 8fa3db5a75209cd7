// Choosing the number of segments: fit k-means for each k in a range, score
// each fit, and pick one with a reason a person can check against the chart.
import type { KCandidate } from '../../model/index.ts';
import type { KMeansFit } from '../estimators/kmeans/lloyd.ts';
import { fitKMeans } from '../estimators/kmeans/restarts.ts';
import type { Matrix } from '../estimators/matrix.ts';
import { calinskiHarabasz, daviesBouldin, silhouette } from '../estimators/quality.ts';

export interface SweepOptions {
  kMin?: number;
  kMax?: number;
  restarts?: number;
  seed?: number;
  /** Rows the silhouette is computed on when the data is larger (default 4,000). */
  silhouetteSample?: number;
}

export interface KSweepEntry {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
  fit: KMeansFit;
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
      silhouette: silhouette(X, fit.labels, k, { sample: silhouetteSample, seed }),
      daviesBouldin: daviesBouldin(X, fit.labels, fit.centroids, k),
      calinskiHarabasz: calinskiHarabasz(X, fit.labels, fit.centroids, k),
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

/**
 * The k with the highest silhouette (the smaller k on a tie). The reason also
 * names the elbow and the best Davies–Bouldin and Calinski–Harabasz k, so a
 * reader sees whether the criteria agree.
 */
export function chooseK(candidates: KCandidate[]): { k: number; reason: string } {
  const valid = candidates.filter((c) => Number.isFinite(c.silhouette));
  if (valid.length === 0) throw new Error('chooseK: no candidate has a silhouette');
  const sorted = [...candidates].sort((a, b) => a.k - b.k);
  let chosen = valid[0];
  for (const c of valid) {
    if (c.silhouette > chosen.silhouette || (c.silhouette === chosen.silhouette && c.k < chosen.k)) chosen = c;
  }
  const parts = [`k=${chosen.k}: highest silhouette ${chosen.silhouette.toFixed(2)}`];
  const elbow = elbowKnee(
    sorted.map((c) => c.k),
    sorted.map((c) => c.inertia),
  );
  parts.push(elbow === null ? 'no clear elbow' : `elbow at k=${elbow}`);
  const db = extreme(candidates, (c) => c.daviesBouldin, -1);
  if (db) parts.push(`lowest Davies–Bouldin ${db.value.toFixed(2)} at k=${db.k}`);
  const ch = extreme(candidates, (c) => c.calinskiHarabasz, 1);
  if (ch) parts.push(`highest Calinski–Harabasz ${ch.value.toFixed(1)} at k=${ch.k}`);
  return { k: chosen.k, reason: parts.join('; ') };
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
    if (best === null || sign * v > sign * best.value || (v === best.value && c.k < best.k)) best = { k: c.k, value: v };
  }
  return best;
}
