// Reading a raw record into a values array (one slot per input, in input
// order: the number, or the category's level index, -1 for an unseen level):
// types checked, missing values imputed, problems and warnings named. A plain
// record (every field present, in range, spelled as in training) is read in
// one tight pass (readPlain); any other is read with every check
// (readChecked); both write the same values for a plain record. The values
// array belongs to a Scorer (scorer.ts), which calls these for its caller.
// Trees need to tell a missing value from its imputation: with a boosted head
// the scorer passes a `missing` array too, set to 1 per input that was
// missing or an unseen level (0 otherwise); without one it passes null.
import { type CompiledModel, normaliseLevel } from './compile.ts';

export interface FieldProblem {
  field: string;
  reason: string;
}

export interface FieldWarning {
  field: string;
  code: 'missing' | 'unseen_category' | 'out_of_range' | 'not_finite';
  message: string;
}

export interface ReadOptions {
  /** Values are text (CSV cells, query strings, form posts): numbers are parsed, '' is missing. */
  text?: boolean;
  /** Ignore fields the model does not know (CSV columns such as the id or the label). */
  ignoreUnknown?: boolean;
}

const describe = (v: unknown) =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'number' ? String(v) : `a ${typeof v}`;

/**
 * Reads `record` into `values`, plain records first: problems returned (bad
 * input the caller must fix), warnings (input that was usable after a
 * fallback) pushed to `warnings`. Never throws on caller input.
 */
export function readInto(
  cm: CompiledModel,
  values: Float64Array,
  record: Record<string, unknown>,
  options: ReadOptions | undefined,
  warnings: FieldWarning[],
  missing: Uint8Array | null = null,
): FieldProblem[] | null {
  if (options?.text !== true && readPlain(cm, values, record, options?.ignoreUnknown === true)) {
    missing?.fill(0);
    return null;
  }
  return readChecked(cm, values, record, options, warnings, missing);
}

/**
 * The common record in one tight pass: every field present, numbers finite
 * and within the training range, categories spelled as in training, and (unless
 * unknown fields are ignored) no other keys. Returns false, having written some
 * values, as soon as a record needs more; readChecked then reads it again with
 * every check and explanation. Both give the same values for a plain record.
 */
function readPlain(
  cm: CompiledModel,
  values: Float64Array,
  record: Record<string, unknown>,
  ignoreUnknown: boolean,
): boolean {
  const { inputNames } = cm;
  const n = inputNames.length;
  // Keys in the model's order (what a client sending the model's fields produces): read as for-in
  // visits them, which loads each value by its place in the object instead of looking it up by name.
  let pos = 0;
  for (const key in record) {
    if (pos === n || key !== inputNames[pos]) {
      pos = -1;
      break;
    }
    if (!readPlainValue(cm, values, pos, record[key])) return false;
    pos++;
  }
  if (pos === n) return true;
  for (let i = 0; i < n; i++) if (!readPlainValue(cm, values, i, record[inputNames[i]])) return false;
  if (ignoreUnknown) return true;
  let keys = 0;
  for (const _ in record) keys++;
  return keys === n;
}

/**
 * Reads a row of values for the fields `columns` (known, distinct; `slots`
 * are their input indices) as readInto reads the record of those fields:
 * every value plain, straight into `values`; anything else through the
 * record, with every check.
 */
export function readRowInto(
  cm: CompiledModel,
  values: Float64Array,
  columns: readonly string[],
  slots: Int32Array,
  row: unknown[],
  warnings: FieldWarning[],
  missing: Uint8Array | null = null,
): FieldProblem[] | null {
  if (slots.length === cm.inputNames.length) {
    let j = 0;
    while (j < slots.length && readPlainValue(cm, values, slots[j], row[j])) j++;
    if (j === slots.length) {
      missing?.fill(0);
      return null;
    }
  }
  const record: Record<string, unknown> = {};
  for (let j = 0; j < columns.length; j++) record[columns[j]] = row[j];
  return readChecked(cm, values, record, undefined, warnings, missing);
}

