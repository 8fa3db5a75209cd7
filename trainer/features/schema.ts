// Learns the model's input schema and feature encoding from the training rows
// only (medians, most-frequent levels, means and standard deviations), then
// encodes every row through the shared encoder so training and scoring apply
// exactly the same transform.
import {
  compileEncoder,
  normaliseLevel,
  compileExpr,
  exprVariables,
  parseExpr,
  ExprError,
  type CategoryInput,
  type Expr,
  type Feature,
  type InputField,
  type NumberInput,
} from '../../model/index.ts';
import type { TrainConfig } from '../config.ts';
import { foldLevels, type LevelFolding } from '../clean/levels.ts';
import type { CategoryColumn, NumericColumn, Table } from '../read/table.ts';
import { presentSorted } from '../estimators/present.ts';
import { roundSig } from '../round.ts';

export interface InputBinding {
  input: InputField;
  column: NumericColumn | CategoryColumn;
  /** For categories: dictionary code → level index (-1 = not a training level). */
  levelOf?: Int32Array;
}

export interface Schema {
  inputs: InputField[];
  features: Feature[];
  bindings: InputBinding[];
  d: number;
  folds: Record<string, LevelFolding['folds']>;
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

function median(values: Float64Array, rows: Uint32Array): number {
  const present = presentSorted(values, rows);
  if (present.length === 0) return NaN;
  const m = present.length >> 1;
  return present.length % 2 ? present[m] : (present[m - 1] + present[m]) / 2;
}

/** Population mean and standard deviation (as scikit-learn's StandardScaler). */
function meanStd(get: (r: number) => number, rows: Uint32Array): { mean: number; std: number } {
  let sum = 0;
  for (const r of rows) sum += get(r);
  const mean = sum / rows.length;
  let ss = 0;
  for (const r of rows) ss += (get(r) - mean) ** 2;
  const std = Math.sqrt(ss / rows.length);
  return { mean: roundSig(mean), std: std > 1e-12 ? roundSig(std) : 1 };
}

export function buildSchema(table: Table, config: TrainConfig, train: Uint32Array): Schema {
  const inputs: InputField[] = [];
  const features: Feature[] = [];
  const bindings: InputBinding[] = [];
  const folds: Schema['folds'] = {};
  const label = (name: string) => config.labels?.[name] ?? config.columns?.[name]?.label;

  for (const col of table.columns) {
    // Columns made after reading (joins, RFM) meet the config's drops here.
    const declared = config.columns?.[col.name];
    if (declared?.kind === 'drop' || declared?.kind === 'id' || config.id === col.name) continue;
    const asFeature = declared?.feature !== false;
    if (col.kind === 'numeric') {
      const impute = roundSig(median(col.values, train));
      if (Number.isNaN(impute)) continue;
      let min = Infinity;
      let max = -Infinity;
      for (const r of train) {
        const v = col.values[r];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const input: NumberInput = { name: col.name, type: 'number', impute, min, max };
      if (label(col.name)) input.label = label(col.name);
      const { mean, std } = meanStd((r) => (Number.isNaN(col.values[r]) ? impute : col.values[r]), train);
      inputs.push(input);
      bindings.push({ input, column: col });
      if (asFeature) features.push({ kind: 'numeric', name: col.name, input: col.name, mean, std });
    } else if (col.kind === 'categorical' || col.kind === 'ordinal') {
      const counts = new Array<number>(col.dictionary.length).fill(0);
      for (const r of train) if (col.codes[r] >= 0) counts[col.codes[r]]++;
      const ordered = col.kind === 'ordinal' ? declared?.levels : undefined;
      // Declared levels are real: kept as written, never folded away.
      const folding = foldLevels(col.dictionary, counts, declared?.levels, {
        typos: declared?.fold !== false,
        groupRare: declared?.fold !== false,
      });
      if (folding.folds.length) folds[col.name] = folding.folds;
      let levels: string[];
      if (ordered) {
        levels = ordered.slice();
        // Values outside the declared order (after folding) count as missing.
        folding.canonical = folding.canonical.map((c) => {
          const hit = ordered.find((l) => normaliseLevel(l) === normaliseLevel(c));
          return hit ?? '';
        });
      } else {
        levels = [...new Set(folding.canonical.filter((_, i) => counts[i] > 0))].sort();
      }
      if (levels.length === 0) continue;
      const levelOf = Int32Array.from(folding.canonical, (c) => levels.indexOf(c));
      const levelCounts = new Array<number>(levels.length).fill(0);
      for (const r of train) if (col.codes[r] >= 0 && levelOf[col.codes[r]] >= 0) levelCounts[levelOf[col.codes[r]]]++;
      const imputeIndex = levelCounts.indexOf(Math.max(...levelCounts));
      const input: CategoryInput = { name: col.name, type: 'category', levels, impute: levels[imputeIndex] };
      if (ordered) input.ordinal = true;
      const aliases: Record<string, string> = {};
      col.dictionary.forEach((raw, i) => {
        const to = folding.canonical[i];
        if (to && to !== raw && normaliseLevel(to) !== normaliseLevel(raw) && levels.includes(to)) aliases[raw] = to;
      });
      if (Object.keys(aliases).length) input.aliases = aliases;
      if (label(col.name)) input.label = label(col.name);
      inputs.push(input);
      bindings.push({ input, column: col, levelOf });
      if (!asFeature) continue;
      if (ordered) {
        const { mean, std } = meanStd((r) => {
          const code = col.codes[r];
          const lv = code >= 0 ? levelOf[code] : -1;
          return lv >= 0 ? lv : imputeIndex;
        }, train);
        features.push({ kind: 'ordinal', name: col.name, input: col.name, mean, std });
      } else {
        features.push({ kind: 'onehot', name: col.name, input: col.name });
      }
    }
  }
  if (inputs.length === 0) throw new SchemaError('no usable feature columns: every column was dropped or is a target');
  if (features.length === 0 && Object.keys(config.derived ?? {}).length === 0)
    throw new SchemaError(
      'no features: every kept column is marked "feature": false and there are no derived features',
    );

  // Derived features: expressions over number inputs, standardised like any number.
  for (const [name, source] of Object.entries(config.derived ?? {})) {
    let expr: Expr;
    try {
      expr = parseExpr(source);
    } catch (e) {
      throw new SchemaError(`derived feature "${name}": ${e instanceof ExprError ? e.message : String(e)}`);
    }
    for (const v of exprVariables(expr)) {
      const input = inputs.find((f) => f.name === v);
      if (!input)
        throw new SchemaError(
          `derived feature "${name}" reads "${v}", which is not a kept column (${inputs.map((f) => f.name).join(', ')})`,
        );
      if (input.type !== 'number')
        throw new SchemaError(`derived feature "${name}" reads "${v}", which is a category, not a number`);
    }
    const slots = new Map(inputs.map((f, i) => [f.name, i]));
    const fn = compileExpr(expr, (v) => slots.get(v)!);
    const values = new Float64Array(inputs.length);
    const raw = new Float64Array(table.rows);
    let finite = 0;
    let sum = 0;
    for (const r of train) {
      fillValues(bindings, r, values);
      raw[r] = fn(values);
      if (Number.isFinite(raw[r])) {
        finite++;
        sum += raw[r];
      }
    }
    if (finite === 0) throw new SchemaError(`derived feature "${name}" is never a finite number on the training rows`);
    const centre = sum / finite;
    const { mean, std } = meanStd((r) => (Number.isFinite(raw[r]) ? raw[r] : centre), train);
    features.push({ kind: 'numeric', name, expr: source, mean, std });
  }

  const { d } = compileEncoder(inputs, features);
  return { inputs, features, bindings, d, folds };
}

/** Writes one row's input values (imputed) into `out`, as the scorer reads them. */
export function fillValues(bindings: InputBinding[], row: number, out: Float64Array): void {
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i];
    if (b.input.type === 'number') {
      const v = (b.column as NumericColumn).values[row];
      out[i] = Number.isNaN(v) ? b.input.impute : v;
    } else {
      const code = (b.column as CategoryColumn).codes[row];
      const level = code >= 0 ? b.levelOf![code] : -1;
      out[i] = level >= 0 ? level : code < 0 || b.input.ordinal ? b.input.levels.indexOf(b.input.impute) : -1;
    }
  }
}

/** Encodes the given rows (all when omitted) into an n×d row-major matrix. */
export function encodeRows(schema: Schema, rows: Uint32Array): Float64Array {
  const { encode, d } = compileEncoder(schema.inputs, schema.features);
  const X = new Float64Array(rows.length * d);
  const values = new Float64Array(schema.inputs.length);
  const x = new Float64Array(d);
  for (let i = 0; i < rows.length; i++) {
    fillValues(schema.bindings, rows[i], values);
    encode(values, x);
    X.set(x, i * d);
  }
  return X;
}
