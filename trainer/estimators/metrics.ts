// Evaluation of a binary scorer: threshold metrics, ranking metrics (ROC-AUC
// with ties handled as the Mann–Whitney statistic, PR-AUC as average
// precision like scikit-learn), Brier score, curves and calibration bins.
import type { BinaryMetrics, MulticlassMetrics } from '../../model/index.ts';

/**
 * Each class's scores, sorted ascending. A typed array's own sort compares
 * numbers natively; sorting row indices with a comparator cost ~1 s a call on
 * 200k rows, and training evaluates every fold and the held-out rows.
 */
interface ScoresByClass {
  pos: Float64Array;
  neg: Float64Array;
}

function scoresByClass(y: Uint8Array, p: Float64Array): ScoresByClass {
  let P = 0;
  for (let i = 0; i < y.length; i++) if (y[i]) P++;
  const pos = new Float64Array(P);
  const neg = new Float64Array(y.length - P);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i]) pos[a++] = p[i];
    else neg[b++] = p[i];
  }
  return { pos: pos.sort(), neg: neg.sort() };
}

/** How many of `s[from…]` (ascending) equal `v`; NaN, sorted last, ties with NaN. */
function runUp(s: Float64Array, from: number, v: number): number {
  let i = from;
  if (Number.isNaN(v)) return s.length - from;
  while (i < s.length && s[i] === v) i++;
  return i - from;
}

/** How many of `s[…from]` (read downwards) equal `v`. */
function runDown(s: Float64Array, from: number, v: number): number {
  let i = from;
  if (Number.isNaN(v)) while (i >= 0 && Number.isNaN(s[i])) i--;
  else while (i >= 0 && s[i] === v) i--;
  return from - i;
}

export function rocAuc(y: Uint8Array, p: Float64Array): number {
  return aucOf(scoresByClass(y, p));
}

/** ROC-AUC of scores already sorted by class (scoresByClass). */
function aucOf({ pos, neg }: ScoresByClass): number {
  const P = pos.length;
  const N = neg.length;
  if (P === 0 || N === 0) return NaN;
  // Merging the two sorted classes walks the scores in ascending order, a run of tied scores at a time.
  let rankSum = 0;
  for (let i = 0, j = 0; i < P || j < N; ) {
    const v = i < P && (j >= N || pos[i] <= neg[j] || Number.isNaN(neg[j])) ? pos[i] : neg[j];
    const tiedPos = runUp(pos, i, v);
    const tiedNeg = runUp(neg, j, v);
    const first = i + j;
    const avgRank = (first + (first + tiedPos + tiedNeg - 1)) / 2 + 1;
    for (let t = 0; t < tiedPos; t++) rankSum += avgRank;
    i += tiedPos;
    j += tiedNeg;
  }
  return (rankSum - (P * (P + 1)) / 2) / (P * N);
}

/**
 * The confusion counts at each distinct threshold, descending: true and false
 * positives when every score at or above `thresholds[i]` is called positive,
 * for i < `cuts`; and the average precision (PR-AUC as scikit-learn's).
 */
interface Cuts {
  cuts: number;
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  ap: number;
  P: number;
  N: number;
}

function cutsOf({ pos, neg }: ScoresByClass): Cuts {
  const P = pos.length;
  const N = neg.length;
  const thresholds = new Float64Array(P + N);
  const tpAt = new Float64Array(P + N);
  const fpAt = new Float64Array(P + N);
  let cuts = 0;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let prevRecall = 0;
  // The classes merged from their tops down: descending scores, a run of tied scores at a time.
  for (let i = P - 1, j = N - 1; i >= 0 || j >= 0; ) {
    const v = i >= 0 && (j < 0 || pos[i] >= neg[j] || Number.isNaN(pos[i])) ? pos[i] : neg[j];
    const tiedPos = i >= 0 ? runDown(pos, i, v) : 0;
    const tiedNeg = j >= 0 ? runDown(neg, j, v) : 0;
    i -= tiedPos;
    j -= tiedNeg;
    tp += tiedPos;
    fp += tiedNeg;
    const recall = P ? tp / P : 0;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    thresholds[cuts] = v;
    tpAt[cuts] = tp;
    fpAt[cuts] = fp;
    cuts++;
  }
  return { cuts, thresholds, tp: tpAt, fp: fpAt, ap, P, N };
}

/** The ROC curve (from (0, 0)) and the PR curve, a point per cut. */
function curves(c: Cuts): { roc: [number, number][]; pr: [number, number][] } {
  const roc: [number, number][] = [[0, 0]];
  const pr: [number, number][] = [];
  for (let i = 0; i < c.cuts; i++) {
    const recall = c.P ? c.tp[i] / c.P : 0;
    roc.push([c.N ? c.fp[i] / c.N : 0, recall]);
    pr.push([recall, c.tp[i] / (c.tp[i] + c.fp[i])]);
  }
  return { roc, pr };
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

/**
 * The metrics of scores `p` against labels `y` at `threshold`. Without
 * `curves` (cross-validation folds, which keep only the figures), the ROC and
 * PR curves and the calibration bins are left out.
 */
export function evaluateBinary(
  y: Uint8Array,
  p: Float64Array,
  threshold = 0.5,
  { curves: withCurves = true }: { curves?: boolean } = {},
): BinaryMetrics {
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
  // One sort of each class's scores serves the ROC-AUC and the cuts.
  const classes = scoresByClass(y, p);
  const c = cutsOf(classes);
  const figures: BinaryMetrics = {
    rows: n,
    positiveRate: pos / n,
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    rocAuc: aucOf(classes),
    prAuc: c.ap,
    brier: brier / n,
    confusion: [
      [tn, fp],
      [fn, tp],
    ],
  };
  if (!withCurves) return figures;
  const { roc, pr } = curves(c);
  const bins = 10;
  const calib = Array.from({ length: bins }, () => [0, 0, 0]);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    calib[b][0] += p[i];
    calib[b][1] += y[i];
    calib[b][2]++;
  }
  return {
    ...figures,
    roc: curvePoints(roc),
    pr: curvePoints(pr),
    calibration: calib.filter((b) => b[2] > 0).map(([sp, sy, cnt]) => [round4(sp / cnt), round4(sy / cnt), cnt]),
  };
}

export type ThresholdRule = 'max-f1' | number | { precision: number } | { recall: number };

/** Picks a decision threshold on validation scores by the given rule. */
export function chooseThreshold(y: Uint8Array, p: Float64Array, rule: ThresholdRule = 'max-f1'): number {
  if (typeof rule === 'number') return rule;
  const c = cutsOf(scoresByClass(y, p));
  let best = 0.5;
  let bestScore = -1;
  for (let i = 0; i < c.cuts; i++) {
    const tp = c.tp[i];
    const fp = c.fp[i];
    const precision = tp / (tp + fp);
    const recall = c.P ? tp / c.P : 0;
    let score: number;
    if (rule === 'max-f1') score = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    else if ('precision' in rule) score = precision >= rule.precision ? recall : -1;
    else score = recall >= rule.recall ? precision : -1;
    if (score > bestScore) {
      bestScore = score;
      // Midway to the next lower score keeps the cut robust to rounding.
      const next = i + 1 < c.cuts ? c.thresholds[i + 1] : 0;
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
