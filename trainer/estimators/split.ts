// Held-out splits and folds, stratified on a label so a rare class appears in
// every part in proportion.
import { Rng } from './rng.ts';

/** Row indices per stratum, each shuffled, strata in ascending order. */
function shuffledStrata(n: number, rng: Rng, strata?: ArrayLike<number>): number[][] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((g) => rng.shuffle(groups.get(g)!));
}

/** Row indices of train and test, stratified on `strata` when given. */
export function stratifiedSplit(
  n: number,
  testSize: number,
  seed: number,
  strata?: ArrayLike<number>,
): { train: Uint32Array; test: Uint32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (const list of shuffledStrata(n, new Rng(seed), strata)) {
    const cut = Math.round(list.length * testSize);
    // A loop, not push(...spread): a spread of 100k+ arguments overflows the stack.
    for (let i = 0; i < list.length; i++) (i < cut ? test : train).push(list[i]);
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}

/** Fold number (0..k-1) per row, stratified. */
export function stratifiedFolds(n: number, k: number, seed: number, strata?: ArrayLike<number>): Uint8Array {
  const fold = new Uint8Array(n);
  let offset = 0;
  for (const list of shuffledStrata(n, new Rng(seed), strata)) {
    list.forEach((row, i) => {
      fold[row] = (i + offset) % k;
    });
    offset += list.length;
  }
  return fold;
}

/** `a[idx[i]]` for each i: a part's labels or rows, by a plain loop (TypedArray.from with a map function is ~20× slower on large arrays). */
export function pickAt<T extends Uint8Array | Uint32Array>(a: T, idx: Uint32Array): T {
  const out = new (a.constructor as new (length: number) => T)(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}
