// Scoring the values a Scorer has read: the segment (nearest centroid), each
// binary head's probability and the map position, by one linear map over the
// values (linear.ts) with no allocation (scoreInto); and the result object
// built from them (scoreValues). A model is compiled once into flat typed
// arrays; scoring a record then allocates nothing but its result.
import { nearestCentroid, sigmoid } from '../kernels.ts';
import { derivedValue } from './encoder.ts';
import { classScores, type ClassScore } from './explain.ts';
import { forestLogit } from './trees.ts';
import type { FieldProblem, FieldWarning } from './read.ts';
import type { Scorer } from './scorer.ts';

export interface ScoreResult {
  segment: { id: number; label: string };
  /** Probability of the positive class of each binary head. */
  scores: Record<string, number>;
  /** Multi-class heads, by target name; present only when the model has any. */
  classes?: Record<string, ClassScore>;
  projection: [number, number];
  warnings: FieldWarning[];
}

export type ScoreOutcome = { ok: true; result: ScoreResult } | { ok: false; problems: FieldProblem[] };

/**
 * Scores the scorer's values (already read) into its `probs` (each head's
 * probability) and `proj` (the map position). Returns the segment.
 * Allocates nothing, and does not write the encoded vector `x` but on a near
 * tie (encode does, for what reads it: multi-class heads, drivers).
 */
export function scoreInto(s: Scorer): number {
  const seg = scoreLinear(s);
  const { cm, probs } = s;
  if (cm.boosted.length) {
    const tv = s.treeValues();
    for (let b = 0; b < cm.boosted.length; b++) {
      const h = cm.boosted[b];
      probs[h] = sigmoid(forestLogit(cm.heads[h].forest!, tv));
    }
  }
  return seg;
}

/** scoreInto but for the boosted heads, whose `probs` it leaves as they were (tree-block.ts fills them). */
export function scoreLinear(s: Scorer): number {
  const { cm, values: v, probs, proj, out, z, at } = s;
  const { k, linear } = cm;
  const { m, width, rows, bias, plain, slots, means, invs, exprs, places, hotSlots, hotCols, hotPlaces } = linear;
  // Each scaled step's value (its row is fixed), then each category's level row, every step in its
  // place, so the rows are added in feature order as always. One loop per kind rather than a branch per
  // step, and no row offset written for the scaled ones: 0.86 of the time (alternated in one Node process).
  let xx = 0; // |x|², for the tie tolerance
  for (let t = 0; t < slots.length; t++) {
    const zs = t < plain ? (v[slots[t]] - means[t]) * invs[t] : derivedValue(exprs[t]!, v, means[t], invs[t]);
    z[places[t]] = zs;
    xx += zs * zs;
  }
  for (let t = 0; t < hotSlots.length; t++) {
    const level = v[hotSlots[t]];
    const p = hotPlaces[t];
    if (level >= 0) {
      z[p] = 1;
      at[p] = (hotCols[t] + level) * width;
      xx += 1;
    } else {
      // An unseen level encodes as all zeros: any of the field's rows, times 0, adds nothing.
      z[p] = 0;
      at[p] = hotCols[t] * width;
    }
  }
  const q = z.length;
  // Eight outputs at a time (then four) in locals: two to three times as fast as adding each row into an
  // array. The four-wide tail is kept rather than padding to a multiple of eight: for 11 outputs (the
  // 30-feature, k=8 model) 8 + 4 scored ~10% faster than 16.
  let o = 0;
  for (; o + 8 <= width; o += 8) {
    let a0 = bias[o];
    let a1 = bias[o + 1];
    let a2 = bias[o + 2];
    let a3 = bias[o + 3];
    let a4 = bias[o + 4];
    let a5 = bias[o + 5];
    let a6 = bias[o + 6];
    let a7 = bias[o + 7];
    for (let t = 0; t < q; t++) {
      const zt = z[t];
      const r = at[t] + o;
      a0 += zt * rows[r];
      a1 += zt * rows[r + 1];
      a2 += zt * rows[r + 2];
      a3 += zt * rows[r + 3];
      a4 += zt * rows[r + 4];
      a5 += zt * rows[r + 5];
      a6 += zt * rows[r + 6];
      a7 += zt * rows[r + 7];
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
    out[o + 4] = a4;
    out[o + 5] = a5;
    out[o + 6] = a6;
    out[o + 7] = a7;
  }
  if (o < width) {
    let a0 = bias[o];
    let a1 = bias[o + 1];
    let a2 = bias[o + 2];
    let a3 = bias[o + 3];
    for (let t = 0; t < q; t++) {
      const zt = z[t];
      const r = at[t] + o;
      a0 += zt * rows[r];
      a1 += zt * rows[r + 1];
      a2 += zt * rows[r + 2];
      a3 += zt * rows[r + 3];
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
  let seg = 0;
  let first = out[0];
  let second = Infinity;
  for (let c = 1; c < k; c++) {
    const dc = out[c];
    if (dc < first) {
      second = first;
      first = dc;
      seg = c;
    } else if (dc < second) second = dc;
  }
  // A near-tie (within the rounding of the expanded distance, or not finite) is settled by the
  // direct distance, as the trainer measures it: both always name the same segment.
  if (k > 1 && !(second - first > 1e-9 * (xx + linear.maxCentroidNorm + 1))) {
    seg = nearestCentroid(cm.centroids, k, cm.d, s.encode());
  }
  for (let h = 0; h < probs.length; h++) probs[h] = sigmoid(out[k + h]);
  proj[0] = out[m - 2];
  proj[1] = out[m - 1];
  return seg;
}

/** Scores the scorer's values (already read) as a result object. */
export function scoreValues(s: Scorer, warnings: FieldWarning[]): ScoreResult {
  const { cm } = s;
  const seg = scoreInto(s);
  const scores: Record<string, number> = {};
  for (let h = 0; h < cm.heads.length; h++) scores[cm.heads[h].name] = s.probs[h];
  const classes = classScores(s);
  const segment = { id: seg, label: cm.labels[seg] };
  const projection: [number, number] = [s.proj[0], s.proj[1]];
  // Two literals rather than a spread: the same key order, without copying an object per record.
  return classes ? { segment, scores, classes, projection, warnings } : { segment, scores, projection, warnings };
}
