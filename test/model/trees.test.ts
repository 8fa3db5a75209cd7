// Boosted heads in the contract and the scorer: trees are validated on load
// (indices in range, each node reached once, finite values, known levels),
// and the scorer walks them over the raw inputs, sending a missing value or an
// unseen level its node's default way rather than imputing it.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  createScorer,
  type ModelError,
  sigmoid,
  type Model,
  type Tree,
  validateModel,
} from '../../model/index.ts';
import { withForest } from '../support/random-trees.ts';
import { trainSample } from '../support/sample-model.ts';

let model: Model;
beforeAll(async () => {
  model = await trainSample({ target: { purchased: { model: 'logistic' } } });
});

const at = (name: string) => model.inputs.findIndex((f) => f.name === name);
const regionLevels = () => (model.inputs[at('region')] as { levels: string[] }).levels;

/** age ≤ 45 (missing: right) → region in {first level} (missing: left) ; a second tree: a single leaf. */
function trees(): Tree[] {
  return [
    {
      feature: [at('age'), at('region')],
      threshold: [45, 0],
      missingLeft: [0, 1],
      categories: [null, [0]],
      left: [1, -1],
      right: [-3, -2],
      cover: [100, 60],
      leaf: [0.5, -0.25, 0.125],
      leafCover: [30, 30, 40],
    },
    { feature: [], threshold: [], missingLeft: [], left: [], right: [], cover: [], leaf: [0.0625], leafCover: [100] },
  ];
}

const boosted = (t: Tree[] = trees()): Model => withForest(JSON.parse(JSON.stringify(model)), t, -1);

const problems = (doc: unknown): string[] => {
  try {
    validateModel(doc);
    return [];
  } catch (e) {
    return (e as ModelError).problems;
  }
};

describe('a boosted head in the model', () => {
  it('is accepted as the trainer would write it, in format /3', () => {
    expect(problems(boosted())).toEqual([]);
  });

  it('needs format /3, and /3 needs a boosted head', () => {
    expect(problems({ ...boosted(), format: 'edgeseg.model/2' })).toEqual([
      'format: must be "edgeseg.model/3": edgeseg.model/3 is for models with a boosted head',
    ]);
    expect(problems({ ...model, format: 'edgeseg.model/3' })).toEqual([
      'format: must be "edgeseg.model/2": edgeseg.model/3 is for models with a boosted head',
    ]);
  });

  it.each([
    [
      'a cycle',
      (t: Tree[]) => (t[0].left[1] = 0),
      'targets[0].trees[0]: node 0 is reached twice (a cycle or a shared subtree)',
    ],
    [
      'a shared leaf',
      (t: Tree[]) => (t[0].right[1] = -1),
      'targets[0].trees[0]: leaf 0 is reached twice (a cycle or a shared subtree)',
    ],
    [
      'a child out of range',
      (t: Tree[]) => (t[0].right[0] = -9),
      'targets[0].trees[0].right[0]: must be an internal node below 2 or a leaf ~i with i below 3',
    ],
    [
      'an input out of range',
      (t: Tree[]) => (t[0].feature[0] = 99),
      `targets[0].trees[0].feature[0]: must be an input index below ${10}`,
    ],
    [
      'a leaf that is not finite',
      (t: Tree[]) => (t[0].leaf[2] = Number.NaN),
      'targets[0].trees[0].leaf[2]: must be a finite number',
    ],
    [
      'a level the input lacks',
      (t: Tree[]) => (t[0].categories![1] = [0, 9]),
      `targets[0].trees[0].categories[1]: must be increasing level indices below ${4}`,
    ],
    [
      'a category set on a number input',
      (t: Tree[]) => (t[0].categories![0] = [1]),
      'targets[0].trees[0].categories[0]: splits a number input: must be null',
    ],
    ['a missing leaf', (t: Tree[]) => t[0].leaf.pop(), 'targets[0].trees[0].leaf: must be an array of 3'],
  ])('is refused, by path, with %s', (_what, spoil, problem) => {
    const t = trees();
    spoil(t);
    const doc = JSON.parse(JSON.stringify(boosted(t), (_k, v) => (Number.isNaN(v) ? 'NaN' : v)));
    expect(problems(doc)).toContain(
      problem.replace('below 10', `below ${model.inputs.length}`).replace('below 4', `below ${regionLevels().length}`),
    );
  });

  it('refuses a node no path reaches', () => {
    const t = trees();
    // Node 1 points at itself and the root skips it: the leaves it should own are never reached.
    t[0].left[0] = -2;
    t[0].left[1] = 1;
    t[0].right[1] = -1;
    expect(problems(boosted(t)).join('\n')).toMatch(/reached twice|not reachable/);
  });
});

describe('scoring a boosted head', () => {
  const record = (over: Record<string, unknown>) => {
    const r: Record<string, unknown> = {};
    model.inputs.forEach((f) => {
      r[f.name] = f.type === 'number' ? f.impute : f.levels[0];
    });
    return { ...r, ...over };
  };
  const p = (logit: number) => sigmoid(-1 + logit + 0.0625);

  it('walks the trees over raw inputs: threshold, category set, default directions', () => {
    const scorer = createScorer(compileModel(boosted()));
    const score = (over: Record<string, unknown>, options?: { text?: boolean }) => {
      const out = scorer.scoreRecord(record(over), options);
      if (!out.ok) throw new Error(JSON.stringify(out.problems));
      return out.result.scores.purchased;
    };
    const [first, second] = regionLevels();
    expect(score({ age: 45, region: first })).toBeCloseTo(p(0.5), 12);
    expect(score({ age: 45, region: second })).toBeCloseTo(p(-0.25), 12);
    expect(score({ age: 45.5, region: first })).toBeCloseTo(p(0.125), 12);
    // Missing age goes right (not imputed with the median, which is ≤ 45), a missing region goes left.
    expect((model.inputs[at('age')] as { impute: number }).impute).toBeLessThanOrEqual(45);
    expect(score({ age: undefined, region: first })).toBeCloseTo(p(0.125), 12);
    expect(score({ age: '', region: first }, { text: true })).toBeCloseTo(p(0.125), 12);
    expect(score({ age: 30, region: undefined })).toBeCloseTo(p(0.5), 12);
    // An unseen level is missing for the trees: left here, although it is not in the left set.
    expect(score({ age: 30, region: 'Atlantis' })).toBeCloseTo(p(0.5), 12);
    // A plain record after a record with missing values: nothing of the first is left behind.
    expect(score({ age: 30, region: second })).toBeCloseTo(p(-0.25), 12);
  });
});
