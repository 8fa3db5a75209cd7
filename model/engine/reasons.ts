// Exact explanations of each binary head's log-odds for the values a scorer
// read: `base + Σ contribution` is the head's log-odds. A logistic head's
// terms are exact linear terms against the training mean (the encoded mean,
// the projection's centre): base = b + w·mean, an input's contribution =
// Σ over its columns w_j (x_j − mean_j), a category's one-hot columns summed
// back to it, a derived (expr) feature reported under its own name.
import { compileExpr, parseExpr } from '../contract/expr.ts';
import type { CompiledModel } from './compile.ts';
import type { Scorer } from './scorer.ts';

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
  /** Per logistic head: b + w·mean. */
  bases: Float64Array;
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
  const bases = Float64Array.from(cm.heads, (h) => {
    let base = h.b;
    for (let j = 0; j < d; j++) base += h.w[j] * pcaMean[j];
    return base;
  });
  plan = { names, inputOf: Int32Array.from(inputOf), derived, entryOf, bases };
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

/** Every binary head's explanation of the scorer's values (already read). */
export function reasons(s: Scorer): Reasons {
  const out: Reasons = {};
  const heads = s.cm.heads;
  for (let h = 0; h < heads.length; h++) out[heads[h].name] = logisticReason(s, h);
  return out;
}
