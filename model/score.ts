// The scoring maths, shared by the trainer, the CLI and the worker: read a raw
// record (impute, check types), encode it (one-hot, scale, derived features),
// assign the nearest centroid, apply each logistic head and project to 2-D.
// A model is compiled once into flat typed arrays; scoring a record then
// allocates nothing but its result. Distances, log-odds and the projection
// are all linear in the encoded vector, so they are compiled into one matrix
// applied straight to the scaled values (see LinearScorer).
import { compileExpr, parseExpr } from './contract/expr.ts';
import { nearestCentroid, sigmoid } from './kernels.ts';
import type { Feature, InputField, Model, TargetHead } from './contract/types.ts';

export interface FieldProblem {
  field: string;
  reason: string;
}

export interface FieldWarning {
  field: string;
  code: 'missing' | 'unseen_category' | 'out_of_range' | 'not_finite';
  message: string;
}

export interface ClassScore {
  /** The most probable class. */
  label: string;
  probabilities: Record<string, number>;
}

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

export interface ReadOptions {
  /** Values are text (CSV cells, query strings, form posts): numbers are parsed, '' is missing. */
  text?: boolean;
  /** Ignore fields the model does not know (CSV columns such as the id or the label). */
  ignoreUnknown?: boolean;
}

interface Head {
  name: string;
  w: Float64Array;
  b: number;
  threshold: number;
}

export interface ClassHead {
  name: string;
  classes: string[];
  /** classes × d, row-major. */
  w: Float64Array;
  b: Float64Array;
  /** Scratch: per-class sigmoid. */
  p: Float64Array;
}

export interface CompiledModel {
  readonly model: Model;
  /** Encoded width. */
  readonly d: number;
  readonly k: number;
  readonly inputNames: string[];
  readonly inputIndex: Map<string, number>;
  readonly isNumber: Uint8Array;
  readonly numImpute: Float64Array;
  readonly numMin: Float64Array;
  readonly numMax: Float64Array;
  readonly catLookup: (Map<string, number> | null)[];
  /** Each category input's levels (exact spellings); null for numbers. */
  readonly catLevels: (string[] | null)[];
  readonly catImpute: Int32Array;
  readonly centroids: Float64Array;
  readonly heads: Head[];
  readonly classHeads: ClassHead[];
  readonly pcaMean: Float64Array;
  readonly pc1: Float64Array;
  readonly pc2: Float64Array;
  readonly labels: string[];
  /** Scratch: numeric value (or category level index) per input after imputation. */
  readonly values: Float64Array;
  /** Scratch: the encoded vector. */
  readonly x: Float64Array;
  /** Scratch: each binary head's probability, in head order (written by scoreInto). */
  readonly probs: Float64Array;
  /** Scratch: the map position (written by scoreInto). */
  readonly proj: Float64Array;
  /** Writes the encoded vector of `values` into `out`. */
  readonly encode: (values: Float64Array, out: Float64Array) => void;
  /** Every output the scorer needs, as one linear map of the values: see compileLinear. */
  readonly linear: LinearScorer;
}

/** Lower-case, trimmed, inner spaces collapsed: how category text is matched leniently. */
export const normaliseLevel = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

