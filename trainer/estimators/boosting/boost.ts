// Gradient boosting for a binary target (log loss), as scikit-learn's
// HistGradientBoostingClassifier: start from the training rows' log-odds, then
// each iteration fits a tree to the gradients p − y and hessians p(1 − p) and
// adds its leaves (learning rate applied). Early stopping, on by default from
// 10,000 rows, holds out a stratified tenth of the rows and stops when the
// held-out log loss has not improved by 1e-7 in 10 iterations.
import { compileForest, forestLogit, sigmoid, type Tree } from '../../../model/index.ts';
import { roundSig } from '../../round.ts';
import { pickAt, stratifiedSplit } from '../split.ts';
import { binLike, type BinnedColumn, type ColumnKind, releaseBinningScratch } from './binning.ts';
import { exportTree, roundLeaf } from './export.ts';
import { Grower, type GrownNode } from './grower.ts';
import { histogramLayout } from './histogram.ts';
import { boostMemory, releaseMemory } from './memory.ts';
import { addLeaves, binColumnsShared, computeGradients, fitThreads, openFitCrew, PARTITION_CHUNK } from './threads.ts';

export interface BoostOptions {
  learningRate: number;
  maxIterations: number;
  maxLeaves: number;
  minLeafSize: number;
  l2: number;
  maxBins: number;
  /** "auto": on when there are more than 10,000 rows. */
  earlyStopping: 'auto' | boolean;
}

/** scikit-learn's defaults (l2_regularization 0, max_leaf_nodes 31, min_samples_leaf 20, max_bins 255). */
export const BOOST_DEFAULTS: BoostOptions = {
  learningRate: 0.1,
  maxIterations: 100,
  maxLeaves: 31,
  minLeafSize: 20,
  l2: 0,
  maxBins: 255,
  earlyStopping: 'auto',
};

/** scikit-learn's early-stopping settings: validation_fraction, n_iter_no_change, tol, and the 'auto' row count. */
export const EARLY_STOPPING = { fraction: 0.1, patience: 10, tol: 1e-7, fromRows: 10_000 };

/**
 * The rows trees read, one column per model input (in input order): a number,
 * or a level index for a category input (`levels[j]` levels, 0 for a number),
 * NaN when missing. `kinds[j]` says how the column is split; `use[j]` whether
 * trees may split on it at all.
 */
export interface TreeData {
  columns: readonly Float64Array[];
  kinds: readonly ColumnKind[];
  levels: readonly number[];
  use: readonly boolean[];
}

export interface BoostedFit {
  base: number;
  /** Threads the fit shared its work with (the trees are the same on any number). */
  threads: number;
  trees: Tree[];
  earlyStopping: boolean;
}

const logOdds = (p: number) => Math.log(p / (1 - p));

