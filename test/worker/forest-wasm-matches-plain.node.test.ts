// The worker's WebAssembly forest walk (worker/records-wasm/forest.wat) gives
// every record of a block the log-odds forestLogit gives, to the last bit,
// and the plain walk of each tree's leaves (treeLeaf) adds up to the same:
// on random forests with missing values, category sets, thresholds on a
// level index, values that are no level, part blocks, two forests over one
// block's values, and many models walked in turn by one module.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BLOCK, type CompiledForest, compileForest, forestLogit, type Tree } from '../../model/index.ts';
import { ForestWalk } from '../../worker/records-wasm/forest.ts';
import {
  plainLogit,
  random,
  randomTree,
  walkLevels as levels,
  walkSpace as space,
  walkValues as values,
  withLevelThresholds,
} from '../support/random-trees.ts';

const forestModule = new WebAssembly.Module(readFileSync('worker/records-wasm/forest.wasm'));

function randomForest(rand: () => number, count: number, maxDepth: number): { forest: CompiledForest; trees: Tree[] } {
  const trees = Array.from({ length: count }, () =>
    withLevelThresholds(rand, randomTree(rand, space, Math.floor(rand() * (maxDepth + 1)))),
  );
  const base = rand() - 0.5;
  return { forest: compileForest(base, trees, levels), trees };
}

/** Hands `records` over to `walk` for `forests` and walks each; per forest, the log-odds (copied). */
function walkAll(walk: ForestWalk, forests: readonly CompiledForest[], records: readonly Float64Array[]): number[][] {
  const block = walk.values(forests);
  records.forEach((tv, j) => block.set(tv, j * space.m));
  return forests.map((f) => Array.from(walk.walk(f, records.length).subarray(0, records.length)));
}

describe('the WebAssembly forest walk', () => {
  it('equals forestLogit and the plain walk to the bit, block by block, two forests over the same values', () => {
    const walk = new ForestWalk(forestModule);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: BLOCK }),
        (seed, count, maxDepth, records) => {
          const rand = random(seed);
          const one = randomForest(rand, count, maxDepth);
          const two = randomForest(rand, Math.floor(rand() * 6), maxDepth);
          const block = Array.from({ length: records }, () => values(rand));
          const [a, b] = walkAll(walk, [one.forest, two.forest], block);
          block.forEach((tv, j) => {
            expect(a[j]).toBe(forestLogit(one.forest, tv));
            expect(a[j]).toBe(plainLogit(one.forest.base, one.trees, tv));
            expect(b[j]).toBe(forestLogit(two.forest, tv));
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks a forest of 100 deep trees the same over full blocks', () => {
    const rand = random(15);
    const trees = Array.from({ length: 100 }, () => randomTree(rand, space, 12));
    const forest = compileForest(0.25, trees, levels);
    const walk = new ForestWalk(forestModule);
    for (let r = 0; r < 4; r++) {
      const block = Array.from({ length: BLOCK }, () => values(rand));
      const [out] = walkAll(walk, [forest], block);
      block.forEach((tv, j) => expect(out[j]).toBe(plainLogit(0.25, trees, tv)));
    }
  });

  it('keeps the sign of a zero sum as forestLogit does, and is the base alone without trees', () => {
    /**
     * `splits` splits on input 1 at 0.5, each the left child of the one before, each with a leaf on
     * its right, all leaves `value`: a split, or a split's split child, adds nothing to a sum, not even +0 to −0.
     */
    const treeOf = (value: number, splits: number): Tree => {
      const ids = [...Array(splits).keys()];
      return {
        feature: ids.map(() => 1),
        threshold: ids.map(() => 0.5),
        missingLeft: ids.map(() => 1),
        left: ids.map((i) => (i + 1 < splits ? i + 1 : ~splits)),
        right: ids.map((i) => ~i),
        cover: ids.map((i) => splits + 1 - i),
        leaf: [...ids.map(() => value), value],
        leafCover: [...ids.map(() => 1), 1],
      };
    };
    const walk = new ForestWalk(forestModule);
    const tv = new Float64Array(space.m);
    for (const splits of [0, 1, 3])
      for (const [base, leaves] of [
        [-0, []],
        [-0, [-0]],
        [-0, [-0, -0, -0, -0, -0]],
        [0, [-0]],
        [-0, [0]],
        [-1.5, []],
      ] as [number, number[]][]) {
        const forest = compileForest(
          base,
          leaves.map((v) => treeOf(v, splits)),
          levels,
        );
        const [[out]] = walkAll(walk, [forest], [tv]);
        expect(out).toBe(forestLogit(forest, tv));
        expect(out).toBe(
          plainLogit(
            base,
            leaves.map((v) => treeOf(v, splits)),
            tv,
          ),
        );
      }
  });

  it('walks many models in turn in one module without its memory outgrowing a working set', () => {
    const rand = random(7);
    const walk = new ForestWalk(forestModule);
    const models = Array.from({ length: 40 }, (_, i) => randomForest(rand, 20 + (i % 3) * 40, 9));
    let largest = 0;
    for (let round = 0; round < 3; round++)
      for (const { forest } of models) {
        const block = Array.from({ length: 1 + Math.floor(rand() * BLOCK) }, () => values(rand));
        const [out] = walkAll(walk, [forest], block);
        block.forEach((tv, j) => expect(out[j]).toBe(forestLogit(forest, tv)));
        if (round === 0) largest = Math.max(largest, walk.memoryBytes);
      }
    // Grown to hold the largest forests of the first round, never more after (40 forests at once would take far more).
    expect(walk.memoryBytes).toBe(largest);
    expect(walk.memoryBytes).toBeLessThan(models.length * 65536);
  });
});
