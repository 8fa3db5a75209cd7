// TreeSHAP against its definition: on random small trees (numeric and category
// splits, missing values, inputs split on more than once along a path) the
// fast algorithm's values equal the Shapley values computed over every
// coalition with the same path-dependent conditional expectation, and the
// base plus the values is the tree's output.
import { describe, expect, it } from 'vitest';
import {
  addTreeShap,
  addTreesShap,
  goesLeft,
  shapScratch,
  treeDepth,
  treeExpectation,
  treesExpectation,
  treeValue,
  type Tree,
} from '../../model/index.ts';
import { random, randomInputs, randomTree, type Space } from '../support/random-trees.ts';

/** E[f | inputs in `present` as in x], path-dependent: an absent input's node averages its children by cover. */
function conditional(t: Tree, x: Float64Array, present: number): number {
  const cover = (c: number) => (c < 0 ? t.leafCover[~c] : t.cover[c]);
  const at = (c: number): number => {
    if (c < 0) return t.leaf[~c];
    const f = t.feature[c];
    if (present & (1 << f)) return at(goesLeft(t, c, x[f]) ? t.left[c] : t.right[c]);
    return (cover(t.left[c]) * at(t.left[c]) + cover(t.right[c]) * at(t.right[c])) / t.cover[c];
  };
  return at(t.feature.length ? 0 : -1);
}

/** Shapley values by their definition: every coalition S of the other inputs, weighted |S|!(m−|S|−1)!/m!. */
function bruteForce(t: Tree, x: Float64Array, m: number): Float64Array {
  const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
  const phi = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    for (let s = 0; s < 1 << m; s++) {
      if (s & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < m; j++) if (s & (1 << j)) size++;
      const weight = (fact(size) * fact(m - size - 1)) / fact(m);
      phi[i] += weight * (conditional(t, x, s | (1 << i)) - conditional(t, x, s));
    }
  }
  return phi;
}

const spaces: Space[] = [
  { m: 3, categoryLevels: new Map() },
  { m: 4, categoryLevels: new Map([[1, 4]]) },
  {
    m: 6,
    categoryLevels: new Map([
      [0, 3],
      [4, 6],
    ]),
  },
];

describe('addTreeShap', () => {
  it('equals the brute-force Shapley values on random small trees to 1e-9', () => {
    const rand = random(15);
    let checked = 0;
    for (const space of spaces) {
      for (let tree = 0; tree < 40; tree++) {
        const t = randomTree(rand, space, 1 + Math.floor(rand() * 5));
        const scratch = shapScratch(treeDepth(t));
        for (let r = 0; r < 8; r++) {
          const x = randomInputs(rand, space);
          const phi = new Float64Array(space.m);
          addTreeShap(t, x, phi, scratch);
          const exact = bruteForce(t, x, space.m);
          for (let i = 0; i < space.m; i++) expect(Math.abs(phi[i] - exact[i])).toBeLessThan(1e-9);
          checked++;
        }
      }
    }
    expect(checked).toBe(spaces.length * 40 * 8);
  });

  it('adds up: expectation + Σ values = the output, with missing values taking the default direction', () => {
    const rand = random(7);
    const space = spaces[2];
    for (let tree = 0; tree < 100; tree++) {
      const t = randomTree(rand, space, 6);
      const scratch = shapScratch(treeDepth(t));
      const x = randomInputs(rand, space);
      const phi = new Float64Array(space.m);
      addTreeShap(t, x, phi, scratch);
      const sum = phi.reduce((a, b) => a + b, 0);
      expect(Math.abs(treeExpectation(t) + sum - treeValue(t, x))).toBeLessThan(1e-9);
    }
  });

  it('gives an input that is never split on nothing, and a missing value the default branch', () => {
    // Root splits input 0 at 0.5, missing goes right; leaves 1 (left) and 3 (right), covers 30 and 10.
    const t: Tree = {
      feature: [0],
      threshold: [0.5],
      missingLeft: [0],
      left: [-1],
      right: [-2],
      cover: [40],
      leaf: [1, 3],
      leafCover: [30, 10],
    };
    expect(treeExpectation(t)).toBeCloseTo(1.5, 15);
    const phi = new Float64Array(2);
    addTreeShap(t, [Number.NaN, 0.1], phi, shapScratch(treeDepth(t)));
    expect([...phi]).toEqual([1.5, 0]);
  });

  it('sums over an ensemble, accumulating into the caller’s array, and leaves a lone leaf alone', () => {
    const rand = random(99);
    const space = spaces[1];
    const trees = Array.from({ length: 12 }, () => randomTree(rand, space, 4));
    trees.push({
      feature: [],
      threshold: [],
      missingLeft: [],
      left: [],
      right: [],
      cover: [],
      leaf: [0.7],
      leafCover: [80],
    });
    const scratch = shapScratch(Math.max(...trees.map(treeDepth)));
    const x = randomInputs(rand, space);
    const phi = new Float64Array(space.m).fill(1);
    addTreesShap(trees, x, phi, scratch);
    const output = trees.reduce((a, t) => a + treeValue(t, x), 0);
    const sum = phi.reduce((a, b) => a + b, 0) - space.m;
    expect(Math.abs(treesExpectation(trees) + sum - output)).toBeLessThan(1e-9);
  });
});
