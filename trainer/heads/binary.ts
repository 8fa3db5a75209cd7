// One logistic head for a binary target: L2-regularised with an intercept,
// optional balanced class weights, stratified k-fold cross-validation on the
// training rows (the spread of each metric, and out-of-fold scores on which
// the decision threshold is chosen), then a fit on all training rows measured
// on the held-out rows with the rounded weights that ship.
import type { BinaryMetrics, LogisticHead } from '../../model/index.ts';
import type { Matrix } from '../estimators/matrix.ts';
import type { TargetConfig } from '../config.ts';
import { balancedWeights, fitLogistic, predictLogistic } from '../estimators/logistic.ts';
import { chooseThreshold, evaluateBinary } from '../estimators/metrics.ts';
import { roundAll, roundSig, roundTo } from '../round.ts';
import { pickAt } from '../estimators/split.ts';
import { crossValidate, summariseFolds, type CvSummary } from './cv.ts';

export interface BinaryHeadInput {
  name: string;
  positive: string;
  Xtr: Matrix;
  ytr: Uint8Array;
  Xte: Matrix;
  yte: Uint8Array;
  config: TargetConfig;
  folds: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface BinaryHeadReport {
  threshold: number;
  /** How the threshold was chosen, in words. */
  thresholdRule: string;
  test: BinaryMetrics;
  /** The same held-out rows at threshold 0.5, the figure scikit-learn's accuracy is quoted at. */
  testAtHalf: BinaryMetrics;
  cv: CvSummary | null;
  iterations: number;
  classWeight: 'balanced' | null;
}

export const CV_KEYS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'prAuc', 'brier'] as const;

export function fitBinaryHead(input: BinaryHeadInput): {
  head: LogisticHead;
  report: BinaryHeadReport;
  /** Out-of-fold probabilities per training row (null with too few rows to cross-validate). */
  oof: Float64Array | null;
} {
  const { Xtr, ytr, Xte, yte, config: tc, seed } = input;
  const d = Xtr.d;
  const C = tc.C ?? 1;
  const weightsFor = (y: Uint8Array) => (tc.classWeight === 'balanced' ? balancedWeights(y) : undefined);
  const rule = tc.threshold ?? 'max-f1';
  const progress = input.onProgress ?? (() => {});

  let positives = 0;
  for (const v of ytr) positives += v;
  const folds = Math.min(input.folds, positives, ytr.length - positives);
  // Progress in fits: one per fold, then the final one.
  const fits = (folds >= 2 ? folds : 0) + 1;
  let cv: CvSummary | null = null;
  let threshold = typeof rule === 'number' ? rule : 0.5;
  let oofScores: Float64Array | null = null;
  if (folds >= 2) {
    // Each fit starts from the previous one: folds share most of their rows, so Newton starts near
    // the optimum and needs fewer passes (same optimum, to the convergence tolerance).
    let start: { weights: Float64Array; intercept: number } | undefined;
    const { oof, perFold } = crossValidate(ytr, folds, seed, (inRows, outRows, f) => {
      progress(f, fits);
      const yIn = pickAt(ytr, inRows);
      const fit = fitLogistic(Xtr.data, inRows.length, d, yIn, {
        C,
        sampleWeight: weightsFor(yIn),
        start,
        rows: inRows,
      });
      start = fit;
      return predictLogistic(Xtr.data, outRows.length, d, fit, outRows);
    });
    if (typeof rule !== 'number') threshold = roundTo(chooseThreshold(ytr, oof, rule), 4);
    cv = summariseFolds(perFold, CV_KEYS);
    oofScores = oof;
  }
  progress(fits - 1, fits);

  const fit = fitLogistic(Xtr.data, Xtr.n, d, ytr, { C, sampleWeight: weightsFor(ytr) });
  const rounded = { weights: roundAll(fit.weights), intercept: roundSig(fit.intercept) };
  // Evaluate what ships: the rounded weights on held-out rows.
  const pTest = predictLogistic(Xte.data, Xte.n, d, rounded);
  const test = roundMetrics(evaluateBinary(yte, pTest, threshold));
  const testAtHalf = roundMetrics(evaluateBinary(yte, pTest, 0.5));
  progress(fits, fits);
  return {
    head: {
      name: input.name,
      positive: input.positive,
      weights: rounded.weights,
      intercept: rounded.intercept,
      threshold,
      l2: roundSig(1 / C),
      metrics: { test, ...(cv ? { cv } : {}) },
    },
    report: {
      threshold,
      thresholdRule: describeRule(rule, cv !== null),
      test,
      testAtHalf,
      cv,
      iterations: fit.iterations,
      classWeight: tc.classWeight === 'balanced' ? 'balanced' : null,
    },
    oof: oofScores,
  };
}

export function describeRule(rule: NonNullable<TargetConfig['threshold']>, validated: boolean): string {
  if (typeof rule === 'number') return `fixed at ${rule} by the config`;
  if (!validated) return 'too few rows of each class to validate a threshold: 0.5';
  if (rule === 'max-f1') return 'maximises F1 on out-of-fold scores';
  if ('precision' in rule) return `highest recall with precision ≥ ${rule.precision} on out-of-fold scores`;
  return `highest precision with recall ≥ ${rule.recall} on out-of-fold scores`;
}

export function roundMetrics(m: BinaryMetrics): BinaryMetrics {
  const r = (v: number) => roundTo(v, 4);
  return {
    ...m,
    positiveRate: r(m.positiveRate),
    accuracy: r(m.accuracy),
    precision: r(m.precision),
    recall: r(m.recall),
    f1: r(m.f1),
    rocAuc: r(m.rocAuc),
    ...(m.prAuc !== undefined ? { prAuc: r(m.prAuc) } : {}),
    ...(m.brier !== undefined ? { brier: r(m.brier) } : {}),
  };
}
