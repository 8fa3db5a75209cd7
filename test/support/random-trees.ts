// Seeded random trees in the flat format of model/contract/trees.ts, for
// tests of TreeSHAP and of boosted heads that must not wait for a booster.
import { type BoostedHead, type Model, type Tree, treeLeaf } from '../../model/index.ts';

/** mulberry32: a small seeded generator, so every failure replays. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Inputs 0..m-1; those in `categoryLevels` are categories with that many levels, the rest numbers in `ranges` (else [0, 1)). */
export interface Space {
  m: number;
  categoryLevels: Map<number, number>;
  ranges?: [number, number][];
}

/** A random tree of depth ≤ maxDepth over `space`, its covers consistent (each node's is its children's sum). */
export function randomTree(rand: () => number, space: Space, maxDepth: number): Tree {
  const t: Tree = {
    feature: [],
    threshold: [],
    missingLeft: [],
    categories: [],
    left: [],
    right: [],
    cover: [],
    leaf: [],
    leafCover: [],
  };
  const grow = (depth: number): { ref: number; cover: number } => {
    if (depth === maxDepth || (depth > 0 && rand() < 0.25)) {
      t.leaf.push(rand() * 4 - 2);
      const cover = 1 + Math.floor(rand() * 40);
      t.leafCover.push(cover);
      return { ref: ~(t.leaf.length - 1), cover };
    }
    const node = t.feature.length;
    const f = Math.floor(rand() * space.m);
    const levels = space.categoryLevels.get(f);
    t.feature.push(f);
    t.missingLeft.push(rand() < 0.5 ? 1 : 0);
    if (levels !== undefined) {
      const left = [...Array(levels).keys()].filter(() => rand() < 0.5);
      t.threshold.push(0);
      t.categories!.push(left);
    } else {
      const [lo, hi] = space.ranges?.[f] ?? [0, 1];
      t.threshold.push(lo + rand() * (hi - lo));
      t.categories!.push(null);
    }
    t.left.push(0);
    t.right.push(0);
    t.cover.push(0);
    const l = grow(depth + 1);
    const r = grow(depth + 1);
    t.left[node] = l.ref;
    t.right[node] = r.ref;
    t.cover[node] = l.cover + r.cover;
    return { ref: node, cover: l.cover + r.cover };
  };
  grow(0);
  return t;
}

export function randomInputs(rand: () => number, space: Space): Float64Array {
  const x = new Float64Array(space.m);
  for (let i = 0; i < space.m; i++) {
    const levels = space.categoryLevels.get(i);
    if (rand() < 0.2) x[i] = Number.NaN;
    else x[i] = levels === undefined ? rand() : Math.floor(rand() * levels);
  }
  return x;
}

/** What `withRandomForest` draws: how many trees, how deep at most, the seed, the base log-odds. */
export interface ForestDraw {
  seed: number;
  trees: number;
  maxDepth: number;
  base: number;
  /** Leaf values are divided by this (default 1: as drawn). */
  leafDivisor?: number;
}

/**
 * A logistic model with its first head replaced by seeded random trees over
 * its own inputs (format /3, version left as it was): a boosted head for
 * tests that must not wait for the booster.
 */
export function withRandomForest(m: Model, draw: ForestDraw): Model {
  const space: Space = {
    m: m.inputs.length,
    categoryLevels: new Map(m.inputs.flatMap((f, i) => (f.type === 'category' ? [[i, f.levels.length]] : []))),
    ranges: m.inputs.map((f) => (f.type === 'number' ? [f.min, f.max] : [0, 1])),
  };
  const rand = random(draw.seed);
  const trees = Array.from({ length: draw.trees }, () =>
    randomTree(rand, space, 1 + Math.floor(rand() * draw.maxDepth)),
  );
  const divisor = draw.leafDivisor ?? 1;
  if (divisor !== 1) for (const t of trees) t.leaf = t.leaf.map((v) => v / divisor);
  return withForest(m, trees, draw.base);
}

/** A logistic model with its first head replaced by these trees and base log-odds (format /3, version left as it was). */
export function withForest(m: Model, trees: Tree[], base: number): Model {
  const {
    weights: _w,
    intercept: _i,
    l2: _l,
    choice: _c,
    ...common
  } = m.targets[0] as Extract<Model['targets'][0], { weights: number[] }>;
  const head: BoostedHead = {
    ...common,
    kind: 'boosted',
    base,
    trees,
    params: {
      learningRate: 0.1,
      maxLeaves: 31,
      minLeafSize: 20,
      l2: 0,
      maxBins: 255,
      iterations: trees.length,
      maxIterations: 100,
      earlyStopping: false,
    },
  };
  return { ...m, format: 'edgeseg.model/3', targets: [head] };
}

/** The plain sum of a forest: base, then each tree's leaf in tree order (what every fast walk must equal to the bit). */
export const plainLogit = (base: number, trees: readonly Tree[], tv: ArrayLike<number>) =>
  trees.reduce((sum, t) => sum + t.leaf[treeLeaf(t, tv)], base);

/** The walks' tests' inputs 0..5: 0, 2 and 5 categories (3, 5 and 2 levels), the rest numbers in [0, 1). */
export const walkSpace: Space = {
  m: 6,
  categoryLevels: new Map([
    [0, 3],
    [2, 5],
    [5, 2],
  ]),
};
export const walkLevels = Array.from({ length: walkSpace.m }, (_, i) => walkSpace.categoryLevels.get(i) ?? 0);

/** Some category nodes turned into threshold splits on the level index, which the contract allows. */
export function withLevelThresholds(rand: () => number, t: Tree): Tree {
  const categories = t.categories?.map((c, i) => (c && rand() < 0.3 ? ((t.threshold[i] = rand() * 4), null) : c));
  return { ...t, categories };
}

/** Tree values as callers pass them, and some they might: NaN, ±∞, ±0, a level out of range, a fraction, a huge number. */
export function walkValues(rand: () => number): Float64Array {
  const tv = randomInputs(rand, walkSpace);
  const odd = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 7, -1, 1.5, Number.NaN, -0, 1e300];
  for (let i = 0; i < tv.length; i++) if (rand() < 0.1) tv[i] = odd[Math.floor(rand() * odd.length)];
  return tv;
}