export function compileModel(model: Model): CompiledModel {
  const inputs = model.inputs;
  const n = inputs.length;
  const inputIndex = new Map(inputs.map((f, i) => [f.name, i]));
  const isNumber = new Uint8Array(n);
  const numImpute = new Float64Array(n);
  const numMin = new Float64Array(n);
  const numMax = new Float64Array(n);
  const catImpute = new Int32Array(n).fill(-1);
  const catLookup: (Map<string, number> | null)[] = [];
  inputs.forEach((f, i) => {
    if (f.type === 'number') {
      isNumber[i] = 1;
      numImpute[i] = f.impute;
      numMin[i] = f.min;
      numMax[i] = f.max;
      catLookup.push(null);
    } else {
      const lookup = new Map<string, number>();
      // Exact spellings win; normalised spellings are the fallback.
      f.levels.forEach((l, j) => { if (!lookup.has(normaliseLevel(l))) lookup.set(normaliseLevel(l), j); });
      for (const [alias, level] of Object.entries(f.aliases ?? {})) {
        const j = f.levels.indexOf(level);
        if (j >= 0) { lookup.set(alias, j); lookup.set(normaliseLevel(alias), j); }
      }
      f.levels.forEach((l, j) => lookup.set(l, j));
      catLookup.push(lookup);
      catImpute[i] = f.levels.indexOf(f.impute);
    }
  });

  // One table of steps serves the encoder and the linear scorer (expressions compiled once).
  const steps = encoderSteps(inputs, model.features);
  const { d } = steps;
  const encode = encoderOf(steps);

  const seg = model.segmentation;
  const k = seg.centroids.length;
  const centroids = new Float64Array(k * d);
  seg.centroids.forEach((c, i) => centroids.set(c, i * d));

  return {
    model,
    d,
    k,
    // Each name as a property key (so a record's equal key, also one, compares by identity), in input order.
    inputNames: inputs.map((f) => Object.keys({ [f.name]: 0 })[0]),
    inputIndex,
    isNumber,
    numImpute,
    numMin,
    numMax,
    catLookup,
    catLevels: inputs.map((f) => (f.type === 'number' ? null : f.levels)),
    catImpute,
    centroids,
    heads: model.targets.map((t: TargetHead) => ({
      name: t.name,
      w: Float64Array.from(t.weights),
      b: t.intercept,
      threshold: t.threshold,
    })),
    classHeads: (model.classifiers ?? []).map((c) => ({
      name: c.name,
      classes: c.classes,
      w: Float64Array.from(c.weights.flat()),
      b: Float64Array.from(c.intercepts),
      p: new Float64Array(c.classes.length),
    })),
    pcaMean: Float64Array.from(model.projection.mean),
    pc1: Float64Array.from(model.projection.components[0]),
    pc2: Float64Array.from(model.projection.components[1]),
    labels: seg.segments.map((s) => s.label),
    values: new Float64Array(n),
    x: new Float64Array(d),
    probs: new Float64Array(model.targets.length),
    proj: new Float64Array(2),
    encode,
    linear: compileLinear(model, steps, centroids, k, d),
  };
}

/**
 * Compiles the feature list into one function writing the encoded vector of a
 * values array (one slot per input: the number, or the level index, -1 for an
 * unseen level). The trainer encodes its training rows with this very function.
 */
export function compileEncoder(inputs: InputField[], features: Feature[]): { d: number; encode: (values: Float64Array, out: Float64Array) => void } {
  const steps = encoderSteps(inputs, features);
  return { d: steps.d, encode: encoderOf(steps) };
}

function encoderOf({ n, kinds, slots, cols, widths, means, invs, exprs }: EncoderSteps): (values: Float64Array, out: Float64Array) => void {
  // The encoder is a table of steps, each writing its block of columns, run by
  // one loop (no call per feature on the scoring hot path); only derived
  // features call their compiled expression.
  const encode = (v: Float64Array, out: Float64Array) => {
    for (let s = 0; s < n; s++) {
      const col = cols[s];
      const kind = kinds[s];
      if (kind === NUMERIC) out[col] = (v[slots[s]] - means[s]) * invs[s];
      else if (kind === ONEHOT) {
        const width = widths[s];
        for (let j = 0; j < width; j++) out[col + j] = 0;
        const level = v[slots[s]];
        if (level >= 0) out[col + level] = 1;
      } else out[col] = derivedValue(exprs[s]!, v, means[s], invs[s]);
    }
  };
  return encode;
}

const NUMERIC = 0;
const ONEHOT = 1;
const DERIVED = 2;

/** A derived feature's standardised value; a non-finite result (say, a division by zero) counts as the mean. */
function derivedValue(expr: (v: Float64Array) => number, v: Float64Array, mean: number, inv: number): number {
  const raw = expr(v);
  return Number.isFinite(raw) ? (raw - mean) * inv : 0;
}

/** The encoder as a table of steps, one per feature: what it reads, where its columns start, how it scales. */
interface EncoderSteps {
  n: number;
  d: number;
  kinds: Uint8Array;
  /** Input index read (numeric, one-hot). */
  slots: Int32Array;
  /** First encoded column. */
  cols: Int32Array;
  /** One-hot width (levels). */
  widths: Int32Array;
  means: Float64Array;
  /** 1 / standard deviation. */
  invs: Float64Array;
  exprs: (((v: Float64Array) => number) | null)[];
}