/** Input i's value if it is plain (a number in range, a category as spelled in training); false otherwise. */
function readPlainValue(cm: CompiledModel, values: Float64Array, i: number, v: unknown): boolean {
  if (cm.isNumber[i]) {
    if (typeof v !== 'number' || !(v >= cm.numMin[i] && v <= cm.numMax[i])) return false;
    values[i] = v;
    return true;
  }
  if (typeof v !== 'string') return false;
  // A loop rather than indexOf: a model has a few levels per field, and the builtin call costs more.
  const levels = cm.catLevels[i]!;
  let level = 0;
  while (level < levels.length && levels[level] !== v) level++;
  if (level === levels.length) return false;
  values[i] = level;
  return true;
}

/** Every field checked, imputed or explained. */
export function readChecked(
  cm: CompiledModel,
  values: Float64Array,
  record: Record<string, unknown>,
  options: ReadOptions | undefined,
  warnings: FieldWarning[],
  missing: Uint8Array | null = null,
): FieldProblem[] | null {
  let problems: FieldProblem[] | null = null;
  const { inputNames, isNumber, catLookup, catLevels, numImpute, numMin, numMax } = cm;
  const text = options?.text === true;
  // Fields of the model the record has; if that is all its keys, none is unknown (no per-key lookup).
  let present = 0;

  for (let i = 0; i < inputNames.length; i++) {
    const name = inputNames[i];
    let v = record[name];
    if (v !== undefined) present++;
    if (text && typeof v === 'string' && v.trim() === '') v = undefined;
    if (missing) missing[i] = v === undefined || v === null ? 1 : 0;
    if (isNumber[i]) {
      if (v === undefined || v === null) {
        values[i] = numImpute[i];
        warnings.push({
          field: name,
          code: 'missing',
          message: `missing; imputed with the training median ${numImpute[i]}`,
        });
        continue;
      }
      let num: number;
      if (typeof v === 'number') num = v;
      else if (text && typeof v === 'string') num = Number(v.trim());
      else {
        (problems ??= []).push({ field: name, reason: `must be a number, got ${describe(v)}` });
        continue;
      }
      if (!Number.isFinite(num)) {
        (problems ??= []).push({
          field: name,
          reason: typeof v === 'string' ? `must be a number, got "${v.slice(0, 40)}"` : 'must be a finite number',
        });
        continue;
      }
      if (num < numMin[i] || num > numMax[i]) {
        warnings.push({
          field: name,
          code: 'out_of_range',
          message: `${num} is outside the training range ${numMin[i]}..${numMax[i]}`,
        });
      }
      values[i] = num;
    } else {
      if (v === undefined || v === null) {
        values[i] = cm.catImpute[i];
        warnings.push({
          field: name,
          code: 'missing',
          message: `missing; imputed with the most frequent level "${(cm.model.inputs[i] as { impute: string }).impute}"`,
        });
        continue;
      }
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        (problems ??= []).push({ field: name, reason: `must be a string, got ${describe(v)}` });
        continue;
      }
      const s = String(v);
      // An exact spelling is found by a scan of the few levels (cheaper than hashing); the lookup takes the rest.
      let level: number | undefined = catLevels[i]!.indexOf(s);
      if (level < 0) {
        const lookup = catLookup[i]!;
        level = lookup.get(s) ?? lookup.get(normaliseLevel(s));
      }
      if (level === undefined) {
        const ordinal = (cm.model.inputs[i] as { ordinal?: boolean }).ordinal === true;
        values[i] = ordinal ? cm.catImpute[i] : -1;
        if (missing) missing[i] = 1;
        warnings.push({
          field: name,
          code: 'unseen_category',
          message: `"${s.slice(0, 40)}" was not seen in training; ${ordinal ? 'imputed with the most frequent level' : 'treated as unseen'}`,
        });
      } else values[i] = level;
    }
  }
  if (!options?.ignoreUnknown) {
    let keys = 0;
    for (const _ in record) keys++;
    if (keys !== present) {
      // Unknown fields are named first, in the record's order.
      let unknown: FieldProblem[] | null = null;
      for (const key in record) {
        if (!cm.inputIndex.has(key)) (unknown ??= []).push({ field: key, reason: 'unknown field' });
      }
      if (unknown) problems = problems ? unknown.concat(problems) : unknown;
    }
  }
  return problems;
}
