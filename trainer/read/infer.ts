// Deciding what each column is, from the config when it says, otherwise from
// the values in the first rows: numbers, a few distinct labels, or something
// the model cannot use (identifiers, free text, dates) — dropped with a reason.
import type { TrainConfig } from '../config.ts';
import { isMissingToken, parseNumberCell } from '../clean/values.ts';

export type Inferred =
  | { kind: 'numeric' | 'categorical' | 'label'; reason: string }
  | { kind: 'ordinal' | 'date'; reason: string }
  | { kind: 'dropped'; reason: string };

/** Above this many distinct values a text column is not a usable category. */
export const MAX_LEVELS = 50;

const ID_NAME = /(^|[^a-z])(id|uuid|guid|key)$|^(id|uuid|guid)([^a-z]|$)|_id$|id$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?|^\d{1,2}\/\d{1,2}\/\d{2,4}( \d{1,2}:\d{2})?$/;

export function inferKind(name: string, sample: string[], config: TrainConfig, isLabel: boolean): Inferred {
  if (isLabel) return { kind: 'label', reason: 'target' };
  if (config.id === name) return { kind: 'dropped', reason: 'identifier (declared as id)' };
  const declared = config.columns?.[name]?.kind;
  if (declared === 'drop') return { kind: 'dropped', reason: 'dropped by config' };
  if (declared === 'id') return { kind: 'dropped', reason: 'identifier (declared in config)' };
  if (declared === 'numeric' || declared === 'categorical' || declared === 'ordinal' || declared === 'date') {
    return { kind: declared, reason: 'declared in config' };
  }

  const present = sample.filter((v) => !isMissingToken(v));
  if (present.length === 0) return { kind: 'dropped', reason: 'no values in the first rows' };
  const distinct = new Set(present.map((v) => v.trim()));
  const numeric = present.filter((v) => !Number.isNaN(parseNumberCell(v).value)).length;
  const allDistinct = distinct.size === present.length && present.length >= 20;

  if (distinct.size === 1 && present.length >= 20)
    return { kind: 'dropped', reason: `constant (every value is "${[...distinct][0]}")` };
  if (numeric >= 0.9 * present.length) {
    if (allDistinct && ID_NAME.test(name) && present.every((v) => /^\s*[\d.]+\s*$/.test(v))) {
      return { kind: 'dropped', reason: 'identifier-like (a distinct number per row, named like an id)' };
    }
    return { kind: 'numeric', reason: `${Math.round((100 * numeric) / present.length)}% of values are numbers` };
  }
  if (present.filter((v) => DATE.test(v.trim())).length >= 0.9 * present.length) {
    return { kind: 'dropped', reason: 'dates (declare it "kind": "date" to use the days before the reference date)' };
  }
  if (allDistinct || (ID_NAME.test(name) && distinct.size > 0.5 * present.length)) {
    return { kind: 'dropped', reason: 'identifier-like (a distinct value per row)' };
  }
  const meanLength = present.reduce((n, v) => n + v.length, 0) / present.length;
  if (meanLength > 40 && distinct.size > 0.3 * present.length) return { kind: 'dropped', reason: 'free text' };
  if (distinct.size > MAX_LEVELS)
    return { kind: 'dropped', reason: `too many distinct values (${distinct.size}+) for a category` };
  return { kind: 'categorical', reason: `${distinct.size} distinct values` };
}