function encoderSteps(inputs: InputField[], features: Feature[]): EncoderSteps {
  const inputIndex = new Map(inputs.map((f, i) => [f.name, i]));
  const n = features.length;
  const kinds = new Uint8Array(n);
  const slots = new Int32Array(n);
  const cols = new Int32Array(n);
  const widths = new Int32Array(n);
  const means = new Float64Array(n);
  const invs = new Float64Array(n);
  const exprs: (((v: Float64Array) => number) | null)[] = [];
  let d = 0;
  features.forEach((f, s) => {
    cols[s] = d;
    exprs.push(null);
    if (f.kind === 'numeric' || f.kind === 'ordinal') {
      means[s] = f.mean;
      invs[s] = 1 / f.std;
      if (f.kind === 'numeric' && f.expr !== undefined) {
        kinds[s] = DERIVED;
        exprs[s] = compileExpr(parseExpr(f.expr), (name) => inputIndex.get(name)!);
      } else {
        kinds[s] = NUMERIC;
        slots[s] = inputIndex.get(f.input!)!;
      }
      d += 1;
    } else {
      kinds[s] = ONEHOT;
      slots[s] = inputIndex.get(f.input)!;
      widths[s] = (inputs[slots[s]] as { levels: string[] }).levels.length;
      d += widths[s];
    }
  });
  return { n, d, kinds, slots, cols, widths, means, invs, exprs };
}

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
  m: number;
  /** m rounded up to a multiple of 4 (the scorer takes outputs eight or four at a time; the extra ones are zeros). */
  width: number;
  /** d × width, row-major: output weights per encoded column. */
  rows: Float64Array;
  /** Per output: |c|², the head's intercept, −P·mean. */
  bias: Float64Array;
  /** The largest |c|², for the tie tolerance. */
  maxCentroidNorm: number;
  /**
   * The steps that scale a value (numbers, then derived features): the input
   * read (numbers), mean, 1/std, expression (derived), and the step's place;
   * `plain` of them are numbers.
   */
  plain: number;
  slots: Int32Array;
  means: Float64Array;
  invs: Float64Array;
  exprs: (((v: Float64Array) => number) | null)[];
  places: Int32Array;
  /** The one-hot steps: the input read, the first column (a level adds its column's row), the step's place. */
  hotSlots: Int32Array;
  hotCols: Int32Array;
  hotPlaces: Int32Array;
  /** Scratch: the outputs. */
  out: Float64Array;
  /**
   * Scratch, per step in feature order (the order the rows are added in):
   * what its row is multiplied by, and where the row starts — fixed at compile
   * time for a scaled step, its level's row (times 1, or 0 for an unseen
   * level) for a category.
   */
  z: Float64Array;
  at: Int32Array;
}

function compileLinear(model: Model, steps: EncoderSteps, centroids: Float64Array, k: number, d: number): LinearScorer {
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
  heads.forEach((h, i) => {
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
  const at = new Int32Array(steps.n);
  for (const i of order) at[i] = steps.cols[i] * width;
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
    out: new Float64Array(width),
    z: new Float64Array(steps.n),
    at,
  };
}

/** The map position of encoded vector `x` (scoreInto computes it without x; this is the direct form). */
export function projectPoint(cm: CompiledModel, x: ArrayLike<number>): [number, number] {
  let a = 0;
  let b = 0;
  const { pcaMean, pc1, pc2, d } = cm;
  for (let j = 0; j < d; j++) {
    const c = x[j] - pcaMean[j];
    a += pc1[j] * c;
    b += pc2[j] * c;
  }
  return [a, b];
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'number' ? String(v) : `a ${typeof v}`);

/**
 * Reads a raw record into `cm.values`: types checked, missing values imputed.
 * Returns the problems (bad input the caller must fix) and warnings (input
 * that was usable after a fallback). Never throws on caller input.
 */
export function readRecord(
  cm: CompiledModel,
  record: Record<string, unknown>,
  options?: ReadOptions,
): { problems: FieldProblem[] | null; warnings: FieldWarning[] } {
  const warnings: FieldWarning[] = [];
  return { problems: readChecked(cm, record, options, warnings), warnings };
}

/**
 * The common record in one tight pass: every field present, numbers finite
 * and within the training range, categories spelled as in training, and (unless
 * unknown fields are ignored) no other keys. Returns false, having written some
 * values, as soon as a record needs more; readChecked then reads it again with
 * every check and explanation. Both give the same values for a plain record.
 */
function readPlain(cm: CompiledModel, record: Record<string, unknown>, ignoreUnknown: boolean): boolean {
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
    if (!readPlainValue(cm, pos, record[key])) return false;
    pos++;
  }
  if (pos === n) return true;
  for (let i = 0; i < n; i++) if (!readPlainValue(cm, i, record[inputNames[i]])) return false;
  if (ignoreUnknown) return true;
  let keys = 0;
  for (const _ in record) keys++;
  return keys === n;
}

