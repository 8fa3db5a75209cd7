// A boosted head trained on worker threads is the head one thread trains,
// byte for byte in the model JSON: the gradient pass and every histogram
// (the root's and the nodes') shared out, with early stopping and the folds'
// fits, on numbers with gaps and a category.
import { afterEach, beforeAll, expect, it } from 'vitest';
import { fitBoostedHead } from '../../trainer/heads/boosted.ts';
import type { TreeData } from '../../trainer/estimators/boosting/boost.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { configureParallel, parallelSettings, startWorkers, workerItemCount } from '../../trainer/parallel/pool.ts';

const initial = parallelSettings();
afterEach(() => configureParallel(initial));
beforeAll(() => startWorkers(1));

/** n rows: three numbers (one with 10% missing) and a category of 5 levels, the label depending on all of them. */
function table(n: number) {
  const rng = new Rng(5);
  const cols = [0, 1, 2, 3].map(() => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    cols[0][i] = rng.normal();
    cols[1][i] = rng.next() < 0.1 ? Number.NaN : rng.next() * 10;
    cols[2][i] = rng.normal();
    cols[3][i] = rng.int(5);
    const z = cols[0][i] + (Number.isNaN(cols[1][i]) ? 1 : Math.sin(cols[1][i])) + [0, 1, -1, 0.5, 0][cols[3][i]];
    y[i] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const data: TreeData = {
    columns: cols,
    kinds: ['number', 'number', 'number', 'category'],
    levels: [0, 0, 0, 5],
    use: [true, true, true, true],
  };
  return { data, y };
}

function trainHead(threads: number): string {
  // minWork 0: every job is shared, however small its node.
  configureParallel({ threads, minWork: 0 });
  const n = 12_000;
  const { data, y } = table(n);
  const tr = Uint32Array.from({ length: 10_000 }, (_, i) => i);
  const te = Uint32Array.from({ length: n - 10_000 }, (_, i) => 10_000 + i);
  const { head } = fitBoostedHead({
    name: 'y',
    positive: '1',
    data,
    rowsTr: tr,
    ytr: Uint8Array.from(tr, (r) => y[r]),
    rowsTe: te,
    yte: Uint8Array.from(te, (r) => y[r]),
    config: { model: 'boosted', maxIterations: 15, earlyStopping: true },
    folds: 2,
    seed: 3,
  });
  return JSON.stringify(head);
}

it('trains the same head, byte for byte, on one thread and on two', () => {
  const one = trainHead(1);
  const before = workerItemCount();
  const two = trainHead(2);
  // The worker thread did take part.
  expect(workerItemCount()).toBeGreaterThan(before);
  expect(two).toBe(one);
  expect(JSON.parse(one).trees).toHaveLength(15);
});
