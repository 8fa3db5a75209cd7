// PSI with Evidently's conventions and the binned ROC-AUC, on figures worked
// out by hand.
import { describe, expect, it } from 'vitest';
import { binnedAuc, outcomeStats } from '../../worker/monitor/outcome-stats.ts';
import { driftStatus, emptyShare, psi } from '../../worker/monitor/psi.ts';

describe('psi', () => {
  it('is Σ (training − live) · ln(training / live)', () => {
    const t = [0.5, 0.5];
    const l = [0.25, 0.75];
    expect(psi(l, t)).toBeCloseTo(0.25 * Math.log(2) + -0.25 * Math.log(0.5 / 0.75), 12);
    expect(psi(t, t)).toBe(0);
  });

  it("counts an empty bin as 0.0001, or the smallest share / 10^6 when that is ≤ 0.0001 (Evidently's get_binned_data)", () => {
    expect(emptyShare([0.5, 0.5, 0])).toBe(0.0001);
    expect(emptyShare([0.99995, 0.00005, 0])).toBeCloseTo(0.00005 / 1e6, 18);
    const e = 0.0001;
    const expected = 2 * (0.4 - 0.5) * Math.log(0.4 / 0.5) + (0.2 - e) * Math.log(0.2 / e);
    expect(psi([0.5, 0.5, 0], [0.4, 0.4, 0.2])).toBeCloseTo(expected, 12);
  });

  it('gives stable below 0.1, moderate below 0.2, drift from 0.2, and too few under the minimum', () => {
    expect(driftStatus(0.099, 500, 500)).toBe('stable');
    expect(driftStatus(0.1, 500, 500)).toBe('moderate');
    expect(driftStatus(0.2, 500, 500)).toBe('drift');
    expect(driftStatus(5, 499, 500)).toBe('too few');
  });
});

describe('binned ROC-AUC', () => {
  it('counts a positive above every negative in a lower bin and half of those in its own', () => {
    const pos = new Float64Array(4);
    const neg = new Float64Array(4);
    neg[0] = 2;
    neg[2] = 1;
    pos[2] = 1;
    pos[3] = 1;
    // positive in bin 2: beats 2, ties 1 → 2.5; positive in bin 3: beats 3 → 3; (2.5 + 3) / (2 · 3)
    expect(binnedAuc(pos, neg)).toBeCloseTo(5.5 / 6, 12);
    expect(binnedAuc(new Float64Array(4), neg)).toBeNull();
  });

  it('gives calibration per decile and conversion per segment', () => {
    const stats = outcomeStats([
      { target: 't', segment: 0, bin: 50, label: 0, n: 3 },
      { target: 't', segment: 0, bin: 50, label: 1, n: 1 },
      { target: 't', segment: 1, bin: 950, label: 1, n: 2 },
    ]).t;
    expect([stats.n, stats.positives]).toEqual([6, 3]);
    expect(stats.calibration).toEqual([
      [0.0505, 0.25, 4],
      [0.9505, 1, 2],
    ]);
    expect(stats.bySegment).toEqual({ '0': { n: 4, positives: 1, rate: 0.25 }, '1': { n: 2, positives: 2, rate: 1 } });
    // The positive in bin 50 ties the 3 negatives there (1.5); the 2 in bin 950 beat all 3 (6): 7.5 / (3 · 3).
    expect(stats.rocAuc).toBeCloseTo(7.5 / 9, 12);
  });
});
