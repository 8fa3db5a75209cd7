// The compiled linear scorer: everything scoring computes from an encoded
// vector, compiled into one matrix applied straight to the scaled values.
// Learned state only, never written after compileLinear; the per-record
// outputs and row offsets live in a Scorer (scorer.ts, scored by score.ts).
import type { Model } from '../contract/types.ts';
import { DERIVED, NUMERIC, ONEHOT, type EncoderSteps } from './encoder.ts';

/**
 * Everything the scorer computes from an encoded vector x is linear in x: the
 * squared distance to centroid c is |x|² + |c|² − 2c·x, a head's log-odds is
 * w·x + b, the map position is P(x − mean). So the k + heads + 2 outputs are
 * one matrix (one row per encoded column) applied to the values as encoding
 * would write them — a scaled number times its row, a category level's row
 * added — without writing x. Every step of the encoder is still taken.
 */
export interface LinearScorer {
  /** Outputs: k distances (less |x|²), the heads' log-odds, the two map coordinates. */
  readonly m: number;
  /** m rounded up to a multiple of 4 (the scorer takes outputs eight or four at a time; the extra ones are zeros). */
  readonly width: number;
  /** d × width, row-major: output weights per encoded column. */
  readonly rows: Float64Array;
  /** Per output: |c|², the head's intercept, −P·mean. */
  readonly bias: Float64Array;
  /** The largest |c|², for the tie tolerance. */
  readonly maxCentroidNorm: number;
  /**
   * The steps that scale a value (numbers, then derived features): the input
   * read (numbers), mean, 1/std, expression (derived), and the step's place;
   * `plain` of them are numbers.
   */
  readonly plain: number;
  readonly slots: Int32Array;
  readonly means: Float64Array;
  readonly invs: Float64Array;
  readonly exprs: readonly (((v: Float64Array) => number) | null)[];
  readonly places: Int32Array;
  /** The one-hot steps: the input read, the first column (a level adds its column's row), the step's place. */
  readonly hotSlots: Int32Array;
  readonly hotCols: Int32Array;
  readonly hotPlaces: Int32Array;
  /**
   * Per step in feature order (the order the rows are added in): where its
   * row starts — fixed at compile time for a scaled step; for a category, 0
   * here, its level's row written per record into the scorer's copy.
   */
  readonly rowAt: Int32Array;
}

export function compileLinear(
  model: Model,
  steps: EncoderSteps,
  centroids: Float64Array,
  k: number,
  d: number,
): LinearScorer {
  const heads = model.targets;
  const m = k + heads.length + 2;
  const width = Math.ceil(m / 4) * 4;
  const rows = new Float64Array(d * width);
  const bias = new Float64Array(width);
  const [pc1, pc2] = model.projection.components;
  const pcaMean = model.projection.mean;
  let maxCentroidNorm = 0;
  for (let c = 0; c < k; c++) {
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const cj = centroids[c * d + j];
      rows[j * width + c] = -2 * cj;
      norm += cj * cj;
    }
    bias[c] = norm;
    maxCentroidNorm = Math.max(maxCentroidNorm, norm);
  }
  // A boosted head's output stays 0 here: scoreInto replaces it with its trees' log-odds.
  heads.forEach((h, i) => {
    if (h.kind === 'boosted') return;
    for (let j = 0; j < d; j++) rows[j * width + k + i] = h.weights[j];
    bias[k + i] = h.intercept;
  });
  const p = k + heads.length;
  for (let j = 0; j < d; j++) {
    rows[j * width + p] = pc1[j];
    rows[j * width + p + 1] = pc2[j];
    bias[p] -= pc1[j] * pcaMean[j];
    bias[p + 1] -= pc2[j] * pcaMean[j];
  }
  // Scaled steps (plain numbers, then derived features) and categories, each listed with its place.
  const all = Array.from({ length: steps.n }, (_, i) => i);
  const order = [NUMERIC, DERIVED].flatMap((kind) => all.filter((i) => steps.kinds[i] === kind));
  const hot = all.filter((i) => steps.kinds[i] === ONEHOT);
  const rowAt = new Int32Array(steps.n);
  for (const i of order) rowAt[i] = steps.cols[i] * width;
  return {
    m,
    width,
    rows,
    bias,
    maxCentroidNorm,
    plain: order.filter((i) => steps.kinds[i] === NUMERIC).length,
    slots: Int32Array.from(order, (i) => steps.slots[i]),
    means: Float64Array.from(order, (i) => steps.means[i]),
    invs: Float64Array.from(order, (i) => steps.invs[i]),
    exprs: order.map((i) => steps.exprs[i]),
    places: Int32Array.from(order),
    hotSlots: Int32Array.from(hot, (i) => steps.slots[i]),
    hotCols: Int32Array.from(hot, (i) => steps.cols[i]),
    hotPlaces: Int32Array.from(hot),
    rowAt,
  };
}
