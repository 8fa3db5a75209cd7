// One boosted-trees head for a binary target: stratified k-fold
// cross-validation on the training rows (the same folds as the logistic
// head's, so the two are compared on the same rows), the threshold chosen on
// the out-of-fold scores, then a fit on all training rows measured on the
// held-out rows through the trees that ship.
import type { BoostedHead } from '../../model/index.ts';
import type { TargetConfig } from '../config.ts';
import {
  BOOST_DEFAULTS,
  type BoostOptions,
  fitBoosted,
  predictBoosted,
  type TreeData,
} from '../estimators/boosting/boost.ts';
import { chooseThreshold, evaluateBinary } from '../estimators/metrics.ts';
import { roundTo } from '../round.ts';
import type { BinaryHeadReport } from './binary.ts';
import { CV_KEYS, describeRule, roundMetrics } from './binary.ts';
import { crossValidate, type CvSummary, summariseFolds } from './cv.ts';

export interface BoostedHeadInput {
  name: string;
  positive: string;
  data: TreeData;
  /** Training and held-out rows (indices into the data's columns) and their labels. */
  rowsTr: Uint32Array;
  ytr: Uint8Array;
  rowsTe: Uint32Array;
  yte: Uint8Array;
  config: TargetConfig;
  folds: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** The config's hyper-parameters over the defaults. */
export function boostOptions(tc: TargetConfig): BoostOptions {
  const d = BOOST_DEFAULTS;
  return {
    learningRate: tc.learningRate ?? d.learningRate,
    maxIterations: tc.maxIterations ?? d.maxIterations,
    maxLeaves: tc.maxLeaves ?? d.maxLeaves,
    minLeafSize: tc.minLeafSize ?? d.minLeafSize,
    l2: tc.l2 ?? d.l2,
    maxBins: tc.maxBins ?? d.maxBins,
    earlyStopping: tc.earlyStopping ?? d.earlyStopping,
  };
}

export function fitBoostedHead(input: BoostedHeadInput): {
  head: BoostedHead;
  report: BinaryHeadReport;
  oof: Float64Array | null;
} {
  const { data, rowsTr, ytr, rowsTe, yte, config: tc, seed } = input;
  const options = boostOptions(tc);
  const rule = tc.threshold ?? 'max-f1';
  const progress = input.onProgress ?? (() => {});
  // Labels by data row, as the booster reads them.
  const y = new Uint8Array(data.columns[0]?.length ?? 0);
  rowsTr.forEach((r, i) => {
    y[r] = ytr[i];
  });

  let positives = 0;
  for (const v of ytr) positives += v;
  const folds = Math.min(input.folds, positives, ytr.length - positives);
  const fits = (folds >= 2 ? folds : 0) + 1;
  let cv: CvSummary | null = null;
  let oof: Float64Array | null = null;
  let threshold = typeof rule === 'number' ? rule : 0.5;
  if (folds >= 2) {
    const cvd = crossValidate(ytr, folds, seed, (inRows, outRows, f) => {
      progress(f, fits);
      const fit = fitBoosted(
        data,
        y,
        Uint32Array.from(inRows, (i) => rowsTr[i]),
        options,
        seed,
      );
      return predictBoosted(
        fit,
        data,
        Uint32Array.from(outRows, (i) => rowsTr[i]),
      );
    });
    oof = cvd.oof;
    if (typeof rule !== 'number') threshold = roundTo(chooseThreshold(ytr, oof, rule), 4);
    cv = summariseFolds(cvd.perFold, CV_KEYS);
  }
  progress(fits - 1, fits);
  const fit = fitBoosted(data, y, rowsTr, options, seed);
  const pTest = predictBoosted(fit, data, rowsTe);
  const test = roundMetrics(evaluateBinary(yte, pTest, threshold));
  const testAtHalf = roundMetrics(evaluateBinary(yte, pTest, 0.5));
  progress(fits, fits);
  return {
    head: {
      name: input.name,
      positive: input.positive,
      kind: 'boosted',
      base: fit.base,
      trees: fit.trees,
      params: {
        learningRate: options.learningRate,
        maxLeaves: options.maxLeaves,
        minLeafSize: options.minLeafSize,
        l2: options.l2,
        maxBins: options.maxBins,
        iterations: fit.trees.length,
        maxIterations: options.maxIterations,
        earlyStopping: fit.earlyStopping,
      },
      threshold,
      metrics: { test, ...(cv ? { cv } : {}) },
    },
    report: {
      threshold,
      thresholdRule: describeRule(rule, cv !== null),
      test,
      testAtHalf,
      cv,
      iterations: fit.trees.length,
      classWeight: null,
    },
    oof,
  };
}
