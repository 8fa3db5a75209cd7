// The chunked, column-wise Newton fit still solves scikit-learn's problem, and
// sharing its chunks with worker threads does not change a bit of the result.
import { afterEach, describe, expect, it } from 'vitest';
import { balancedWeights, fitLogistic, predictLogistic } from '../../trainer/estimators/logistic.ts';
import { configureParallel, parallelSettings, startWorkers, workerItemCount } from '../../trainer/parallel/pool.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

/** Correlated-ish features with unequal scales and a known logistic truth. */
function logisticData(n: number, d: number, seed: number): { X: Float64Array; y: Uint8Array } {
  const rng = new Rng(seed);
  const X = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.5;
    for (let j = 0; j < d; j++) {
      const v = rng.normal() * (1 + j / 4) + (j === 2 ? 1 : 0);
      X[i * d + j] = v;
      z += (v * (j % 3 === 0 ? 0.8 : -0.3)) / (1 + j / 4);
    }
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X, y };
}

// scikit-learn 1.2.1, LogisticRegression(C, tol=1e-12, solver='newton-cg') on
// logisticData(5000, 8, 21), written out by the same code and read with numpy.
// (The default lbfgs stops earlier: within 3e-5 of these on the balanced case.)
const SKLEARN = [
  {
    C: 1,
    balanced: false,
    coef: [0.817513, -0.189161, -0.208338, 0.429873, -0.143168, -0.11528, 0.312266, -0.10789],
    intercept: -0.46012,
  },
  {
    C: 0.05,
    balanced: false,
    coef: [0.79232, -0.184808, -0.204201, 0.422891, -0.14122, -0.113806, 0.308198, -0.106498],
    intercept: -0.458371,
  },
  {
    C: 1,
    balanced: true,
    coef: [0.820823, -0.187514, -0.210949, 0.434123, -0.144819, -0.11566, 0.315202, -0.111179],
    intercept: 0.019426,
  },
];

const initial = parallelSettings();
afterEach(() => configureParallel(initial));

describe('fitLogistic', () => {
  const { X, y } = logisticData(5000, 8, 21);

  it.each(SKLEARN)(
    'matches the optimum scikit-learn finds, to 1e-5 (C=$C, balanced=$balanced)',
    ({ C, balanced, coef, intercept }) => {
      const fit = fitLogistic(X, 5000, 8, y, { C, sampleWeight: balanced ? balancedWeights(y) : undefined });
      expect(fit.converged).toBe(true);
      fit.weights.forEach((w, j) => expect(Math.abs(w - coef[j]), `coefficient ${j}`).toBeLessThan(1e-5));
      expect(Math.abs(fit.intercept - intercept)).toBeLessThan(1e-5);
    },
  );

  it('gives the same coefficients on worker threads as on one thread, bit for bit', () => {
    startWorkers(1);
    const big = logisticData(40_000, 6, 3);
    configureParallel({ threads: 1, minWork: 0 });
    const one = fitLogistic(big.X, 40_000, 6, big.y, { C: 0.5, sampleWeight: balancedWeights(big.y) });
    configureParallel({ threads: 2, minWork: 0 });
    const before = workerItemCount();
    const two = fitLogistic(big.X, 40_000, 6, big.y, { C: 0.5, sampleWeight: balancedWeights(big.y) });
    expect(workerItemCount()).toBeGreaterThan(before);
    expect(two.weights).toEqual(one.weights);
    expect(two.intercept).toBe(one.intercept);
    expect(two.iterations).toBe(one.iterations);
  });

  it('reaches the same optimum in fewer steps when started from a fit on overlapping rows', () => {
    // As cross-validation does: fit on 4,000 of the rows, then start the fit on all 5,000 there.
    const part = fitLogistic(X.subarray(0, 4000 * 8), 4000, 8, y.subarray(0, 4000), { C: 1 });
    const cold = fitLogistic(X, 5000, 8, y, { C: 1 });
    const warm = fitLogistic(X, 5000, 8, y, { C: 1, start: part });
    expect(warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    warm.weights.forEach((w, j) => expect(Math.abs(w - SKLEARN[0].coef[j]), `coefficient ${j}`).toBeLessThan(1e-5));
    expect(Math.abs(warm.intercept - SKLEARN[0].intercept)).toBeLessThan(1e-5);
  });

  it('fits some rows of a matrix, read in place, exactly as a copy of those rows', () => {
    const { X, y } = logisticData(3000, 6, 5);
    const rows = Uint32Array.from({ length: 1000 }, (_, i) => 3 * i + (i % 3));
    const copy = Float64Array.from({ length: rows.length * 6 }, (_, k) => X[rows[Math.floor(k / 6)] * 6 + (k % 6)]);
    const yRows = Uint8Array.from(rows, (r) => y[r]);
    const inPlace = fitLogistic(X, rows.length, 6, yRows, { C: 0.5, rows });
    const copied = fitLogistic(copy, rows.length, 6, yRows, { C: 0.5 });
    expect(inPlace).toEqual(copied);
    expect(predictLogistic(X, rows.length, 6, inPlace, rows)).toEqual(predictLogistic(copy, rows.length, 6, copied));
    expect(() => fitLogistic(X, 999, 6, yRows, { rows })).toThrow(/1000 rows .* given for 999 rows/);
  });

  it('rejects data whose length is not n × d', () => {
    expect(() => fitLogistic(new Float64Array(10), 3, 3, new Uint8Array(3))).toThrow(
      /10 values do not make a 3×3 matrix/,
    );
  });
});
