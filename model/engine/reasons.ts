// Exact explanations of each binary head's log-odds for the values a scorer
// read: `base + Σ contribution` is the head's log-odds. A logistic head's
// terms are exact linear terms against the training mean (the encoded mean,
// the projection's centre): base = b + w·mean, an input's contribution =
// Σ over its columns w_j (x_j − mean_j), a category's one-hot columns summed
// back to it, a derived (expr) feature reported under its own name. A boosted
// head's are exact path-dependent TreeSHAP values over the inputs the trees
// read (treeshap.ts): base = its initial log-odds + Σ the trees' expectations.
import { compileExpr, parseExpr } from '../contract/expr.ts';
import type { Tree } from '../contract/trees.ts';
import type { CompiledModel } from './compile.ts';
import type { Scorer } from './scorer.ts';
import { addTreesShap, shapScratch, treeDepth, treesExpectation, type ShapScratch } from './treeshap.ts';

export interface Contribution {
  /** An input's name, or a derived feature's. */
  input: string;
  /** The value scored: a number (after imputation), a category's level, null for an unseen level. */
  value: number | string | null;
  /** Its share of the head's log-odds. */
  contribution: number;
}

export interface Reason {
  /** The head's log-odds for the average training customer: what the contributions start from. */
  base: number;
  /** Every input (and derived feature), largest |contribution| first, ties in input order. */
  contributions: Contribution[];
}

/** A binary head's name → its explanation. */
export type Reasons = Record<string, Reason>;

/**
 * What explaining needs of a compiled model, made once: the entries (inputs
 * in input order, then derived features in feature order), and per encoded
 * column the entry it belongs to.
 */
interface Plan {
  names: string[];
  /** Per entry: the input it reports (its value), or -1 for a derived feature. */
  inputOf: Int32Array;
  /** Per derived entry (by entry index): its expression over the values, mean and std; null otherwise. */
  derived: ({ expr: (v: Float64Array) => number; mean: number; std: number } | null)[];
  /** Per encoded column: its entry. */
  entryOf: Int32Array;
  /** Per head: b + w·mean (logistic), or the base log-odds + Σ tree expectations (boosted). */
  bases: Float64Array;
  /** Per head: its trees (boosted), or null (logistic). */
  trees: (readonly Tree[] | null)[];
  /** The deepest tree of any boosted head, for the scratch. */
  maxDepth: number;
}

const plans = new WeakMap<CompiledModel, Plan>();

function planOf(cm: CompiledModel): Plan {
  let plan = plans.get(cm);
  if (plan) return plan;
  const { model, inputIndex, d, pcaMean } = cm;
  const names: string[] = [...cm.inputNames];
  const inputOf: number[] = names.map((_, i) => i);
  const derived: Plan['derived'] = names.map(() => null);
  const entryOf = new Int32Array(d);
  let col = 0;
  for (const f of model.features) {
    if (f.kind === 'numeric' && f.expr !== undefined) {
      const expr = compileExpr(parseExpr(f.expr), (name) => inputIndex.get(name)!);
      entryOf[col++] = names.length;
      names.push(f.name);
      inputOf.push(-1);
      derived.push({ expr, mean: f.mean, std: f.std });
      continue;
    }
    const i = inputIndex.get(f.input!)!;
    const width = f.kind === 'onehot' ? cm.catLevels[i]!.length : 1;
    for (let j = 0; j < width; j++) entryOf[col++] = i;
  }
  const trees = model.targets.map((t) => (t.kind === 'boosted' ? t.trees : null));
  const bases = Float64Array.from(cm.heads, (h, i) => {
    const forest = trees[i];
    if (forest) return h.b + treesExpectation(forest);
    let base = h.b;
    for (let j = 0; j < d; j++) base += h.w[j] * pcaMean[j];
    return base;
  });
  const maxDepth = Math.max(0, ...trees.flatMap((f) => (f ? f.map(treeDepth) : [])));
  plan = { names, inputOf: Int32Array.from(inputOf), derived, entryOf, bases, trees, maxDepth };
  plans.set(cm, plan);
  return plan;
}

/** Each entry's value as scored, from the scorer's values. */
function scoredValue(s: Scorer, plan: Plan, e: number): number | string | null {
  const i = plan.inputOf[e];
  if (i >= 0) {
    const v = s.values[i];
    const levels = s.cm.catLevels[i];
    if (!levels) return v;
    return v >= 0 ? levels[v] : null;
  }
  // A derived feature that is not finite (a division by zero) is scored as its mean.
  const { expr, mean } = plan.derived[e]!;
  const raw = expr(s.values);
  return Number.isFinite(raw) ? raw : mean;
}

/** Entries with their contributions, largest |contribution| first, ties in entry order. */
function sorted(s: Scorer, plan: Plan, terms: Float64Array): Contribution[] {
  const order = Array.from(terms, (_, e) => e).sort((a, b) => Math.abs(terms[b]) - Math.abs(terms[a]) || a - b);
  return order.map((e) => ({ input: plan.names[e], value: scoredValue(s, plan, e), contribution: terms[e] }));
}

/** Logistic head `h`'s explanation of the scorer's values. */
export function logisticReason(s: Scorer, h: number): Reason {
  const plan = planOf(s.cm);
  const { w } = s.cm.heads[h];
  const { pcaMean, d } = s.cm;
  const x = s.encode();
  const terms = new Float64Array(plan.names.length);
  for (let j = 0; j < d; j++) terms[plan.entryOf[j]] += w[j] * (x[j] - pcaMean[j]);
  return { base: plan.bases[h], contributions: sorted(s, plan, terms) };
}

/** TreeSHAP's path scratch and the values it adds into, per scorer: allocated once, not per call. */
const scratches = new WeakMap<Scorer, { path: ShapScratch; phi: Float64Array }>();

/**
 * Boosted head `h`'s explanation of the scorer's values: one TreeSHAP value
 * per input, over the values as the trees read them (a missing value or
 * unseen level is NaN, reported as null: the trees took its default way).
 */
export function boostedReason(s: Scorer, h: number): Reason {
  const plan = planOf(s.cm);
  const n = s.cm.inputNames.length;
  let scratch = scratches.get(s);
  if (!scratch) scratches.set(s, (scratch = { path: shapScratch(plan.maxDepth), phi: new Float64Array(n) }));
  const { phi, path } = scratch;
  phi.fill(0);
  const tv = s.treeValues();
  addTreesShap(plan.trees[h]!, tv, phi, path);
  const order = Array.from(phi, (_, i) => i).sort((a, b) => Math.abs(phi[b]) - Math.abs(phi[a]) || a - b);
  const contributions = order.map((i) => {
    const levels = s.cm.catLevels[i];
    const v = tv[i];
    const value = Number.isNaN(v) ? null : levels ? levels[v] : v;
    return { input: plan.names[i], value, contribution: phi[i] };
  });
  return { base: plan.bases[h], contributions };
}

/** Binary head `h`'s explanation of the scorer's values (already read), whichever its kind. */
export const headReason = (s: Scorer, h: number): Reason =>
  s.cm.heads[h].forest ? boostedReason(s, h) : logisticReason(s, h);

/** Every binary head's explanation of the scorer's values (already read). */
export function reasons(s: Scorer): Reasons {
  const out: Reasons = {};
  const heads = s.cm.heads;
  for (let h = 0; h < heads.length; h++) out[heads[h].name] = headReason(s, h);
  return out;
}