/**
 * Reads a row of values for the fields `columns` (known, distinct; `slots`
 * are their input indices) as readInto reads the record of those fields:
 * every value plain, straight into `cm.values`; anything else through the
 * record, with every check.
 */
export function readRowInto(cm: CompiledModel, columns: string[], slots: Int32Array, row: unknown[], warnings: FieldWarning[]): FieldProblem[] | null {
  if (slots.length === cm.inputNames.length) {
    let j = 0;
    while (j < slots.length && readPlainValue(cm, slots[j], row[j])) j++;
    if (j === slots.length) return null;
  }
  const record: Record<string, unknown> = {};
  for (let j = 0; j < columns.length; j++) record[columns[j]] = row[j];
  return readChecked(cm, record, undefined, warnings);
}

/** Input i's value if it is plain (a number in range, a category as spelled in training); false otherwise. */
function readPlainValue(cm: CompiledModel, i: number, v: unknown): boolean {
  if (cm.isNumber[i]) {
    if (typeof v !== 'number' || !(v >= cm.numMin[i] && v <= cm.numMax[i])) return false;
    cm.values[i] = v;
    return true;
  }
  if (typeof v !== 'string') return false;
  // A loop rather than indexOf: a model has a few levels per field, and the builtin call costs more.
  const levels = cm.catLevels[i]!;
  let level = 0;
  while (level < levels.length && levels[level] !== v) level++;
  if (level === levels.length) return false;
  cm.values[i] = level;
  return true;
}

/** readRecord without the wrapper object, plain records first: problems returned, warnings pushed to `warnings`. */
export function readInto(cm: CompiledModel, record: Record<string, unknown>, options: ReadOptions | undefined, warnings: FieldWarning[]): FieldProblem[] | null {
  if (options?.text !== true && readPlain(cm, record, options?.ignoreUnknown === true)) return null;
  return readChecked(cm, record, options, warnings);
}

