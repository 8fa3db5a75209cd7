// Exact path-dependent TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2, as
// in the shap package's tree_shap_recursive): each input's Shapley value for
// one tree's output, where "an input is absent" means the cover-weighted
// average over both children of every node that splits on it. In polynomial
// time (leaves × depth²) rather than over all 2^M coalitions.
//
// A tree reads the model's inputs (see ../contract/trees.ts): a number, a
// category's level index, NaN for missing or unseen, which follows the node's
// default direction — so for a missing value the "present" path is the
// default one. Everything per call lives in a caller-owned ShapScratch.
import type { Tree } from '../contract/trees.ts';

/**
 * The unique path of Algorithm 2 as parallel arrays, one segment per depth
 * of recursion: the input split on, the share of rows taking this branch
 * when the input is absent (zero) and whether the record takes it when it is
 * present (one), and the permutation weight.
 */
export interface ShapScratch {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  /** Row stride of the ratio tables: entry (d, i) is at d * stride + i. */
  readonly stride: number;
  /** (i + 1) / (d + 1), (d − i) / (d + 1) and their reciprocals: the path's ratios, multiplied rather than divided (divisions on the recursion's dependency chain were most of its time). */
  readonly upRatio: Float64Array;
  readonly downRatio: Float64Array;
  readonly upInverse: Float64Array;
  readonly downInverse: Float64Array;
}

/** Scratch for trees of depth at most `maxDepth` (internal nodes on the longest root-to-leaf path). */
export function shapScratch(maxDepth: number): ShapScratch {
  // The recursion at depth u uses u + 1 elements after its parent's: Σ_{u ≤ D+1} (u + 1), as shap sizes it.
  const m = maxDepth + 2;
  const size = (m * (m + 1)) / 2;
  const stride = m + 1;
  const upRatio = new Float64Array(stride * stride);
  const downRatio = new Float64Array(stride * stride);
  const upInverse = new Float64Array(stride * stride);
  const downInverse = new Float64Array(stride * stride);
  for (let d = 0; d < stride; d++) {
    for (let i = 0; i <= d; i++) {
      upRatio[d * stride + i] = (i + 1) / (d + 1);
      downRatio[d * stride + i] = (d - i) / (d + 1);
      upInverse[d * stride + i] = (d + 1) / (i + 1);
      downInverse[d * stride + i] = i < d ? (d + 1) / (d - i) : 0;
    }
  }
  return {
    feature: new Int32Array(size),
    zero: new Float64Array(size),
    one: new Float64Array(size),
    weight: new Float64Array(size),
    stride,
    upRatio,
    downRatio,
    upInverse,
    downInverse,
  };
}

/** Internal nodes on the longest root-to-leaf path (0 for a lone leaf). */
export function treeDepth(t: Tree): number {
  if (!t.feature.length) return 0;
  const depthOf = (c: number): number => (c < 0 ? 0 : 1 + Math.max(depthOf(t.left[c]), depthOf(t.right[c])));
  return depthOf(0);
}

/** Does a record with value `v` at internal node `node` go left? NaN takes the default direction. */
export function goesLeft(t: Tree, node: number, v: number): boolean {
  if (Number.isNaN(v)) return t.missingLeft[node] === 1;
  const levels = t.categories?.[node];
  if (levels) return levels.includes(v);
  return v <= t.threshold[node];
}

/** Training rows through child reference c (internal node or leaf). */
const coverOf = (t: Tree, c: number) => (c < 0 ? t.leafCover[~c] : t.cover[c]);

/**
 * The tree's expected output with every input absent: its leaves weighted by
 * the product of cover shares along their paths (the cover-weighted mean
 * leaf value when each node's cover is its children's sum). TreeSHAP's base.
 */
export function treeExpectation(t: Tree): number {
  const expect = (c: number): number => {
    if (c < 0) return t.leaf[~c];
    const w = t.cover[c];
    return (coverOf(t, t.left[c]) * expect(t.left[c]) + coverOf(t, t.right[c]) * expect(t.right[c])) / w;
  };
  return expect(t.feature.length ? 0 : -1);
}

/** The tree's output for inputs `x`. */
export function treeValue(t: Tree, x: ArrayLike<number>): number {
  if (!t.feature.length) return t.leaf[0];
  let c = 0;
  while (c >= 0) c = goesLeft(t, c, x[t.feature[c]]) ? t.left[c] : t.right[c];
  return t.leaf[~c];
}

/**
 * Adds each input's Shapley value for tree `t` at inputs `x` into `phi`
 * (one slot per model input): Σ phi added = treeValue − treeExpectation.
 * `scratch` must fit the tree's depth (shapScratch(treeDepth(t))).
 */
export function addTreeShap(t: Tree, x: ArrayLike<number>, phi: Float64Array, s: ShapScratch): void {
  if (!t.feature.length) return;
  recurse(t, x, phi, s, 0, 0, 0, 0, 1, 1, -1);
}

