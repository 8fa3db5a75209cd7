// The statistics of a holdout, against published values and by simulation
// (seeded, so each run draws the same experiments): intervals cover the truth
// at their nominal rate, and the sequential test keeps its false positives
// under 5% however often the results are read.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../trainer/estimators/rng.ts';
import { msprtPValue } from '../../worker/experiments/stats/msprt.ts';
import { newcombeDifference } from '../../worker/experiments/stats/newcombe.ts';
import { ratioInterval } from '../../worker/experiments/stats/ratio.ts';
import { compareVariants, type VariantCounts } from '../../worker/experiments/stats/uplift.ts';
import { wilsonInterval, Z95 } from '../../worker/experiments/stats/wilson.ts';

describe('intervals against published examples', () => {
  it('Wilson limits are the rates whose score test is exactly at z', () => {
    // The interval is {p : |x/n − p| ≤ z sqrt(p(1 − p)/n)}, so each limit solves it with equality.
    for (const [x, n] of [
      [56, 70],
      [1, 100],
      [48, 80],
    ]) {
      const { lo, hi } = wilsonInterval(x, n);
      for (const p of [lo, hi]) expect(Math.abs(x / n - p)).toBeCloseTo(Z95 * Math.sqrt((p * (1 - p)) / n), 12);
    }
    expect(wilsonInterval(0, 20).lo).toBe(0);
    expect(wilsonInterval(20, 20).hi).toBe(1);
  });

  it("Newcombe's method 10 matches the paper for 56/70 − 48/80 and 9/10 − 3/10", () => {
    // Same paper, Table II, method 10: (a) 0.0524 to 0.3339; (d) 0.1705 to 0.8090.
    const a = newcombeDifference(56, 70, 48, 80);
    expect(a.lo).toBeCloseTo(0.0524, 4);
    expect(a.hi).toBeCloseTo(0.3339, 4);
    const d = newcombeDifference(9, 10, 3, 10);
    expect(d.lo).toBeCloseTo(0.1705, 4);
    expect(d.hi).toBeCloseTo(0.809, 4);
  });

  it('the ratio interval brackets the estimate and is null without control conversions', () => {
    const r = ratioInterval(30, 200, 20, 200)!;
    expect(r.lo).toBeLessThan(1.5);
    expect(r.hi).toBeGreaterThan(1.5);
    expect(ratioInterval(3, 100, 0, 100)).toBeNull();
    expect(ratioInterval(0, 100, 4, 100)!.lo).toBe(0);
  });
});

describe('mSPRT p-value', () => {
  it('is 1 for equal rates and falls as the difference grows', () => {
    expect(msprtPValue(100, 1000, 100, 1000)).toBe(1);
    const small = msprtPValue(110, 1000, 100, 1000);
    const large = msprtPValue(150, 1000, 100, 1000);
    expect(large).toBeLessThan(small);
    expect(large).toBeLessThan(0.05);
  });

  it('matches the closed form of Johari et al. for equal arms', () => {
    // n per arm, V = 2 p(1−p): Λ = sqrt(V/(V+nτ²)) exp(n²τ²Δ²/(2V(V+nτ²))).
    const n = 2000;
    const x1 = 260;
    const x2 = 220;
    const tau = 0.02;
    const p = (x1 + x2) / (2 * n);
    const v = 2 * p * (1 - p);
    const delta = (x1 - x2) / n;
    const lambda =
      Math.sqrt(v / (v + n * tau * tau)) *
      Math.exp((n * n * tau * tau * delta * delta) / (2 * v * (v + n * tau * tau)));
    expect(msprtPValue(x1, n, x2, n, tau)).toBeCloseTo(Math.min(1, 1 / lambda), 12);
  });
});

