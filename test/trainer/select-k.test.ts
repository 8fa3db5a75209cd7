// A usable k (trainer/segments/select-k.ts): with k "auto", the smallest k
// whose silhouette is within the tolerance of the best, no segment under the
// minimum share, the raw best kept for the report; an explicit k is obeyed.
import { describe, expect, it } from 'vitest';
import type { KCandidate } from '../../model/index.ts';
import { checkConfig } from '../../trainer/config.ts';
import { fitSegments } from '../../trainer/segments/fit.ts';
import { chooseK, K_TOLERANCE_FLOOR, MIN_SEGMENT_SHARE, smallestShare } from '../../trainer/segments/select-k.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

// The Mall customers sweep (train split, examples/mall.config.json) as measured.
const mall: KCandidate[] = [
  [2, 0.2812, 0.0082, 0.48],
  [3, 0.2919, 0.0103, 0.2],
  [4, 0.321, 0.0105, 0.19],
  [5, 0.3095, 0.011, 0.13],
  [6, 0.3085, 0.011, 0.1],
  [7, 0.3233, 0.0118, 0.09],
  [8, 0.3402, 0.012, 0.075],
].map(([k, silhouette, silhouetteSE, minShare]) => ({ k, inertia: 400 / k, silhouette, silhouetteSE, minShare }));

describe('choosing k with k "auto"', () => {
  it('takes the smallest k within 2 bootstrap SE (at least 0.01) of the best, and names the raw best', () => {
    const { k, rule, reason } = chooseK(mall);
    expect(rule).toEqual({ criterion: 'silhouette', tolerance: 0.024, minShare: MIN_SEGMENT_SHARE, rawBest: 8 });
    expect(k).toBe(4);
    expect(reason).toMatch(
      /^k=4: silhouette 0\.321, smallest k within 0\.024 of the best silhouette 0\.340 at k=8; the highest silhouette alone would pick k=8/,
    );
  });

  it('never takes a tolerance under 0.01', () => {
    const tight = mall.map((c) => ({ ...c, silhouetteSE: 0.001 }));
    expect(chooseK(tight).rule.tolerance).toBe(K_TOLERANCE_FLOOR);
    expect(chooseK(tight).k).toBe(8);
  });

  it('leaves out a k with a segment under the minimum share, unless the config allows it', () => {
    const tiny = mall.map((c) => (c.k >= 4 ? { ...c, minShare: 0.02 } : c));
    expect(chooseK(tiny).k).toBe(2);
    expect(chooseK(tiny).reason).toContain('k=4, 5, 6, 7, 8 left out: a segment under 5% of rows');
    expect(chooseK(tiny).rule.rawBest).toBe(8);
    expect(chooseK(tiny, { minShare: 0 }).k).toBe(4);
  });

  it('measures the smallest segment', () => {
    expect(smallestShare(Int32Array.from([0, 0, 1, 2, 2, 2, 2, 2, 2, 2]), 3)).toBeCloseTo(0.1);
  });

  it('obeys an explicit k, and validates segments.minShare', () => {
    const rng = new Rng(3);
    const X = { data: Float64Array.from({ length: 400 }, () => rng.normal()), n: 200, d: 2 };
    const fit = fitSegments(X, { method: 'kmeans', k: 8, kRange: [2, 8], restarts: 2, seed: 1 });
    expect(fit.k).toBe(8);
    expect(fit.rule).toBeUndefined();
    expect(() => checkConfig({ segments: { minShare: 0.7 } })).toThrow('segments.minShare must be a share of rows');
    expect(checkConfig({ segments: { minShare: 0 } }).segments?.minShare).toBe(0);
  });
});
