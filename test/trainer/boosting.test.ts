// The booster against what it promises: scikit-learn's binning, a learned
// direction for missing values, native category splits, a model that is the
// same for the same data and seed, and held-out ROC-AUC within 0.005 of
// scikit-learn's HistGradientBoostingClassifier on the shared reference tables.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrain } from '../../trainer/cli/train.ts';
import { binColumns, binCuts, binLike, splitThreshold } from '../../trainer/estimators/boosting/binning.ts';
import { BOOST_DEFAULTS, fitBoosted, predictBoosted, type TreeData } from '../../trainer/estimators/boosting/boost.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import type { TrainReport } from '../../trainer/train.ts';

const all = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);

describe('binning', () => {
  it('cuts at the midpoints between distinct values when there are few', () => {
    expect(Array.from(binCuts(Float64Array.from([1, 1, 2, 4, 4, 8]), 255))).toEqual([1.5, 3, 6]);
  });

  it('cuts at quantiles into at most maxBins bins of about equal size, missing values in a bin of their own', () => {
    const rng = new Rng(1);
    const col = Float64Array.from({ length: 10_000 }, (_, i) => (i % 50 === 0 ? Number.NaN : rng.normal()));
    const [b] = binColumns([col], ['number'], [0], all(col.length), 16, 0);
    expect(b.bins).toBe(16);
    const counts = new Array(17).fill(0);
    for (const c of b.codes) counts[c]++;
    expect(counts[16]).toBe(200);
    for (let i = 0; i < 16; i++) expect(Math.abs(counts[i] - 9800 / 16)).toBeLessThan(10);
  });

  it('finds the same bin as a binary search, for values on, between and beyond the cuts', () => {
    // How many cuts lie below v, by the definition.
    const below = (cuts: Float64Array, v: number) => cuts.filter((c) => c < v).length;
    const rng = new Rng(4);
    for (const count of [0, 1, 2, 3, 7, 8, 100, 127, 128, 254]) {
      const cuts = Float64Array.from({ length: count }, () => rng.normal()).sort();
      const values = [-Infinity, Infinity, 0, -0, -1e300, 1e300, Number.NaN];
      for (let i = 0; i < 200; i++) values.push(3 * rng.normal());
      for (const c of cuts) values.push(c, c - Math.abs(c) * 1e-15 - 1e-300, c + Math.abs(c) * 1e-15 + 1e-300);
      const column = { kind: 'number' as const, bins: count + 1, codes: new Uint8Array(0), lo: cuts, hi: cuts, cuts };
      const codes = binLike(column, Float64Array.from(values), all(values.length));
      values.forEach((v, i) => expect(codes[i]).toBe(Number.isNaN(v) ? count + 1 : below(cuts, v)));
    }
  });

  it('exports a threshold that sends every training value where its bin went, in few digits', () => {
    const rng = new Rng(2);
    const col = Float64Array.from({ length: 5000 }, () => rng.next() * 100);
    const [b] = binColumns([col], ['number'], [0], all(col.length), 255, 0);
    let wrong = 0;
    let longest = 0;
    for (let bin = 0; bin < b.bins - 1; bin++) {
      const t = splitThreshold(b, bin);
      for (let i = 0; i < col.length; i++) if (col[i] <= t !== b.codes[i] <= bin) wrong++;
      longest = Math.max(longest, String(t).length);
    }
    expect(wrong).toBe(0);
    // The values have 16 digits; a threshold needs only enough to fall between two neighbours.
    expect(longest).toBeLessThanOrEqual(10);
  });
});

/** n rows of x (number, 20% missing) and c (a category of 6 levels) with labels from `label`. */
function synthetic(n: number, label: (x: number, c: number, rng: Rng) => number, seed = 3) {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = rng.next() < 0.2 ? Number.NaN : rng.next();
    c[i] = rng.int(6);
    y[i] = label(x[i], c[i], rng);
  }
  const data: TreeData = { columns: [x, c], kinds: ['number', 'category'], levels: [0, 6], use: [true, true] };
  return { data, y };
}

