// The encoder: the feature list compiled into a table of steps (what each
// step reads, where its columns start, how it scales), and the one function
// that writes the encoded vector of a values array (one slot per input: the
// number, or the level index, -1 for an unseen level). The trainer encodes its
// training rows with this very function (compileEncoder); the scorer also
// compiles the steps into its linear map (linear.ts).
import { compileExpr, parseExpr } from '../contract/expr.ts';
import type { Feature, InputField } from '../contract/types.ts';

/** Writes the encoded vector of `values` into `out`. */
export type Encode = (values: Float64Array, out: Float64Array) => void;

export const NUMERIC = 0;
export const ONEHOT = 1;
export const DERIVED = 2;

/** The encoder as a table of steps, one per feature: what it reads, where its columns start, how it scales. */
export interface EncoderSteps {
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

/**
 * Compiles the feature list into one function writing the encoded vector of a
 * values array. The trainer encodes its training rows with this very function.
 */
export function compileEncoder(inputs: InputField[], features: Feature[]): { d: number; encode: Encode } {
  const steps = encoderSteps(inputs, features);
  return { d: steps.d, encode: encoderOf(steps) };
}

export function encoderOf({ n, kinds, slots, cols, widths, means, invs, exprs }: EncoderSteps): Encode {
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

/** A derived feature's standardised value; a non-finite result (say, a division by zero) counts as the mean. */
export function derivedValue(expr: (v: Float64Array) => number, v: Float64Array, mean: number, inv: number): number {
  const raw = expr(v);
  return Number.isFinite(raw) ? (raw - mean) * inv : 0;
}

export function encoderSteps(inputs: InputField[], features: Feature[]): EncoderSteps {
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
