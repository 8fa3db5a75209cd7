// The model's training distributions for live drift (`monitoring`, see
// model/contract/types.ts): number inputs binned at their training deciles
// (3 significant digits), the training rows counted per bin,
// then every training row read and scored by the model's own scorer and
// counted by the same Tally the worker counts live records with, so both
// sides bin a value identically.
import {
  binsOf,
  compileModel,
  createScorer,
  SCORE_BINS,
  Tally,
  type FieldWarning,
  type Model,
  type MonitoringBaseline,
} from '../../model/index.ts';
import type { CategoryColumn, NumericColumn } from '../read/table.ts';
import { presentSorted } from '../estimators/present.ts';
import { roundSig } from '../round.ts';
import { fillValues, type Schema } from './schema.ts';

const DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The distinct training deciles of a number column (linear interpolation, as numpy's default), above its minimum. */
export function decileEdges(values: Float64Array, rows: Uint32Array): number[] {
  const present = presentSorted(values, rows);
  if (present.length === 0) return [];
  const edges: number[] = [];
  for (const q of DECILES) {
    const pos = q * (present.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, present.length - 1);
    // Three significant digits: bins need no more, and the model is read at every cold start.
    const e = roundSig(present[lo] + (pos - lo) * (present[hi] - present[lo]), 3);
    // An edge at the minimum (or repeated) would only make a bin no training row falls in.
    if (e > present[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return edges;
}

/** Counts the training `rows` into the model's bins. */
export function trainingBaseline(draft: Omit<Model, 'version'>, schema: Schema, rows: Uint32Array): MonitoringBaseline {
  const model = { ...draft, version: 'baseline' } as Model;
  const edges = schema.bindings.map((b) =>
    b.input.type === 'number' ? decileEdges((b.column as NumericColumn).values, rows) : null,
  );
  const tally = new Tally(binsOf(model, edges));
  const scorer = createScorer(compileModel(model));
  const warnings: FieldWarning[] = [];
  for (const r of rows) {
    fillValues(schema.bindings, r, scorer.values);
    // A missing value is imputed by fillValues, as reading imputes it at the edge, and reported the same way.
    warnings.length = 0;
    schema.bindings.forEach((b) => {
      const missing =
        b.input.type === 'number'
          ? Number.isNaN((b.column as NumericColumn).values[r])
          : (b.column as CategoryColumn).codes[r] < 0;
      if (missing) warnings.push({ field: b.input.name, code: 'missing', message: '' });
    });
    const segment = scorer.scoreInto();
    tally.add(scorer.values, segment, scorer.probs, warnings);
  }
  const { bins, counts } = tally;
  const share = (from: number, length: number) => Array.from(counts.subarray(from, from + length));
  return {
    rows: rows.length,
    edges,
    inputs: model.inputs.map((_, i) => share(bins.inputAt[i], bins.inputBins[i])),
    segments: share(bins.segmentAt, bins.segments),
    scores: model.targets.map((_, h) => share(bins.scoreAt + h * SCORE_BINS, SCORE_BINS)),
  };
}