describe('compareVariants', () => {
  it('gives no verdict and no p-value below the minimum sample', () => {
    const r = compareVariants({ visitors: 50, conversions: 1 }, { visitors: 500, conversions: 100 });
    expect(r.uplift.verdict).toBe('too-few');
    expect(r.uplift.pValue).toBeNull();
    expect(r.uplift.ci).not.toBeNull();
  });

  it('names the better variant once the p-value is under 0.05', () => {
    const better = compareVariants({ visitors: 1000, conversions: 50 }, { visitors: 9000, conversions: 900 });
    expect(better.uplift.verdict).toBe('personalised-better');
    expect(better.uplift.absolute).toBeCloseTo(0.05, 12);
    expect(better.uplift.relative).toBeCloseTo(1, 12);
    const worse = compareVariants({ visitors: 1000, conversions: 150 }, { visitors: 9000, conversions: 900 });
    expect(worse.uplift.verdict).toBe('control-better');
  });

  it('answers without visitors in a variant, with nulls', () => {
    const r = compareVariants({ visitors: 0, conversions: 0 }, { visitors: 10, conversions: 2 });
    expect(r.control.rate).toBeNull();
    expect(r.uplift).toMatchObject({ absolute: null, ci: null, verdict: 'too-few' });
  });
});

/** One experiment's traffic: each visitor in control with probability `holdout`, converting at its variant's rate. */
function draw(rng: Rng, visitors: number, holdout: number, rateControl: number, ratePersonalised: number) {
  const control: VariantCounts = { visitors: 0, conversions: 0 };
  const personalised: VariantCounts = { visitors: 0, conversions: 0 };
  for (let i = 0; i < visitors; i++) {
    const inControl = rng.next() < holdout;
    const v = inControl ? control : personalised;
    v.visitors++;
    if (rng.next() < (inControl ? rateControl : ratePersonalised)) v.conversions++;
  }
  return { control, personalised };
}

describe('simulated experiments', () => {
  // One segment with a true uplift of 3 points (10% → 13%), another with none (8% → 8%).
  const segments = [
    { name: 'uplift', control: 0.1, personalised: 0.13 },
    { name: 'no uplift', control: 0.08, personalised: 0.08 },
  ];

  it.each(segments)('the 95% intervals cover the truth in ≥ 93% of 1,000 experiments ($name)', (segment) => {
    const rng = new Rng(17);
    const trueAbsolute = segment.personalised - segment.control;
    const trueRelative = segment.personalised / segment.control - 1;
    let absoluteCovers = 0;
    let relativeCovers = 0;
    for (let e = 0; e < 1000; e++) {
      const { control, personalised } = draw(rng, 3000, 0.2, segment.control, segment.personalised);
      const { uplift } = compareVariants(control, personalised);
      const [lo, hi] = uplift.ci!;
      if (lo <= trueAbsolute && trueAbsolute <= hi) absoluteCovers++;
      const [rlo, rhi] = uplift.relativeCi!;
      if (rlo <= trueRelative && (rhi === null || trueRelative <= rhi)) relativeCovers++;
    }
    expect(absoluteCovers).toBeGreaterThanOrEqual(930);
    expect(relativeCovers).toBeGreaterThanOrEqual(930);
  });

  /** Share of experiments in which a look after every 100 visitors ever gives a verdict other than no-difference. */
  function winnersCalled(seed: number, holdout: number, rateControl: number, ratePersonalised: number): number {
    const rng = new Rng(seed);
    let called = 0;
    for (let e = 0; e < 1000; e++) {
      const control: VariantCounts = { visitors: 0, conversions: 0 };
      const personalised: VariantCounts = { visitors: 0, conversions: 0 };
      for (let look = 0; look < 50; look++) {
        const batch = draw(rng, 100, holdout, rateControl, ratePersonalised);
        control.visitors += batch.control.visitors;
        control.conversions += batch.control.conversions;
        personalised.visitors += batch.personalised.visitors;
        personalised.conversions += batch.personalised.conversions;
        const { verdict } = compareVariants(control, personalised).uplift;
        if (verdict === 'personalised-better' || verdict === 'control-better') {
          called++;
          break;
        }
      }
    }
    return called / 1000;
  }

  it.each([
    [0.1, 0.05],
    [0.5, 0.05],
    [0.1, 0.2],
  ])('with no uplift (holdout %s, rate %s), looking every 100 visitors calls a winner in ≤ 5%', (holdout, rate) => {
    expect(winnersCalled(29, holdout, rate, rate)).toBeLessThanOrEqual(0.05);
  });

  it('with a real uplift, the same looks do call the winner most of the time', () => {
    // 10% → 15% with half held back, up to 5,000 visitors: the test has power, so the bound above is not vacuous.
    expect(winnersCalled(31, 0.5, 0.1, 0.15)).toBeGreaterThan(0.8);
  });
});
