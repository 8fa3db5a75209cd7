// The multi-class heads' class probabilities of a scored record, from the
// scorer's values (what its last read left), encoded into its `x` first, so
// they need no earlier call but that read. (Binary heads' explanations are
// reasons.ts.)
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
