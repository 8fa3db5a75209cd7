// Global importance of a binary head: each input's mean |contribution| to the
// log-odds over held-out rows — the very `reasons` the edge answers with
// explain=true (TreeSHAP for a boosted head), averaged, so the report, the
// dashboard and a single answer never disagree on what an input is worth.
import {
  type CompiledModel,
  compileModel,
  createScorer,
  type HeadImportance,
  headReason,
  type Model,
  type Scorer,
} from '../../model/index.ts';
import type { CategoryColumn, NumericColumn } from '../read/table.ts';
import { fillValues, type InputBinding } from '../features/schema.ts';
import { roundSig } from '../round.ts';

/**
 * At most this many held-out rows, evenly spaced: TreeSHAP costs ~trees × leaves × depth² per row
 * (about a millisecond for 100 trees of 31 leaves): a bound on the time it adds to training.
 */
export const MAX_IMPORTANCE_ROWS = 2000;

/** Loads table row `row` into the scorer as its read would: imputed values, and which inputs were missing or unseen. */
function loadRow(s: Scorer, bindings: InputBinding[], row: number): void {
  fillValues(bindings, row, s.values);
  const missing = s.missing;
  if (!missing) return;
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i];
    if (b.input.type === 'number') missing[i] = Number.isNaN((b.column as NumericColumn).values[row]) ? 1 : 0;
    else {
      const code = (b.column as CategoryColumn).codes[row];
      missing[i] = code < 0 || b.levelOf![code] < 0 ? 1 : 0;
    }
  }
}

/** Head `h`'s importance over the held-out `rows` (at most MAX_IMPORTANCE_ROWS of them, evenly spaced). */
export function heldOutImportance(
  cm: CompiledModel,
  bindings: InputBinding[],
  rows: ArrayLike<number>,
  h: number,
): HeadImportance | null {
  if (!rows.length) return null;
  const s = createScorer(cm);
  const step = Math.ceil(rows.length / MAX_IMPORTANCE_ROWS);
  const sums = new Map<string, number>();
  let n = 0;
  for (let i = 0; i < rows.length; i += step, n++) {
    loadRow(s, bindings, rows[i]);
    for (const c of headReason(s, h).contributions)
      sums.set(c.input, (sums.get(c.input) ?? 0) + Math.abs(c.contribution));
  }
  // Map order is the first row's order; rank by value, ties by name so the ranking never depends on it.
  const inputs = [...sums]
    .map(([input, sum]) => ({ input, meanAbs: roundSig(sum / n) }))
    .sort((a, b) => b.meanAbs - a.meanAbs || (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  return { rows: n, inputs };
}

/** Adds its held-out importance to each boosted head of a model draft (before its version is computed). */
export function addImportance(draft: Omit<Model, 'version'>, bindings: InputBinding[], test: ArrayLike<number>): void {
  if (!draft.targets.some((t) => t.kind === 'boosted')) return;
  const cm = compileModel({ ...draft, version: 'draft' });
  draft.targets.forEach((t, h) => {
    if (t.kind !== 'boosted') return;
    const importance = heldOutImportance(cm, bindings, test, h);
    if (importance) t.importance = importance;
  });
}