/** Fits boosted trees on `rows` of `data` with labels y (per row of the columns). Deterministic for a seed. */
export function fitBoosted(
  data: TreeData,
  y: Uint8Array,
  rows: Uint32Array,
  options: BoostOptions,
  seed: number,
): BoostedFit {
  const early =
    options.earlyStopping === 'auto' ? rows.length > EARLY_STOPPING.fromRows : options.earlyStopping === true;
  let fitRows: Uint32Array = rows;
  let valRows: Uint32Array = new Uint32Array(0);
  if (early) {
    const split = stratifiedSplit(rows.length, EARLY_STOPPING.fraction, seed, pickAt(y, rows));
    fitRows = pickAt(rows, split.train);
    valRows = pickAt(rows, split.test);
  }
  const inputOf = data.columns.flatMap((_, j) => (data.use[j] ? [j] : []));
  // A category with more levels than a byte holds is split by its level index, as a number.
  const kinds = inputOf.map((j) => (data.kinds[j] === 'category' && data.levels[j] > 254 ? 'number' : data.kinds[j]));
  const threads = fitThreads(fitRows.length, inputOf.length);
  const columns = binColumnsShared(
    inputOf.map((j) => data.columns[j]),
    kinds,
    inputOf.map((j) => data.levels[j]),
    fitRows,
    options.maxBins,
    seed,
    threads,
  );
  const n = fitRows.length;
  const yFit = pickAt(y, fitRows);
  let positives = 0;
  for (let i = 0; i < n; i++) positives += yFit[i];
  const rate = Math.min(Math.max(positives / n, 1e-12), 1 - 1e-12);
  const base = roundSig(logOdds(rate));

  const { off, size } = histogramLayout(columns.map((c) => c.bins));
  const memory = boostMemory(
    columns.map((c) => c.codes),
    off,
    size,
    yFit,
    threads,
    options.maxLeaves,
    PARTITION_CHUNK,
  );
  const grower = new Grower(columns, off, size, memory, options);
  const { F } = memory;
  F.fill(base);
  const trees: Tree[] = [];

  const valCodes = early ? columns.map((c, k) => binLike(c, data.columns[inputOf[k]], valRows)) : [];
  releaseBinningScratch();
  const yVal = pickAt(y, valRows);
  const FV = new Float64Array(valRows.length).fill(base);
  const scores = early ? [-logLoss(FV, yVal)] : [];

  // The crew's workers wait on this fit alone until it is closed, whatever happens.
  const crew = openFitCrew(memory);
  try {
    for (let it = 0; it < options.maxIterations; it++) {
      computeGradients(memory);
      const nodes = grower.grow();
      const leaves = nodes.filter((node) => !node.split);
      leaves.forEach((node, k) => {
        // The rounded value, as it ships: the loop continues from what the model will score.
        node.value = roundLeaf(node.value);
        memory.leafRanges[2 * k] = node.start;
        memory.leafRanges[2 * k + 1] = node.end;
        memory.leafValues[k] = node.value;
      });
      addLeaves(memory, leaves.length);
      trees.push(exportTree(nodes, columns, inputOf));
      if (!early) continue;
      addBinned(nodes, columns, valCodes, FV);
      scores.push(-logLoss(FV, yVal));
      if (shouldStop(scores)) break;
    }
  } finally {
    crew.close();
    releaseMemory(memory);
  }
  return { base, threads, trees, earlyStopping: early };
}

/** scikit-learn's _should_stop: no score of the last `patience` beats the one before them by more than tol. */
function shouldStop(scores: number[]): boolean {
  const { patience, tol } = EARLY_STOPPING;
  if (scores.length < patience + 1) return false;
  const reference = scores[scores.length - patience - 1] + tol;
  for (let i = scores.length - patience; i < scores.length; i++) if (scores[i] > reference) return false;
  return true;
}

function logLoss(F: Float64Array, y: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < F.length; i++) {
    // log(1 + e^F) − y·F, computed without overflow.
    const f = F[i];
    sum += (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - y[i] * f;
  }
  return sum / Math.max(F.length, 1);
}

/** Adds a grown tree's leaf values to F for rows given as bin codes. */
function addBinned(nodes: GrownNode[], columns: readonly BinnedColumn[], codes: Uint8Array[], F: Float64Array): void {
  const left = nodes.map((node) => {
    const s = node.split;
    if (!s) return null;
    const bins = columns[s.column].bins;
    const goes = new Uint8Array(bins + 1);
    if (s.categories) for (const c of s.categories) goes[c] = 1;
    else goes.fill(1, 0, s.bin + 1);
    goes[bins] = s.missingLeft ? 1 : 0;
    return goes;
  });
  for (let i = 0; i < F.length; i++) {
    let at = 0;
    while (nodes[at].split) at = left[at]![codes[nodes[at].split!.column][i]] === 1 ? nodes[at].left : nodes[at].right;
    F[i] += nodes[at].value;
  }
}

/** Probabilities of `rows` under a fitted head, by the scorer's own tree walk over the raw columns. */
export function predictBoosted(
  fit: Pick<BoostedFit, 'base' | 'trees'>,
  data: TreeData,
  rows: Uint32Array,
): Float64Array {
  const forest = compileForest(fit.base, fit.trees, data.levels);
  const tv = new Float64Array(data.columns.length);
  const p = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < tv.length; j++) tv[j] = data.columns[j][rows[i]];
    p[i] = sigmoid(forestLogit(forest, tv));
  }
  return p;
}
