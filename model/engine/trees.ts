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
  /** Per node, over all trees: the input read, threshold, NaN's side, children (node, or ~leaf). */
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly missingLeft: Uint8Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Per node: where its category set starts in `catLeft` (-1 for a numeric split). */
  readonly catAt: Int32Array;
  /** Per category split, one byte per level of its input: 1 when the level goes left. */
  readonly catLeft: Uint8Array;
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
  const missingLeft = new Uint8Array(nodes);
  const left = new Int32Array(nodes);
  const right = new Int32Array(nodes);
  const catAt = new Int32Array(nodes).fill(-1);
  const catLeft = new Uint8Array(catBytes);
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
      missingLeft[g] = t.missingLeft[i];
      left[g] = global(t.left[i]);
      right[g] = global(t.right[i]);
      const cats = t.categories?.[i];
      if (cats) {
        catAt[g] = c0;
        for (const level of cats) catLeft[c0 + level] = 1;
        c0 += levels[t.feature[i]];
      }
    }
    leaf.set(t.leaf, l0);
    n0 += t.feature.length;
    l0 += t.leaf.length;
  });
  return { base, roots, feature, threshold, missingLeft, left, right, catAt, catLeft, leaf };
}

/** The head's log-odds for tree values `tv`: base plus one leaf per tree, added in tree order. */
export function forestLogit(f: CompiledForest, tv: Float64Array): number {
  const { roots, feature, threshold, missingLeft, left, right, catAt, catLeft, leaf } = f;
  let sum = f.base;
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    while (node >= 0) {
      const x = tv[feature[node]];
      const cat = catAt[node];
      let goLeft: boolean;
      if (Number.isNaN(x)) goLeft = missingLeft[node] === 1;
      else if (cat < 0) goLeft = x <= threshold[node];
      else goLeft = catLeft[cat + x] === 1;
      node = goLeft ? left[node] : right[node];
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
