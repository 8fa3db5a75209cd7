// Counting scored records into the bins live drift compares with training
// (docs/monitoring.md): per input its training bins, the segment, and each
// binary head's probability in 20 equal bins, all in one flat array of counts.
// The trainer counts its training rows with this very code to make the
// model's training shares, and the worker counts what it scores, so both sides
// bin a value identically. A record is counted from the values a Scorer read
// (missing fields, which reading imputes, are known from its warnings) and the
// segment and probabilities scoreInto left; counting allocates nothing.
import { inputBinCount, SCORE_BINS } from '../contract/monitoring.ts';
import type { Model } from '../contract/types.ts';
import type { FieldWarning } from './read.ts';

/** Where each part's counts sit in a tally's array, for one model. */
export interface Bins {
  /** Per input: its edges (number inputs), or null (category inputs, or no baseline: not counted). */
  readonly edges: (Float64Array | null)[];
  /** Every number input's edges, one after another: input i's are edgeFlat[edgeAt[i] .. edgeAt[i + 1]). */
  readonly edgeFlat: Float64Array;
  readonly edgeAt: Int32Array;
  /** Per input: 1 for a number input, 0 for a category. */
  readonly isNumber: Uint8Array;
  /** Per input: its first count, and how many bins it has (0: not counted, a model without a baseline). */
  readonly inputAt: Int32Array;
  readonly inputBins: Int32Array;
  readonly inputIndex: ReadonlyMap<string, number>;
  readonly inputNames: readonly string[];
  /** Binary heads' names, in head order. */
  readonly headNames: readonly string[];
  readonly segmentAt: number;
  readonly segments: number;
  readonly scoreAt: number;
  readonly heads: number;
  readonly size: number;
}

/**
 * A model's bins: those of `edges` when given (training computes them), else
 * of the model's baseline; without either, only segments and scores are counted.
 */
export function binsOf(
  model: Model,
  edges: (readonly number[] | null)[] | null = model.monitoring?.edges ?? null,
): Bins {
  const n = model.inputs.length;
  const inputAt = new Int32Array(n);
  const inputBins = new Int32Array(n);
  const isNumber = new Uint8Array(n);
  let at = 0;
  model.inputs.forEach((f, i) => {
    isNumber[i] = f.type === 'number' ? 1 : 0;
    inputAt[i] = at;
    inputBins[i] = edges ? inputBinCount(f, edges[i]) : 0;
    at += inputBins[i];
  });
  const segments = model.segmentation.centroids.length;
  const heads = model.targets.length;
  const edgeLists = model.inputs.map((f, i) =>
    edges && f.type === 'number' ? Float64Array.from(edges[i] ?? []) : null,
  );
  const edgeAt = new Int32Array(n + 1);
  edgeLists.forEach((e, i) => {
    edgeAt[i + 1] = edgeAt[i] + (e?.length ?? 0);
  });
  const edgeFlat = new Float64Array(edgeAt[n]);
  edgeLists.forEach((e, i) => {
    if (e) edgeFlat.set(e, edgeAt[i]);
  });
  return {
    edges: edgeLists,
    edgeFlat,
    edgeAt,
    isNumber,
    inputAt,
    inputBins,
    inputIndex: new Map(model.inputs.map((f, i) => [f.name, i])),
    inputNames: model.inputs.map((f) => f.name),
    headNames: model.targets.map((t) => t.name),
    segmentAt: at,
    segments,
    scoreAt: at + segments,
    heads,
    size: at + segments + heads * SCORE_BINS,
  };
}

/** The bin of a value read for input i (a number, or a level index, -1 unseen); missing is the input's last bin. */
function binOf(b: Bins, i: number, v: number): number {
  const e = b.edges[i];
  if (e) {
    let j = 0;
    while (j < e.length && v >= e[j]) j++;
    return j;
  }
  return v >= 0 ? v : b.inputBins[i] - 2;
}

export class Tally {
  readonly counts: Float64Array;
  /** Records counted. */
  records = 0;

  constructor(readonly bins: Bins) {
    this.counts = new Float64Array(bins.size);
  }

  /**
   * Counts one scored record: `values` as a Scorer read them, `segment` and
   * `probs` as scoreInto left them, and the reading's warnings (a field
   * reported missing goes to its input's missing bin, not the imputed value's).
   */
  add(values: Float64Array, segment: number, probs: Float64Array, warnings: readonly FieldWarning[]): void {
    const b = this.bins;
    const c = this.counts;
    // One loop over flat typed arrays, the bin search inlined: a call and an array of edge arrays per
    // input cost half again as much (bench/sections/monitor.ts).
    const { inputAt, inputBins, isNumber, edgeAt, edgeFlat } = b;
    for (let i = 0; i < inputAt.length; i++) {
      const bins = inputBins[i];
      if (bins === 0) continue;
      const v = values[i];
      let bin: number;
      if (isNumber[i] === 1) {
        const first = edgeAt[i];
        const end = edgeAt[i + 1];
        let j = first;
        while (j < end && v >= edgeFlat[j]) j++;
        bin = j - first;
      } else bin = v >= 0 ? v | 0 : bins - 2; // an int index: a double one takes the slow element path
      c[inputAt[i] + bin]++;
    }
    if (warnings.length) this.moveMissing(values, warnings);
    c[b.segmentAt + segment]++;
    for (let h = 0, at = b.scoreAt; h < b.heads; h++, at += SCORE_BINS) {
      const p = probs[h];
      c[at + (p >= 1 ? SCORE_BINS - 1 : p > 0 ? (p * SCORE_BINS) | 0 : 0)]++;
    }
    this.records++;
  }

  /** A field reported missing was counted at its imputed value: moved to its input's missing bin. */
  private moveMissing(values: Float64Array, warnings: readonly FieldWarning[]): void {
    const b = this.bins;
    const c = this.counts;
    for (let w = 0; w < warnings.length; w++) {
      if (warnings[w].code !== 'missing') continue;
      const i = b.inputIndex.get(warnings[w].field);
      if (i === undefined || !b.inputBins[i]) continue;
      c[b.inputAt[i] + binOf(b, i, values[i])]--;
      c[b.inputAt[i] + b.inputBins[i] - 1]++;
    }
  }

  /** Adds another tally of the same bins into this one. */
  merge(other: Tally): void {
    const c = this.counts;
    const o = other.counts;
    for (let j = 0; j < c.length; j++) c[j] += o[j];
    this.records += other.records;
  }

  clear(): void {
    this.counts.fill(0);
    this.records = 0;
  }
}
