// A multi-class head, one-vs-rest: one L2 logistic model per class against
// all others (the same IRLS fit as the binary heads), probabilities being the
// per-class sigmoids normalised to sum to 1 — what model/engine/explain.ts computes at
// the edge. Cross-validated like the binary heads, then measured on the
// held-out rows with the rounded weights that ship.
import { classProbabilities, type ClassifierHead, type MulticlassMetrics } from '../../model/index.ts';
import { takeRows, type Matrix } from '../estimators/matrix.ts';
import type { TargetConfig } from '../config.ts';
import { balancedWeights, fitLogistic } from '../estimators/logistic.ts';
import { evaluateMulticlass } from '../estimators/metrics.ts';
import { roundAll, roundSig, roundTo } from '../round.ts';
import { stratifiedFolds } from '../estimators/split.ts';
import { indicesWhere, summariseFolds, type CvSummary } from './cv.ts';

export interface MulticlassHeadInput {
  name: string;
  classes: string[];
  Xtr: Matrix;
  /** Class index per training row. */
  ytr: Int32Array;
  Xte: Matrix;
  yte: Int32Array;
  config: TargetConfig;
  folds: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

export interface MulticlassHeadReport {
  test: MulticlassMetrics;
  cv: CvSummary | null;
  classSizes: Record<string, number>;
}

interface OvrFit {
  weights: number[][];
  intercepts: number[];
}

function fitOvr(X: Matrix, y: Int32Array, K: number, C: number, balanced: boolean): OvrFit {
  const weights: number[][] = [];
  const intercepts: number[] = [];
  for (let c = 0; c < K; c++) {
    const yc = Uint8Array.from(y, (v) => (v === c ? 1 : 0));
    const fit = fitLogistic(X.data, X.n, X.d, yc, { C, sampleWeight: balanced ? balancedWeights(yc) : undefined });
    weights.push(roundAll(fit.weights));
    intercepts.push(roundSig(fit.intercept));
  }
  return { weights, intercepts };
}

/** n × K class probabilities, computed exactly as the edge computes them. */
export function predictOvr(X: Matrix, fit: OvrFit, classes: string[]): Float64Array {
  const K = classes.length;
  const head = { name: '', classes, w: Float64Array.from(fit.weights.flat()), b: Float64Array.from(fit.intercepts) };
  const p = new Float64Array(K);
  const P = new Float64Array(X.n * K);
  for (let i = 0; i < X.n; i++) {
    const { probabilities } = classProbabilities(head, X.data.subarray(i * X.d, (i + 1) * X.d), X.d, p);
    for (let c = 0; c < K; c++) P[i * K + c] = probabilities[classes[c]];
  }
  return P;
}

const CV_KEYS = ['accuracy', 'macroF1', 'logLoss'] as const;

export function fitMulticlassHead(input: MulticlassHeadInput): { head: ClassifierHead; report: MulticlassHeadReport } {
  const { Xtr, ytr, Xte, yte, classes, seed } = input;
  const K = classes.length;
  const C = input.config.C ?? 1;
  const balanced = input.config.classWeight === 'balanced';
  const progress = input.onProgress ?? (() => {});
  const sizes = new Array<number>(K).fill(0);
  for (const v of ytr) sizes[v]++;
  const folds = Math.min(input.folds, ...sizes);
  const total = (folds >= 2 ? folds : 0) + 1;

  let cv: CvSummary | null = null;
  if (folds >= 2) {
    const fold = stratifiedFolds(Xtr.n, folds, seed, ytr);
    const perFold: Record<string, number>[] = [];
    for (let f = 0; f < folds; f++) {
      progress(f, total);
      const inIdx = indicesWhere(Xtr.n, (i) => fold[i] !== f);
      const outIdx = indicesWhere(Xtr.n, (i) => fold[i] === f);
      const fit = fitOvr(
        takeRows(Xtr, inIdx),
        Int32Array.from(inIdx, (i) => ytr[i]),
        K,
        C,
        balanced,
      );
      const m = evaluateMulticlass(
        Int32Array.from(outIdx, (i) => ytr[i]),
        predictOvr(takeRows(Xtr, outIdx), fit, classes),
        classes,
      );
      perFold.push({ accuracy: m.accuracy, macroF1: m.macroF1, logLoss: m.logLoss });
    }
    cv = summariseFolds(perFold, CV_KEYS);
  }
  progress(total - 1, total);
  const fit = fitOvr(Xtr, ytr, K, C, balanced);
  const m = evaluateMulticlass(yte, predictOvr(Xte, fit, classes), classes);
  const r = (v: number) => roundTo(v, 4);
  const test: MulticlassMetrics = {
    ...m,
    accuracy: r(m.accuracy),
    macroPrecision: r(m.macroPrecision),
    macroRecall: r(m.macroRecall),
    macroF1: r(m.macroF1),
    logLoss: r(m.logLoss),
  };
  progress(total, total);
  return {
    head: {
      name: input.name,
      method: 'ovr',
      classes,
      weights: fit.weights,
      intercepts: fit.intercepts,
      l2: roundSig(1 / C),
      metrics: { test, ...(cv ? { cv } : {}) },
    },
    report: { test, cv, classSizes: Object.fromEntries(classes.map((c, i) => [c, sizes[i]])) },
  };
}