describe('fitting', () => {
  it('learns where missing values go: with the positives here, not with the imputed values', () => {
    // Missing x is mostly positive, like high x; low x is mostly negative.
    const { data, y } = synthetic(4000, (x, _c, rng) =>
      (Number.isNaN(x) || x > 0.7 ? rng.next() < 0.9 : rng.next() < 0.1) ? 1 : 0,
    );
    const fit = fitBoosted(data, y, all(4000), { ...BOOST_DEFAULTS, maxIterations: 20 }, 0);
    const rows = { columns: [Float64Array.of(Number.NaN, 0.2, 0.9), Float64Array.of(0, 0, 0)] };
    const p = predictBoosted(fit, { ...data, ...rows }, all(3));
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[1]).toBeLessThan(0.2);
    expect(p[2]).toBeGreaterThan(0.8);
    const root = fit.trees[0];
    expect(root.feature[0]).toBe(0);
    // The root's left side is low x, and missing values were sent right, with high x.
    expect(root.missingLeft[0]).toBe(0);
  });

  it('splits a category by a set of its levels in one node, LightGBM-style', () => {
    const { data, y } = synthetic(3000, (_x, c, rng) => (rng.next() < ([1, 3, 4].includes(c) ? 0.85 : 0.15) ? 1 : 0));
    const fit = fitBoosted(data, y, all(3000), { ...BOOST_DEFAULTS, maxIterations: 1, maxLeaves: 2 }, 0);
    const [tree] = fit.trees;
    expect(tree.feature).toEqual([1]);
    const left = tree.categories![0]!;
    expect([
      [1, 3, 4],
      [0, 2, 5],
    ]).toContainEqual(left);
  });

  it('is the same for the same data and seed, and early stopping holds out rows by the seed', () => {
    const { data, y } = synthetic(12_000, (x, c, rng) =>
      rng.next() < ((Number.isNaN(x) ? 0.5 : x) * (c + 1)) / 6 ? 1 : 0,
    );
    const a = fitBoosted(data, y, all(12_000), BOOST_DEFAULTS, 7);
    const b = fitBoosted(data, y, all(12_000), BOOST_DEFAULTS, 7);
    expect(a.earlyStopping).toBe(true);
    expect(a.trees.length).toBeLessThan(100);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = fitBoosted(data, y, all(12_000), { ...BOOST_DEFAULTS, earlyStopping: false }, 7);
    expect(c.trees.length).toBe(100);
  });

  it('gives the same trees the scorer walks as it grew: training predictions from bins and from the trees agree', () => {
    const { data, y } = synthetic(
      2000,
      (x, c, rng) => (rng.next() < (Number.isNaN(x) ? 0.3 : x) ? 1 : 0) ^ (c === 2 ? 1 : 0),
    );
    const fit = fitBoosted(data, y, all(2000), { ...BOOST_DEFAULTS, maxIterations: 30 }, 0);
    const p = predictBoosted(fit, data, all(2000));
    // Log loss on the training rows falls well below the base rate's: the walk reaches the leaves the fit filled.
    let loss = 0;
    let base = 0;
    const rate = y.reduce((s, v) => s + v, 0) / y.length;
    for (let i = 0; i < y.length; i++) {
      loss -= Math.log(y[i] ? p[i] : 1 - p[i]);
      base -= Math.log(y[i] ? rate : 1 - rate);
    }
    expect(loss).toBeLessThan(0.8 * base);
  });
});

const REF = '../shared/reference';
const present = existsSync(join(REF, 'reference.json'));
if (!present)
  console.warn(
    `skipping the boosted-tree reference bars: ${REF}/reference.json is not there (it sits beside the checkout in development and CI)`,
  );
const reference = (name: string) => JSON.parse(readFileSync(join(REF, 'reference.json'), 'utf8'))[name];
const dir = mkdtempSync(join(tmpdir(), 'edgeseg-boost-'));

async function train(name: string, target: string, extra: string[] = []): Promise<TrainReport> {
  const out = join(dir, `${name}-${extra.length}`);
  const args = ['--data', join(REF, `${name}.train.csv`), '--test', join(REF, `${name}.test.csv`), '--target', target];
  await runTrain([...args, ...extra, '--out', out, '--quiet'], () => {});
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}

describe.skipIf(!present)('against scikit-learn on ../shared/reference', () => {
  it.each([
    ['breast_cancer', 'diagnosis'],
    ['telco_churn', 'Churn'],
  ])('%s: boosted held-out ROC-AUC within 0.005 of HistGradientBoostingClassifier', async (name, target) => {
    const config = join(dir, `${name}.config.json`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, JSON.stringify({ target: { [target]: { model: 'boosted' } } }));
    const report = await train(name, target, ['--config', config, '--k', '2']);
    expect(report.targets[0].model).toBe('boosted');
    expect(
      Math.abs(report.targets[0].testAtHalf.rocAuc - reference(name).trees.sklearn_hgb.roc_auc),
    ).toBeLessThanOrEqual(0.005);
  });

  // What the automatic choice promises: with defaults and nothing but --data, --test and --target, the shipped head is as good as the better reference.
  it.each([
    ['breast_cancer', 'diagnosis'],
    ['telco_churn', 'Churn'],
  ])('%s: the shipped head is at least the better of logistic and HGB less 0.005', async (name, target) => {
    const ref = reference(name);
    const report = await train(name, target);
    const t = report.targets[0];
    expect(t.choice).toBeDefined();
    expect(t.testAtHalf.rocAuc).toBeGreaterThanOrEqual(
      Math.max(ref.logistic.roc_auc, ref.trees.sklearn_hgb.roc_auc) - 0.005,
    );
    if (name === 'telco_churn') expect(t.model).toBe('logistic');
  });
});
