// A boosted head's trees compiled into flat typed arrays (once per model),
// and the walk that sums their leaves for one record's tree values. Learned
// state only: the record's values are the caller's (a Scorer's scratch).
//
// Tree values are the model's inputs as trees read them: a number, or a
// category's level index, and NaN for a missing value or an unseen level
// (which then follows the node's default direction).
import type { Tree } from '../contract/trees.ts';

export interface CompiledForest {
  readonly base: number;
  /** Per tree: its root (a node index, or ~leaf for a tree that is a single leaf). */
  readonly roots: Int32Array;
  /** Per node, over all trees: the input read and the threshold (value ≤ threshold goes left). */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  /** Per node: 1 when a missing value goes right. */
  readonly nanRight: Uint8Array;
  /** Per node, two entries: its left then its right child (a node index, or ~leaf). */
  readonly kids: Int32Array;
  /** Per node: where its category set starts in `catRight` (-1 for a numeric split). */
  readonly catAt: Int32Array;
  /** Per category split, one byte per level of its input: 1 when the level goes right. */
  readonly catRight: Uint8Array;
  readonly leaf: Float64Array;
}

/** `levels[i]`: the number of levels of input i (0 for a number input). */
export function compileForest(base: number, trees: readonly Tree[], levels: ArrayLike<number>): CompiledForest {
  let nodes = 0;
  let leaves = 0;
  let catBytes = 0;
  for (const t of trees) {
    nodes += t.feature.length;
    leaves += t.leaf.length;
    t.categories?.forEach((c, i) => {
      if (c) catBytes += levels[t.feature[i]];
    });
  }
  const roots = new Int32Array(trees.length);
  const feature = new Int32Array(nodes);
  const threshold = new Float64Array(nodes);
  const nanRight = new Uint8Array(nodes);
  const kids = new Int32Array(2 * nodes);
  const catAt = new Int32Array(nodes).fill(-1);
  const catRight = new Uint8Array(catBytes);
  const leaf = new Float64Array(leaves);
  let n0 = 0;
  let l0 = 0;
  let c0 = 0;
  // A child as a global index: node c → n0 + c, leaf ~c → ~(l0 + ~c).
  const global = (c: number) => (c >= 0 ? n0 + c : ~(l0 + ~c));
  trees.forEach((t, ti) => {
    roots[ti] = t.feature.length ? n0 : ~l0;
    for (let i = 0; i < t.feature.length; i++) {
      const g = n0 + i;
      feature[g] = t.feature[i];
      threshold[g] = t.threshold[i];
      nanRight[g] = 1 - t.missingLeft[i];
      kids[2 * g] = global(t.left[i]);
      kids[2 * g + 1] = global(t.right[i]);
      const cats = t.categories?.[i];
      if (cats) {
        catAt[g] = c0;
        catRight.fill(1, c0, c0 + levels[t.feature[i]]);
        for (const level of cats) catRight[c0 + level] = 0;
        c0 += levels[t.feature[i]];
      }
    }
    leaf.set(t.leaf, l0);
    n0 += t.feature.length;
    l0 += t.leaf.length;
  });
  return { base, roots, feature, threshold, nanRight, kids, catAt, catRight, leaf };
}

/**
 * The head's log-odds for tree values `tv`: base plus one leaf per tree,
 * added in tree order. Trees are walked four at a time, a step of each in
 * turn: a step is a chain of dependent loads, and four independent chains
 * overlap their waits. Best of 6 alternated in one Node process, 100 trees
 * of 31 leaves, generator customers: 1.46 µs against 2.46 µs one tree at a time.
 */
export function forestLogit(f: CompiledForest, tv: Float64Array): number {
  const { roots, feature, threshold, nanRight, kids, catAt, catRight, leaf } = f;
  const T = roots.length;
  let sum = f.base;
  let t = 0;
  // Each step: right (1) or left (0) — NaN by the node's default, a number by its threshold, a level by its set.
  for (; t + 4 <= T; t += 4) {
    let a = roots[t];
    let b = roots[t + 1];
    let c = roots[t + 2];
    let d = roots[t + 3];
    while (a >= 0 || b >= 0 || c >= 0 || d >= 0) {
      if (a >= 0) {
        const x = tv[feature[a]];
        const k = catAt[a];
        a = kids[2 * a + (Number.isNaN(x) ? nanRight[a] : k < 0 ? +(x > threshold[a]) : catRight[k + x])];
      }
      if (b >= 0) {
        const x = tv[feature[b]];
        const k = catAt[b];
        b = kids[2 * b + (Number.isNaN(x) ? nanRight[b] : k < 0 ? +(x > threshold[b]) : catRight[k + x])];
      }
      if (c >= 0) {
        const x = tv[feature[c]];
        const k = catAt[c];
        c = kids[2 * c + (Number.isNaN(x) ? nanRight[c] : k < 0 ? +(x > threshold[c]) : catRight[k + x])];
      }
      if (d >= 0) {
        const x = tv[feature[d]];
        const k = catAt[d];
        d = kids[2 * d + (Number.isNaN(x) ? nanRight[d] : k < 0 ? +(x > threshold[d]) : catRight[k + x])];
      }
    }
    sum += leaf[~a];
    sum += leaf[~b];
    sum += leaf[~c];
    sum += leaf[~d];
  }
  for (; t < T; t++) {
    let node = roots[t];
    while (node >= 0) {
      const x = tv[feature[node]];
      const k = catAt[node];
      node = kids[2 * node + (Number.isNaN(x) ? nanRight[node] : k < 0 ? +(x > threshold[node]) : catRight[k + x])];
    }
    sum += leaf[~node];
  }
  return sum;
}

/** The leaf (index within its tree) `tv` reaches in `tree`: the plain-data walk, for the trainer and tests. */
export function treeLeaf(tree: Tree, tv: ArrayLike<number>): number {
  let node = tree.feature.length ? 0 : -1;
  while (node >= 0) {
    const x = tv[tree.feature[node]];
    const cats = tree.categories?.[node];
    const goLeft = Number.isNaN(x) ? tree.missingLeft[node] === 1 : cats ? cats.includes(x) : x <= tree.threshold[node];
    node = goLeft ? tree.left[node] : tree.right[node];
  }
  return ~node;
}