/** Every field checked, imputed or explained: what readRecord returns. */
function readChecked(cm: CompiledModel, record: Record<string, unknown>, options: ReadOptions | undefined, warnings: FieldWarning[]): FieldProblem[] | null {
  let problems: FieldProblem[] | null = null;
  const { values, inputNames, isNumber, catLookup, catLevels, numImpute, numMin, numMax } = cm;
  const text = options?.text === true;
  // Fields of the model the record has; if that is all its keys, none is unknown (no per-key lookup).
  let present = 0;

  for (let i = 0; i < inputNames.length; i++) {
    const name = inputNames[i];
    let v = record[name];
    if (v !== undefined) present++;
    if (text && typeof v === 'string' && v.trim() === '') v = undefined;
    if (isNumber[i]) {
      if (v === undefined || v === null) {
        values[i] = numImpute[i];
        warnings.push({ field: name, code: 'missing', message: `missing; imputed with the training median ${numImpute[i]}` });
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
        (problems ??= []).push({ field: name, reason: typeof v === 'string' ? `must be a number, got "${v.slice(0, 40)}"` : 'must be a finite number' });
        continue;
      }
      if (num < numMin[i] || num > numMax[i]) {
        warnings.push({ field: name, code: 'out_of_range', message: `${num} is outside the training range ${numMin[i]}..${numMax[i]}` });
      }
      values[i] = num;
    } else {
      if (v === undefined || v === null) {
        values[i] = cm.catImpute[i];
        warnings.push({ field: name, code: 'missing', message: `missing; imputed with the most frequent level "${(cm.model.inputs[i] as { impute: string }).impute}"` });
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

/** One-vs-rest class probabilities: each class's sigmoid, normalised to sum to 1. */
export function classProbabilities(head: ClassHead, x: ArrayLike<number>, d: number): ClassScore {
  const { w, b, p, classes } = head;
  let sum = 0;
  let best = 0;
  for (let c = 0; c < classes.length; c++) {
    let z = b[c];
    const base = c * d;
    for (let j = 0; j < d; j++) z += w[base + j] * x[j];
    p[c] = sigmoid(z);
    sum += p[c];
    if (p[c] > p[best]) best = c;
  }
  const probabilities: Record<string, number> = {};
  for (let c = 0; c < classes.length; c++) probabilities[classes[c]] = p[c] / sum;
  return { label: classes[best], probabilities };
}

/**
 * Scores `cm.values` (already read) into the scratch arrays: each head's
 * probability in `probs`, the map position in `proj`. Returns the segment.
 * Allocates nothing, and does not write the encoded vector `x` (encodeValues
 * does, for what reads it: multi-class heads, drivers).
 */
export function scoreInto(cm: CompiledModel): number {
  const { values: v, k, probs, proj, linear } = cm;
  const { m, width, rows, bias, out, z, at, plain, slots, means, invs, exprs, places, hotSlots, hotCols, hotPlaces } = linear;
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
    if (dc < first) { second = first; first = dc; seg = c; } else if (dc < second) second = dc;
  }
  // A near-tie (within the rounding of the expanded distance, or not finite) is settled by the
  // direct distance, as the trainer measures it: both always name the same segment.
  if (k > 1 && !(second - first > 1e-9 * (xx + linear.maxCentroidNorm + 1))) {
    encodeValues(cm);
    seg = nearestCentroid(cm.centroids, k, cm.d, cm.x);
  }
  for (let h = 0; h < probs.length; h++) probs[h] = sigmoid(out[k + h]);
  proj[0] = out[m - 2];
  proj[1] = out[m - 1];
  return seg;
}

/** Writes the encoded vector of `cm.values` into `cm.x`. */
export function encodeValues(cm: CompiledModel): void {
  cm.encode(cm.values, cm.x);
}

/** The multi-class heads' answers for the values scoreInto just scored; undefined when the model has none. */
export function classScores(cm: CompiledModel): Record<string, ClassScore> | undefined {
  if (!cm.classHeads.length) return undefined;
  encodeValues(cm);
  const classes: Record<string, ClassScore> = {};
  for (const head of cm.classHeads) classes[head.name] = classProbabilities(head, cm.x, cm.d);
  return classes;
}

/** Scores `cm.values` (already read) as a result object. */
export function scoreValues(cm: CompiledModel, warnings: FieldWarning[]): ScoreResult {
  const seg = scoreInto(cm);
  const scores: Record<string, number> = {};
  for (let h = 0; h < cm.heads.length; h++) scores[cm.heads[h].name] = cm.probs[h];
  const classes = classScores(cm);
  const segment = { id: seg, label: cm.labels[seg] };
  const projection: [number, number] = [cm.proj[0], cm.proj[1]];
  // Two literals rather than a spread: the same key order, without copying an object per record.
  return classes ? { segment, scores, classes, projection, warnings } : { segment, scores, projection, warnings };
}

export function scoreRecord(cm: CompiledModel, record: Record<string, unknown>, options?: ReadOptions): ScoreOutcome {
  const warnings: FieldWarning[] = [];
  const problems = readInto(cm, record, options, warnings);
  if (problems) return { ok: false, problems };
  return { ok: true, result: scoreValues(cm, warnings) };
}

/**
 * Per-feature contribution of each input to one head's log-odds, relative to
 * the population average (the encoded mean), for "what pushed this score".
 */
export function contributions(cm: CompiledModel, headIndex: number): { input: string; logit: number }[] {
  encodeValues(cm);
  const head = cm.heads[headIndex];
  const out = new Map<string, number>();
  let col = 0;
  for (const f of cm.model.features) {
    const width = f.kind === 'onehot'
      ? (cm.model.inputs[cm.inputIndex.get(f.input)!] as { levels: string[] }).levels.length
      : 1;
    let c = 0;
    for (let j = col; j < col + width; j++) c += head.w[j] * (cm.x[j] - cm.pcaMean[j]);
    const key = f.kind === 'numeric' && f.expr !== undefined ? f.name : (f as { input: string }).input;
    out.set(key, (out.get(key) ?? 0) + c);
    col += width;
  }
  return [...out].map(([input, logit]) => ({ input, logit }));
}
