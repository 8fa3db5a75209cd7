// Evaluation of a binary scorer: threshold metrics, ranking metrics (ROC-AUC
// with ties handled as the Mann–Whitney statistic, PR-AUC as average
// precision like scikit-learn), Brier score, curves and calibration bins.
import type { BinaryMetrics, MulticlassMetrics } from '../../model/index.ts';

export function rocAuc(y: Uint8Array, p: Float64Array): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]] === p[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++)
      if (y[order[t]]) {
        pos++;
        rankSum += avgRank;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Points of the ROC and PR curves at each distinct threshold, descending. */
function curves(y: Uint8Array, p: Float64Array) {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  let P = 0;
  for (let i = 0; i < n; i++) P += y[i];
  const N = n - P;
  const roc: [number, number][] = [[0, 0]];
  const pr: [number, number][] = [];
  const thresholds: number[] = [];
  const tpAt: number[] = [];
  const fpAt: number[] = [];
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]] === p[order[i]]) j++;
    for (let t = i; t <= j; t++) y[order[t]] ? tp++ : fp++;
    const recall = P ? tp / P : 0;
    const precision = tp / (tp + fp);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
    roc.push([N ? fp / N : 0, recall]);
    pr.push([recall, precision]);
    thresholds.push(p[order[i]]);
    tpAt.push(tp);
    fpAt.push(fp);
    i = j + 1;
  }
  return { roc, pr, ap, thresholds, tpAt, fpAt, P, N };
}

/**
 * A curve as stored in the model: rounded to 1e-4, the points on a straight
 * line between their neighbours dropped (the line drawn and the area under it
 * stay exactly the same), then at most `max` points kept.
 */
export function curvePoints(points: [number, number][], max = 60): [number, number][] {
  return thin(dropCollinear(points.map(([a, b]) => [round4(a), round4(b)])), max);
}

/** Keeps at most `max` points, evenly spaced along the curve, ends included. */
export function thin(points: [number, number][], max = 60): [number, number][] {
  if (points.length <= max) return points;
  return Array.from({ length: max }, (_, i) => points[Math.round((i * (points.length - 1)) / (max - 1))]);
}

/**
 * Drops each interior point that lies on the segment between the points kept
 * around it (ends always kept). Collinearity is decided on the points in 1e-4
 * units as integers, so "on the line" is exact, not within a tolerance; a
 * point collinear but outside the segment (the curve turning back) is kept.
 */
export function dropCollinear(points: [number, number][]): [number, number][] {
  const unit = (v: number) => Math.round(v * 1e4);
  const out: [number, number][] = [];
  for (const p of points) {
    while (out.length >= 2) {
      const [a, b] = [out[out.length - 2], out[out.length - 1]];
      const abx = unit(b[0]) - unit(a[0]),
        aby = unit(b[1]) - unit(a[1]);
      const bcx = unit(p[0]) - unit(b[0]),
        bcy = unit(p[1]) - unit(b[1]);
      if (abx * bcy - aby * bcx !== 0 || abx * bcx + aby * bcy < 0) break;
      out.pop();
    }
    out.push(p);
  }
  return out;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;

export function evaluateBinary(y: Uint8Array, p: Float64Array, threshold = 0.5): BinaryMetrics {
  const n = y.length;
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0,
    brier = 0,
    pos = 0;
  for (let i = 0; i < n; i++) {
    const pred = p[i] >= threshold;
    if (y[i]) {
      pos++;
      pred ? tp++ : fn++;
    } else {
      pred ? fp++ : tn++;
    }
    brier += (p[i] - y[i]) ** 2;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const c = curves(y, p);
  const bins = 10;
  const calib = Array.from({ length: bins }, () => [0, 0, 0]);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    calib[b][0] += p[i];
    calib[b][1] += y[i];
    calib[b][2]++;
  }
  return {
    rows: n,
    positiveRate: pos / n,
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    rocAuc: rocAuc(y, p),
    prAuc: c.ap,
    brier: brier / n,
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
    roc: curvePoints(c.roc),
    pr: curvePoints(c.pr),
    calibration: calib.filter((b) => b[2] > 0).map(([sp, sy, cnt]) => [round4(sp / cnt), round4(sy / cnt), cnt]),
  };
}

export type ThresholdRule = 'max-f1' | number | { precision: number } | { recall: number };

/** Picks a decision threshold on validation scores by the given rule. */
export function chooseThreshold(y: Uint8Array, p: Float64Array, rule: ThresholdRule = 'max-f1'): number {
  if (typeof rule === 'number') return rule;
  const c = curves(y, p);
  let best = 0.5;
  let bestScore = -1;
  for (let i = 0; i < c.thresholds.length; i++) {
    const tp = c.tpAt[i];
    const fp = c.fpAt[i];
    const precision = tp / (tp + fp);
    const recall = c.P ? tp / c.P : 0;
    let score: number;
    if (rule === 'max-f1') score = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    else if ('precision' in rule) score = precision >= rule.precision ? recall : -1;
    else score = recall >= rule.recall ? precision : -1;
    if (score > bestScore) {
      bestScore = score;
      // Midway to the next lower score keeps the cut robust to rounding.
      const next = c.thresholds[i + 1] ?? 0;
      best = (c.thresholds[i] + next) / 2;
    }
  }
  return best;
}

/**
 * Multi-class evaluation of class probabilities P (n × K, row-major): the
 * predicted class is the most probable one.
 */
export function evaluateMulticlass(y: Int32Array, P: Float64Array, classes: string[]): MulticlassMetrics {
  const K = classes.length;
  const n = y.length;
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < K; c++) if (P[i * K + c] > P[i * K + best]) best = c;
    confusion[y[i]][best]++;
    if (best === y[i]) correct++;
    logLoss -= Math.log(Math.max(P[i * K + y[i]], 1e-15));
  }
  const perClass: MulticlassMetrics['perClass'] = {};
  let mp = 0,
    mr = 0,
    mf = 0;
  for (let c = 0; c < K; c++) {
    const tp = confusion[c][c];
    let predicted = 0;
    let support = 0;
    for (let r = 0; r < K; r++) {
      predicted += confusion[r][c];
      support += confusion[c][r];
    }
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[classes[c]] = { precision: round4(precision), recall: round4(recall), f1: round4(f1), support };
    mp += precision;
    mr += recall;
    mf += f1;
  }
  return {
    rows: n,
    accuracy: n ? correct / n : 0,
    macroPrecision: mp / K,
    macroRecall: mr / K,
    macroF1: mf / K,
    logLoss: n ? logLoss / n : 0,
    perClass,
    confusion,
  };
}
