// ROC and precision–recall curves as the model stores them: points on a
// straight line between their neighbours are dropped, which changes neither
// the line drawn nor the area under it; long curves are still thinned.
import { describe, expect, it } from 'vitest';
import {
  chooseThreshold,
  curvePoints,
  dropCollinear,
  evaluateBinary,
  rocAuc,
} from '../../trainer/estimators/metrics.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

type Curve = [number, number][];
const unit = (v: number) => Math.round(v * 1e4);

/** Twice the trapezoid area in (1e-4)² units: integers, so two areas compare exactly. */
const area2 = (c: Curve) =>
  c.slice(1).reduce((s, [x, y], i) => s + (unit(x) - unit(c[i][0])) * (unit(y) + unit(c[i][1])), 0);

/** Whether p lies on the polyline through `kept` (exactly, in 1e-4 units). */
function onPolyline(p: [number, number], kept: Curve): boolean {
  const [px, py] = p.map(unit);
  return kept.slice(1).some(([bx, by], i) => {
    const [ax, ay] = kept[i].map(unit);
    [bx, by] = [unit(bx), unit(by)];
    const cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax);
    return (
      cross === 0 &&
      Math.min(ax, bx) <= px &&
      px <= Math.max(ax, bx) &&
      Math.min(ay, by) <= py &&
      py <= Math.max(ay, by)
    );
  });
}

/** The full ROC and PR curves, one point per distinct score, rounded as stored (written apart from trainer/metrics.ts). */
function fullCurves(y: Uint8Array, p: Float64Array): { roc: Curve; pr: Curve } {
  const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a]);
  const P = y.reduce((s, v) => s + v, 0);
  const N = y.length - P;
  const r = (v: number) => unit(v) / 1e4;
  const roc: Curve = [[0, 0]];
  const pr: Curve = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, at) => {
    y[i] ? tp++ : fp++;
    if (at + 1 < order.length && p[order[at + 1]] === p[i]) return;
    roc.push([r(fp / N), r(tp / P)]);
    pr.push([r(tp / P), r(tp / (tp + fp))]);
  });
  return { roc, pr };
}

/** Scores on a coarse grid (many ties, so diagonal steps too) for n rows, positives scoring higher on average. */
function scored(n: number, seed: number, grid: number): { y: Uint8Array; p: Float64Array } {
  const rng = new Rng(seed);
  const y = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const p = Float64Array.from(
    y,
    (v) => Math.round(Math.min(1, Math.max(0, 0.35 + 0.3 * v + (rng.next() - 0.5) * 0.7)) * grid) / grid,
  );
  return { y, p };
}

describe('dropCollinear', () => {
  it('keeps the corners of a staircase and the ends', () => {
    const stairs: Curve = [
      [0, 0],
      [0, 0.25],
      [0, 0.5],
      [0.25, 0.5],
      [0.5, 0.5],
      [0.5, 0.75],
      [0.5, 1],
      [0.75, 1],
      [1, 1],
    ];
    expect(dropCollinear(stairs)).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
  });

  it('drops repeated points and points on a diagonal, keeps a point where the curve turns back', () => {
    expect(
      dropCollinear([
        [0, 0],
        [0, 0],
        [0.1, 0.2],
        [0.2, 0.4],
        [0.2, 0.4],
        [0.3, 0.5],
      ]),
    ).toEqual([
      [0, 0],
      [0.2, 0.4],
      [0.3, 0.5],
    ]);
    expect(
      dropCollinear([
        [0.5, 1],
        [0.5, 0.6],
        [0.5, 0.8],
        [1, 0.8],
      ]),
    ).toEqual([
      [0.5, 1],
      [0.5, 0.6],
      [0.5, 0.8],
      [1, 0.8],
    ]);
    expect(dropCollinear([[0, 0]])).toEqual([[0, 0]]);
  });

  it('keeps a point off the line by 1e-4 (collinear means exactly, after rounding)', () => {
    expect(
      dropCollinear([
        [0, 0],
        [0.5, 0.5001],
        [1, 1],
      ]),
    ).toHaveLength(3);
  });
});

describe('stored ROC and PR curves', () => {
  it.each([
    ['ties on a 0.05 grid', 300, 1, 20],
    ['ties on a 0.1 grid', 120, 2, 10],
    ['a small held-out set', 40, 3, 1000],
  ])('%s: fewer points, the same line, the same area as the full curve', (_, n, seed, grid) => {
    const { y, p } = scored(n, seed, grid);
    const full = fullCurves(y, p);
    const m = evaluateBinary(y, p);
    for (const [stored, whole] of [
      [m.roc!, full.roc],
      [m.pr!, full.pr],
    ]) {
      expect(whole.length).toBeLessThanOrEqual(60); // nothing thinned: the pruned curve is the whole curve
      expect(stored.length).toBeLessThan(whole.length);
      expect(stored[0]).toEqual(whole[0]);
      expect(stored.at(-1)).toEqual(whole.at(-1));
      expect(area2(stored)).toBe(area2(whole));
      for (const q of whole) expect(onPolyline(q, stored)).toBe(true);
    }
    // The area under the stored ROC curve is the AUC, up to the 1e-4 rounding of its points.
    expect(area2(m.roc!) / 2e8).toBeCloseTo(m.rocAuc, 3);
  });

  it('thins a curve that still has more than 60 corners, ends kept', () => {
    const { y, p } = scored(3000, 4, 1e6);
    const full = fullCurves(y, p);
    const roc = evaluateBinary(y, p).roc!;
    expect(dropCollinear(full.roc).length).toBeGreaterThan(60);
    expect(roc).toHaveLength(60);
    expect([roc[0], roc.at(-1)]).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(curvePoints(full.roc)).toEqual(roc);
  });
});

describe('ranking metrics from the classes sorted apart', () => {
  /** ROC-AUC counted pair by pair: a positive above a negative counts 1, a tie ½. */
  function pairAuc(y: Uint8Array, p: Float64Array): number {
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < y.length; i++)
      for (let j = 0; j < y.length; j++)
        if (y[i] && !y[j]) {
          pairs++;
          wins += p[i] > p[j] ? 1 : p[i] === p[j] ? 0.5 : 0;
        }
    return wins / pairs;
  }

  it.each([
    ['ties on a 0.05 grid', 300, 4, 20],
    ['ties on a 0.5 grid', 200, 5, 2],
    ['nearly no ties', 250, 6, 1e6],
  ])('%s: ROC-AUC is the pairwise count', (_, n, seed, grid) => {
    const { y, p } = scored(n, seed, grid);
    expect(rocAuc(y, p)).toBeCloseTo(pairAuc(y, p), 12);
  });

  it('gives the same ranking figures whatever order the rows come in, and NaN for one class', () => {
    const { y, p } = scored(400, 7, 20);
    const order = Array.from(y.keys()).reverse();
    const y2 = Uint8Array.from(order, (i) => y[i]);
    const p2 = Float64Array.from(order, (i) => p[i]);
    const ranking = ({ rocAuc, prAuc, roc, pr }: ReturnType<typeof evaluateBinary>) => ({ rocAuc, prAuc, roc, pr });
    expect(ranking(evaluateBinary(y2, p2))).toEqual(ranking(evaluateBinary(y, p)));
    expect(chooseThreshold(y2, p2)).toBe(chooseThreshold(y, p));
    expect(rocAuc(new Uint8Array(5).fill(1), p.subarray(0, 5))).toBeNaN();
  });
});
