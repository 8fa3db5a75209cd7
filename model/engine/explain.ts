// Explaining a scored record: the multi-class heads' class probabilities and
// each input's contribution to a binary head's log-odds. Both start from the
// scorer's values (what its last read left) and encode them into its `x`
// first, so they need no earlier call but that read.
import { sigmoid } from '../kernels.ts';
import type { ClassHead } from './compile.ts';
import type { Scorer } from './scorer.ts';

export interface ClassScore {
  /** The most probable class. */
  label: string;
  probabilities: Record<string, number>;
}

/**
 * One-vs-rest class probabilities of encoded vector `x`: each class's
 * sigmoid (into `p`, one slot per class), normalised to sum to 1.
 */
export function classProbabilities(head: ClassHead, x: ArrayLike<number>, d: number, p: Float64Array): ClassScore {
  const { w, b, classes } = head;
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

/** The multi-class heads' answers for the scorer's values; undefined when the model has none. */
export function classScores(s: Scorer): Record<string, ClassScore> | undefined {
  const { cm } = s;
  if (!cm.classHeads.length) return undefined;
  s.encode();
  const classes: Record<string, ClassScore> = {};
  for (let h = 0; h < cm.classHeads.length; h++) {
    const head = cm.classHeads[h];
    classes[head.name] = classProbabilities(head, s.x, cm.d, s.classP[h]);
  }
  return classes;
}

/**
 * Per-feature contribution of each input to one head's log-odds, relative to
 * the population average (the encoded mean), for "what pushed this score";
 * of the scorer's values.
 */
export function contributions(s: Scorer, headIndex: number): { input: string; logit: number }[] {
  const { cm } = s;
  const x = s.encode();
  const head = cm.heads[headIndex];
  const out = new Map<string, number>();
  let col = 0;
  for (const f of cm.model.features) {
    const width =
      f.kind === 'onehot' ? (cm.model.inputs[cm.inputIndex.get(f.input)!] as { levels: string[] }).levels.length : 1;
    let c = 0;
    for (let j = col; j < col + width; j++) c += head.w[j] * (x[j] - cm.pcaMean[j]);
    const key = f.kind === 'numeric' && f.expr !== undefined ? f.name : (f as { input: string }).input;
    out.set(key, (out.get(key) ?? 0) + c);
    col += width;
  }
  return [...out].map(([input, logit]) => ({ input, logit }));
}
