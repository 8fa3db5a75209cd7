// Cross-validation shared by the heads: the stratified fold loop of a binary
// head, and per-fold metrics into a mean and a (population) standard
// deviation, rounded for the report.
import type { BinaryMetrics } from '../../model/index.ts';
import { evaluateBinary } from '../estimators/metrics.ts';
import { pickAt, stratifiedFolds } from '../estimators/split.ts';
import { roundTo } from '../round.ts';

export interface CvSummary {
  folds: number;
  mean: Record<string, number>;
  sd: Record<string, number>;
}

export function summariseFolds<T extends object>(perFold: T[], keys: readonly (keyof T & string)[]): CvSummary {
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  for (const key of keys) {
    const vals = perFold.map((m) => m[key] as number);
    const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
    mean[key] = roundTo(mu, 4);
    sd[key] = roundTo(Math.sqrt(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length), 4);
  }
  return { folds: perFold.length, mean, sd };
}

/** Row indices 0..n-1 where `keep` holds. */
export function indicesWhere(n: number, keep: (i: number) => boolean): Uint32Array {
  const out = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (keep(i)) out[m++] = i;
  return out.slice(0, m);
}

/**
 * Stratified k-fold cross-validation of a binary head: each fold's rows are
 * scored by `fitAndScore`, trained on the other folds' rows (indices into
 * `y`). Every training row gets its out-of-fold score; each fold its metrics
 * at threshold 0.5. Heads of every kind go through here, so they are compared
 * on the same folds.
 */
export function crossValidate(
  y: Uint8Array,
  folds: number,
  seed: number,
  fitAndScore: (inRows: Uint32Array, outRows: Uint32Array, fold: number) => Float64Array,
): { oof: Float64Array; perFold: BinaryMetrics[] } {
  const fold = stratifiedFolds(y.length, folds, seed, y);
  const oof = new Float64Array(y.length);
  const perFold: BinaryMetrics[] = [];
  for (let f = 0; f < folds; f++) {
    const inRows = indicesWhere(y.length, (i) => fold[i] !== f);
    const outRows = indicesWhere(y.length, (i) => fold[i] === f);
    const p = fitAndScore(inRows, outRows, f);
    for (let j = 0; j < outRows.length; j++) oof[outRows[j]] = p[j];
    perFold.push(evaluateBinary(pickAt(y, outRows), p, 0.5, { curves: false }));
  }
  return { oof, perFold };
}
