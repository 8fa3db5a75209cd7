// Finding the segments: k-means over a range of k (or one k), or Ward's
// agglomerative clustering on a sample, each k scored by silhouette, inertia
// (for the elbow), Davies–Bouldin and Calinski–Harabasz, and one k chosen with
// a reason. The edge assigns by nearest centroid, so Ward's clusters are
// shipped as their means, and how often that agrees with Ward is measured.
import type { KCandidate, KRule } from '../../model/index.ts';
import { assignNearest } from '../estimators/kmeans/lloyd.ts';
import { fitKMeans } from '../estimators/kmeans/restarts.ts';
import { canonicalise, clusterMeans, takeRows, type Matrix } from '../estimators/matrix.ts';
import { chooseK, elbowKnee, scoreClustering, sweepK } from './select-k.ts';
import { cutTree, wardMerges } from '../estimators/ward.ts';
import type { KCriterion } from '../config.ts';
import { Rng } from '../estimators/rng.ts';
import { roundSig, roundTo } from '../round.ts';

export interface SegmentOptions {
  method: 'kmeans' | 'ward';
  k: 'auto' | number;
  kRange: [number, number];
  restarts: number;
  seed: number;
  /** What picks k when it is 'auto' (default silhouette). */
  criterion?: KCriterion;
  /** With k 'auto', no k with a segment under this share of rows (default MIN_SEGMENT_SHARE). */
  minShare?: number;
  /** Rows Ward clusters (its distance matrix is O(n²)). */
  wardSample?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SegmentFit {
  k: number;
  /** k × d, canonical order. */
  centroids: Float64Array;
  /** Segment of each row of X. */
  labels: Int32Array;
  candidates: (KCandidate & { elbow?: boolean })[];
  reason: string;
  /** With k 'auto': the rule that chose k. */
  rule?: KRule;
  /** Ward only: share of the clustered sample where nearest-centroid gives Ward's own cluster. */
  agreement?: number;
  /** Ward only: how many rows Ward clustered. */
  sampled?: number;
}

export const WARD_SAMPLE = 3000;

const candidate = (
  k: number,
  inertia: number,
  sil: number,
  db: number,
  ch: number,
  se: number,
  minShare: number,
): KCandidate => ({
  k,
  inertia: roundSig(inertia),
  silhouette: roundTo(sil, 4),
  daviesBouldin: roundTo(db, 4),
  calinskiHarabasz: roundSig(ch, 5),
  silhouetteSE: roundTo(se, 4),
  minShare: roundTo(minShare, 4),
});

export function fitSegments(X: Matrix, options: SegmentOptions): SegmentFit {
  const { method, seed, restarts } = options;
  const maxK = Math.min(options.kRange[1], Math.max(2, X.n - 1));
  const ks =
    options.k === 'auto'
      ? Array.from(
          { length: maxK - Math.min(options.kRange[0], maxK) + 1 },
          (_, i) => Math.min(options.kRange[0], maxK) + i,
        )
      : [options.k];
  if (ks.some((k) => k > X.n)) throw new Error(`k=${Math.max(...ks)} is more than the ${X.n} training rows`);
  const progress = options.onProgress ?? (() => {});
  // Steps: one per k, plus building Ward's tree.
  const steps = method === 'ward' ? ks.length + 1 : ks.length;

  type Fit = { k: number; centroids: Float64Array; labels: Int32Array; candidate: KCandidate; agreement?: number };
  const fits: Fit[] = [];
  let sampled: number | undefined;
  if (method === 'kmeans') {
    ks.forEach((k, i) => {
      progress(i, steps);
      if (k === 1) {
        const fit = fitKMeans(X, { k, restarts, seed });
        fits.push({
          k,
          centroids: fit.centroids,
          labels: fit.labels,
          candidate: { k, inertia: roundSig(fit.inertia), silhouette: NaN },
        });
        return;
      }
      // One k at a time through the shared sweep, so every k gets the same seed as a full sweep.
      const [e] = sweepK(X, { kMin: k, kMax: k, restarts, seed });
      fits.push({
        k,
        centroids: e.fit.centroids,
        labels: e.fit.labels,
        candidate: candidate(
          k,
          e.inertia,
          e.silhouette,
          e.daviesBouldin,
          e.calinskiHarabasz,
          e.silhouetteSE,
          e.minShare,
        ),
      });
    });
  } else {
    const sampleRows = new Rng(seed).sample(X.n, Math.min(X.n, options.wardSample ?? WARD_SAMPLE));
    const sample = takeRows(X, sampleRows);
    sampled = sample.n;
    progress(0, steps);
    // One tree, cut at every k: the merges are the O(n²) part.
    const merges = wardMerges(sample);
    ks.forEach((k, i) => {
      progress(i + 1, steps);
      const cut = cutTree(merges, sample.n, k);
      const w = canonicalise(cut, clusterMeans(sample, cut, k).centroids, k, X.d);
      // The edge assigns every row to the nearest Ward cluster mean.
      const assigned = assignNearest(X, w.centroids, k);
      const onSample = assignNearest(sample, w.centroids, k).labels;
      let agree = 0;
      for (let r = 0; r < sample.n; r++) if (onSample[r] === w.labels[r]) agree++;
      // Shipped centroids are the means of the final assignment.
      const means = clusterMeans(X, assigned.labels, k);
      const canon = canonicalise(assigned.labels, means.centroids, k, X.d);
      const inertia = assignNearest(X, canon.centroids, k).inertia;
      const s = k > 1 ? scoreClustering(X, canon.labels, canon.centroids, k, { seed }) : null;
      const scored = s
        ? candidate(k, inertia, s.silhouette, s.daviesBouldin, s.calinskiHarabasz, s.silhouetteSE, s.minShare)
        : { k, inertia: roundSig(inertia), silhouette: NaN };
      fits.push({
        k,
        centroids: canon.centroids,
        labels: canon.labels,
        candidate: scored,
        agreement: agree / sample.n,
      });
    });
  }
  progress(steps, steps);

  const candidates: SegmentFit['candidates'] = fits.map((f) => ({ ...f.candidate }));
  let k: number;
  let reason: string;
  let rule: KRule | undefined;
  if (options.k === 'auto') {
    ({ k, reason, rule } = chooseK(candidates, { criterion: options.criterion, minShare: options.minShare }));
    const knee = elbowKnee(
      candidates.map((c) => c.k),
      candidates.map((c) => c.inertia),
    );
    for (const c of candidates) if (c.k === knee) c.elbow = true;
  } else {
    k = options.k;
    reason = `k=${k} as requested`;
  }
  const chosen = fits.find((f) => f.k === k)!;
  if (method === 'ward') {
    const rows = sampled === X.n ? `all ${X.n} training rows` : `${sampled} of the ${X.n} training rows (a sample)`;
    reason += `; Ward on ${rows}, nearest-centroid agrees with its labels on ${(100 * chosen.agreement!).toFixed(1)}% of them`;
  }
  return {
    k,
    centroids: chosen.centroids,
    labels: chosen.labels,
    candidates,
    reason,
    ...(rule ? { rule } : {}),
    ...(method === 'ward' ? { agreement: roundTo(chosen.agreement!, 4), sampled } : {}),
  };
}
