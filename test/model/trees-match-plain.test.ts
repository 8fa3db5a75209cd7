// The compiled forest walk (four lanes of preorder nodes over slots, see
// model/engine/trees.ts) sums exactly what the plain walk of each tree sums,
// to the last bit: the same leaves, added in tree order, whatever the number
// of trees (lanes left empty or uneven), single-leaf trees, missing values,
// category sets, thresholds on a category's level index, and values that
// are no level at all.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileForest, forestLogit } from '../../model/index.ts';
import {
  plainLogit,
  random,
  randomTree,
  walkLevels as levels,
  walkSpace as space,
  walkValues as values,
  withLevelThresholds,
} from '../support/random-trees.ts';

describe('the compiled forest walk', () => {
  it('equals the plain walk to the bit on random forests and records', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 7 }),
        (seed, count, maxDepth) => {
          const rand = random(seed);
          const trees = Array.from({ length: count }, () =>
            withLevelThresholds(rand, randomTree(rand, space, Math.floor(rand() * (maxDepth + 1)))),
          );
          const base = rand() - 0.5;
          const forest = compileForest(base, trees, levels);
          const other = compileForest(base, trees.slice(1), levels);
          for (let r = 0; r < 20; r++) {
            const tv = values(rand);
            expect(forestLogit(forest, tv)).toBe(plainLogit(base, trees, tv));
            // Another forest's walk in between leaves nothing behind that changes the next.
            expect(forestLogit(other, values(rand))).toBeTypeOf('number');
            expect(forestLogit(forest, tv)).toBe(plainLogit(base, trees, tv));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('walks a forest of 100 deep trees the same, each leaf once', () => {
    const rand = random(15);
    const trees = Array.from({ length: 100 }, () => randomTree(rand, space, 12));
    const forest = compileForest(0.25, trees, levels);
    for (let r = 0; r < 200; r++) {
      const tv = values(rand);
      expect(forestLogit(forest, tv)).toBe(plainLogit(0.25, trees, tv));
    }
  });

  it('is the base alone without trees', () => {
    expect(forestLogit(compileForest(-1.5, [], levels), new Float64Array(space.m))).toBe(-1.5);
  });
});