function recurse(
  t: Tree,
  x: ArrayLike<number>,
  phi: Float64Array,
  s: ShapScratch,
  node: number,
  parentStart: number,
  start: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = s;
  // This call's own copy of the path (its children write theirs after it). A loop, not copyWithin:
  // the paths are a few elements long, and four calls per node cost more than the copying.
  for (let i = 0; i < depth; i++) {
    pf[start + i] = pf[parentStart + i];
    pz[start + i] = pz[parentStart + i];
    po[start + i] = po[parentStart + i];
    pw[start + i] = pw[parentStart + i];
  }
  extendPath(s, start, depth, zeroFraction, oneFraction, feature);

  if (node < 0) {
    const value = t.leaf[~node];
    // The elements the record does not take (one = 0) all unwind to the same sum over their own
    // zero fraction, so it is computed once per leaf rather than once per element: a leaf's cost
    // falls from depth² towards depth on the paths the record leaves.
    let cold = -1;
    for (let i = 1; i <= depth; i++) {
      const at = start + i;
      let w: number;
      if (po[at] === 0) {
        if (cold < 0) cold = coldPathSum(s, start, depth);
        w = cold / pz[at];
      } else w = unwoundPathSum(s, start, depth, i);
      phi[pf[at]] += w * (po[at] - pz[at]) * value;
    }
    return;
  }

  const split = t.feature[node];
  const left = goesLeft(t, node, x[split]);
  const hot = left ? t.left[node] : t.right[node];
  const cold = left ? t.right[node] : t.left[node];
  const w = t.cover[node];
  const hotZero = coverOf(t, hot) / w;
  const coldZero = coverOf(t, cold) / w;
  let incomingZero = 1;
  let incomingOne = 1;
  // An input split on higher up: undo its element, and carry its fractions down.
  let k = 0;
  while (k <= depth && pf[start + k] !== split) k++;
  if (k <= depth) {
    incomingZero = pz[start + k];
    incomingOne = po[start + k];
    unwindPath(s, start, depth, k);
    depth -= 1;
  }
  const next = start + depth + 1;
  recurse(t, x, phi, s, hot, start, next, depth + 1, hotZero * incomingZero, incomingOne, split);
  recurse(t, x, phi, s, cold, start, next, depth + 1, coldZero * incomingZero, 0, split);
}

function extendPath(s: ShapScratch, start: number, depth: number, zero: number, one: number, feature: number): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = s;
  const at = start + depth;
  pf[at] = feature;
  pz[at] = zero;
  po[at] = one;
  pw[at] = depth === 0 ? 1 : 0;
  const row = depth * s.stride;
  const { upRatio, downRatio } = s;
  for (let i = depth - 1; i >= 0; i--) {
    pw[start + i + 1] += one * pw[start + i] * upRatio[row + i];
    pw[start + i] = zero * pw[start + i] * downRatio[row + i];
  }
}

function unwindPath(s: ShapScratch, start: number, depth: number, k: number): void {
  const { feature: pf, zero: pz, one: po, weight: pw } = s;
  const one = po[start + k];
  const zero = pz[start + k];
  let nextOne = pw[start + depth];
  const row = depth * s.stride;
  const { downRatio, upInverse, downInverse } = s;
  if (one !== 0) {
    const invOne = 1 / one;
    for (let i = depth - 1; i >= 0; i--) {
      const at = start + i;
      const tmp = pw[at];
      pw[at] = nextOne * upInverse[row + i] * invOne;
      nextOne = tmp - pw[at] * zero * downRatio[row + i];
    }
  } else {
    const invZero = 1 / zero;
    for (let i = depth - 1; i >= 0; i--) pw[start + i] = pw[start + i] * invZero * downInverse[row + i];
  }
  for (let i = k; i < depth; i++) {
    pf[start + i] = pf[start + i + 1];
    pz[start + i] = pz[start + i + 1];
    po[start + i] = po[start + i + 1];
  }
}

/** The total permutation weight of the path with element k unwound, without changing it. */
function unwoundPathSum(s: ShapScratch, start: number, depth: number, k: number): number {
  const { zero: pz, one: po, weight: pw } = s;
  const one = po[start + k];
  const zero = pz[start + k];
  let nextOne = pw[start + depth];
  let total = 0;
  const row = depth * s.stride;
  const { downRatio, upInverse, downInverse } = s;
  if (one !== 0) {
    const invOne = 1 / one;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = nextOne * upInverse[row + i] * invOne;
      total += tmp;
      nextOne = pw[start + i] - tmp * zero * downRatio[row + i];
    }
  } else {
    const invZero = 1 / zero;
    for (let i = depth - 1; i >= 0; i--) total += pw[start + i] * invZero * downInverse[row + i];
  }
  return total;
}

/**
 * unwoundPathSum for any element with one = 0, times that element's zero
 * fraction: Σ_j weight_j · (d + 1) / (d − j), the same for all of them.
 */
function coldPathSum(s: ShapScratch, start: number, depth: number): number {
  const { weight: pw, downInverse } = s;
  const row = depth * s.stride;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) total += pw[start + i] * downInverse[row + i];
  return total;
}

/** Σ over trees of their expectation: a boosted head's base, less its initial log-odds. */
export function treesExpectation(trees: readonly Tree[]): number {
  let e = 0;
  for (const t of trees) e += treeExpectation(t);
  return e;
}

/** Adds each input's Shapley value for the sum of `trees` at inputs `x` into `phi`; `scratch` fits the deepest tree. */
export function addTreesShap(trees: readonly Tree[], x: ArrayLike<number>, phi: Float64Array, s: ShapScratch): void {
  for (const t of trees) addTreeShap(t, x, phi, s);
}
