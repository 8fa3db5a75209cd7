// Held-out splits and folds, stratified on a label so a rare class appears in
// every part in proportion.
import { Rng } from './rng.ts';

/** Row indices of train and test, stratified on `strata` when given. */
export function stratifiedSplit(n: number, testSize: number, seed: number, strata?: ArrayLike<number>): { train: Uint32Array; test: Uint32Array } {
  const rng = new Rng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const g of [...groups.keys()].sort((a, b) => a - b)) {
    const list = rng.shuffle(groups.get(g)!);
    const cut = Math.round(list.length * testSize);
    // A loop, not push(...spread): a spread of 100k+ arguments overflows the stack.
    for (let i = 0; i < list.length; i++) (i < cut ? test : train).push(list[i]);
  }
  return { train: Uint32Array.from(train).sort(), test: Uint32Array.from(test).sort() };
}

/** Fold number (0..k-1) per row, stratified. */
export function stratifiedFolds(n: number, k: number, seed: number, strata?: ArrayLike<number>): Uint8Array {
  const rng = new Rng(seed);
  const fold = new Uint8Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = strata ? strata[i] : 0;
    let list = groups.get(g);
    if (!list) groups.set(g, (list = []));
    list.push(i);
  }
  let offset = 0;
  for (const g of [...groups.keys()].sort((a, b) => a - b)) {
    const list = rng.shuffle(groups.get(g)!);
    list.forEach((row, i) => { fold[row] = (i + offset) % k; });
    offset += list.length;
  }
  return fold;
}
