// Compiling a model document for scoring: its learned state as flat typed
// arrays (input ranges and level lookups, centroids, heads, the projection,
// the encoder and the linear scorer), made once per model and never written
// after. Nothing here changes per record: the values read, the encoded
// vector and the outputs live in a Scorer (scorer.ts), owned by its caller.
import type { Model, TargetHead } from '../contract/types.ts';
import { encoderOf, encoderSteps, type Encode } from './encoder.ts';
import { compileLinear, type LinearScorer } from './linear.ts';
import { compileForest, type CompiledForest } from './trees.ts';

/** Lower-case, trimmed, inner spaces collapsed: how category text is matched leniently. */
export const normaliseLevel = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A binary head: one logistic model (`w`, `b`), or boosted trees (`forest`;
 * then `w` is zeros and `b` the trees' base, and the linear map's output for
 * the head is replaced by the forest's log-odds).
 */
export interface BinaryHead {
  readonly name: string;
  readonly w: Float64Array;
  readonly b: number;
  readonly threshold: number;
  readonly forest: CompiledForest | null;
}

/** A multi-class head: one logistic model per class against the rest. */
export interface ClassHead {
  readonly name: string;
  readonly classes: readonly string[];
  /** classes × d, row-major. */
  readonly w: Float64Array;
  readonly b: Float64Array;
}

export interface CompiledModel {
  readonly model: Model;
  /** Encoded width. */
  readonly d: number;
  readonly k: number;
  readonly inputNames: readonly string[];
  readonly inputIndex: ReadonlyMap<string, number>;
  readonly isNumber: Uint8Array;
  readonly numImpute: Float64Array;
  readonly numMin: Float64Array;
  readonly numMax: Float64Array;
  readonly catLookup: readonly (ReadonlyMap<string, number> | null)[];
  /** Each category input's levels (exact spellings); null for numbers. */
  readonly catLevels: readonly (readonly string[] | null)[];
  readonly catImpute: Int32Array;
  readonly centroids: Float64Array;
  readonly heads: readonly BinaryHead[];
  /** The indices of the boosted heads (empty for a model with logistic heads only). */
  readonly boosted: Int32Array;
  /** Per input: its number of levels (0 for a number input), what a tree value may be below. */
  readonly levelCounts: Int32Array;
  readonly classHeads: readonly ClassHead[];
  readonly pcaMean: Float64Array;
  readonly pc1: Float64Array;
  readonly pc2: Float64Array;
  readonly labels: readonly string[];
  /** Writes the encoded vector of `values` into `out`. */
  readonly encode: Encode;
  /** Every output the scorer needs, as one linear map of the values: see linear.ts. */
  readonly linear: LinearScorer;
}

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
      f.levels.forEach((l, j) => {
        if (!lookup.has(normaliseLevel(l))) lookup.set(normaliseLevel(l), j);
      });
      for (const [alias, level] of Object.entries(f.aliases ?? {})) {
        const j = f.levels.indexOf(level);
        if (j >= 0) {
          lookup.set(alias, j);
          lookup.set(normaliseLevel(alias), j);
        }
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

  const levelCounts = Int32Array.from(inputs, (f) => (f.type === 'category' ? f.levels.length : 0));
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
    heads: model.targets.map((t: TargetHead) =>
      t.kind === 'boosted'
        ? {
            name: t.name,
            w: new Float64Array(d),
            b: t.base,
            threshold: t.threshold,
            forest: compileForest(t.base, t.trees, levelCounts),
          }
        : { name: t.name, w: Float64Array.from(t.weights), b: t.intercept, threshold: t.threshold, forest: null },
    ),
    boosted: Int32Array.from(model.targets.flatMap((t, i) => (t.kind === 'boosted' ? [i] : []))),
    levelCounts,
    classHeads: (model.classifiers ?? []).map((c) => ({
      name: c.name,
      classes: c.classes,
      w: Float64Array.from(c.weights.flat()),
      b: Float64Array.from(c.intercepts),
    })),
    pcaMean: Float64Array.from(model.projection.mean),
    pc1: Float64Array.from(model.projection.components[0]),
    pc2: Float64Array.from(model.projection.components[1]),
    labels: seg.segments.map((s) => s.label),
    encode,
    linear: compileLinear(model, steps, centroids, k, d),
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
