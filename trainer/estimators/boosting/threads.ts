// The booster's work shared with the worker-thread pool (trainer/parallel):
// over fixed chunks of rows, the gradient pass and a node's partition and
// gradient gather; one item per group of columns, a node's histogram; one per
// leaf, adding the leaves' values to the raw scores; one per column, binning.
// Every item is computed the same way on any thread (a chunk's gradients are
// elementwise, a column's bins add the node's rows in row order, leaves hold
// disjoint rows), so a fit is the same to the bit on 1, 2 or 8 threads. The
// fit's arrays live in one SharedArrayBuffer when the pool has threads
// (./memory.ts), and its steps go to a crew (../../parallel/crew.ts): workers
// held on the fit, so a step costs a few stores to hand out, not a message.
// Steps too small to share stay on the calling thread.
import { type Crew, crewTask, openCrew } from '../../parallel/crew.ts';
import { type ClaimItem, parallelSettings, runParallel, sharedFloat64, threadsFor } from '../../parallel/pool.ts';
import { type BinnedColumn, binColumn, binColumns, type ColumnKind, releaseBinningScratch } from './binning.ts';
import { buildNode, buildRoot, gatherGradients } from './histogram.ts';
import { logLossGradients } from './gradients.ts';
import { kernelModule } from './kernels.ts';
import { type BoostMemory, type MemoryHandle, memoryOf } from './memory.ts';
import { joinChunk, joinPlan, partitionChunk, partitionRange } from './partition.ts';

/** Rows per item of the gradient pass: fixed, so what an item computes never depends on the thread count. */
const GRADIENT_CHUNK = 16_384;
/**
 * Work (row × column updates of a histogram; a row's gradient counts ten)
 * below which a step stays on the calling thread: ~20 µs of work against
 * ~1 µs to hand a step to the crew. The pool's own minWork, when lower
 * (tests set 0), wins, so every path can be run on threads.
 */
const MIN_SHARED_WORK = 20_000;
const GRADIENT_WORK = 10;
/** A row's gradient and hessian fetched into node order, or a leaf's value added to its raw score. */
const GATHER_WORK = 2;
/** Rows per item when a node's rows are partitioned on threads; fixed, as GRADIENT_CHUNK. */
export const PARTITION_CHUNK = 8192;
/** A row's move in a partition counts as much work as about this many histogram updates. */
const PARTITION_WORK = 4;

/** Whether a step of this much work in `items` items goes to the crew. */
function shareStep(m: BoostMemory, work: number, items: number): boolean {
  if (!m.crew || m.crew.helpers === 0 || items < 2) return false;
  return work >= Math.min(MIN_SHARED_WORK, parallelSettings().minWork);
}

/**
 * Rows × columns from which a fit shares its work with the pool. Below it,
 * starting a worker (~40 ms of its own start-up and JIT warm-up, on the
 * other core, with its script bundled once per project state: see
 * ../../parallel/workers.ts) and handing out the steps cost more than the
 * second core saves. Measured on the 2-core host with the WebAssembly
 * kernels, fresh processes alternated: at 80k fit rows × 10 two threads
 * were 6% slower, at 140k even, at 160k 8% faster, at 200k 14%.
 */
const FIT_SHARED_WORK = 1_500_000;

/**
 * Threads a fit of n rows × d columns shares its work with: the pool's
 * threads from FIT_SHARED_WORK (or the pool's own minWork, when lower: tests
 * set 0, so every path runs on threads). A fit is the same to the bit on any
 * number of threads (test/trainer/boosting-threads.test.ts).
 */
export function fitThreads(n: number, d: number): number {
  if (d <= 0 || n * d < Math.min(FIT_SHARED_WORK, parallelSettings().minWork)) return 1;
  return threadsFor(Infinity, d);
}

/** The workers a fit's steps go to, while it lasts (close it when the fit ends). */
export function openFitCrew(m: BoostMemory): Crew {
  m.crew = openCrew('boost-steps', boostStep, m.handle, m.threads);
  return m.crew;
}

// Steps, and the numbers each carries in the crew's params.
const GRADIENTS = 0;
const GATHER = 1; // start, end
const HISTOGRAM = 2; // root (0/1), start, n, histogram index, columns per item
const PARTITION = 3; // start, end, column: each chunk into m.tmp; bins going left in m.goesLeft; counts into m.lefts
const LEAVES = 4; // leaves' ranges and values in m.leafRanges, m.leafValues
const JOIN = 5; // start, end: a partition's chunks from m.tmp to their places in m.rows (m.lefts, m.joinAt)

/** One item of a fit's step, on whichever thread claims it (registered in trainer/parallel/tasks.ts). */
export function boostStep(handle: MemoryHandle, op: number, p: Int32Array, item: number): void {
  const m = memoryOf(handle);
  if (op === GRADIENTS) gradientChunk(m, item * GRADIENT_CHUNK, Math.min(m.y.length, (item + 1) * GRADIENT_CHUNK));
  else if (op === GATHER) {
    const a = p[0] + item * GRADIENT_CHUNK;
    gatherGradients(m.kernels, m.rows, a, Math.min(p[1], a + GRADIENT_CHUNK), m.gh, m.ordered, a - p[0]);
  } else if (op === HISTOGRAM) {
    const d = m.codes.length;
    const j0 = item * p[4];
    const j1 = Math.min(d, j0 + p[4]);
    const out = m.hists[p[3]];
    if (p[0] === 1) buildRoot(m.kernels, m.codes, m.off, m.rootCounts, p[2], m.gh, out, j0, j1);
    else buildNode(m.kernels, m.codes, m.off, m.rows, p[1], p[2], m.ordered, out, j0, j1);
  } else if (op === PARTITION) {
    const a = p[0] + item * PARTITION_CHUNK;
    m.lefts[item] = partitionChunk(m, m.codes[p[2]], m.goesLeft, a, Math.min(p[1], a + PARTITION_CHUNK));
  } else if (op === LEAVES) addLeaf(m, m.leafRanges[2 * item], m.leafRanges[2 * item + 1], m.leafValues[item]);
  else if (op === JOIN) joinChunk(m, p[0], p[1], PARTITION_CHUNK, m.lefts, m.joinAt, item);
}

export const boostSteps = crewTask(boostStep);

/** Log-loss gradients p − y and hessians p(1 − p) of rows i0..i1-1. */
function gradientChunk(m: BoostMemory, i0: number, i1: number): void {
  logLossGradients(m.kernels, m.F, m.y, m.gh, m.expTable, i0, i1);
}

/** Every row's gradient and hessian from its raw score F. */
export function computeGradients(m: BoostMemory): void {
  const n = m.y.length;
  const chunks = Math.ceil(n / GRADIENT_CHUNK);
  if (shareStep(m, n * GRADIENT_WORK, chunks)) m.crew!.run(GRADIENTS, chunks);
  else gradientChunk(m, 0, n);
}

/** The histogram of the root (rows 0..n-1, in order) into histogram `h` of the memory. */
export function rootHistogram(m: BoostMemory, h: number): void {
  histogram(m, true, 0, m.y.length, h);
}

/** The histogram of the node's rows `rows[start..end)` into histogram `h` of the memory. */
export function nodeHistogram(m: BoostMemory, start: number, end: number, h: number): void {
  const chunks = Math.ceil((end - start) / GRADIENT_CHUNK);
  if (shareStep(m, (end - start) * GATHER_WORK, chunks)) {
    m.crew!.params.set([start, end]);
    m.crew!.run(GATHER, chunks);
  } else gatherGradients(m.kernels, m.rows, start, end, m.gh, m.ordered, 0);
  histogram(m, false, start, end - start, h);
}

function histogram(m: BoostMemory, root: boolean, start: number, n: number, h: number): void {
  const d = m.codes.length;
  const out = m.hists[h];
  const width = groupWidth(d, m.threads);
  const items = Math.ceil(d / width);
  if (!shareStep(m, n * d, items)) {
    if (root) buildRoot(m.kernels, m.codes, m.off, m.rootCounts, n, m.gh, out, 0, d);
    else buildNode(m.kernels, m.codes, m.off, m.rows, start, n, m.ordered, out, 0, d);
    return;
  }
  m.crew!.params.set([root ? 1 : 0, start, n, h, width]);
  m.crew!.run(HISTOGRAM, items);
}

/**
 * Columns per item of a shared histogram: four, the loop that costs least a
 * column (./histogram.ts), unless that leaves a thread without a group,
 * then two. Ten columns on two threads: 4 + 4 + 2 rather than 3 + 2 + 3 + 2
 * (a three is a pair and a single column, which costs twice a column in a
 * pair), ~20% less work in all.
 */
function groupWidth(d: number, threads: number): number {
  return Math.ceil(d / 4) >= threads ? 4 : 2;
}

/**
 * Reorders the node's rows `rows[start..end)` (and their gradients), the rows
 * whose code goes left (goesLeft[code] = 1) first, each side in its old
 * order; returns where the right ones start (./partition.ts). `goesLeft` is
 * the memory's own m.goesLeft, filled by the caller.
 */
export function partitionRows(m: BoostMemory, start: number, end: number, column: number): number {
  const chunks = Math.ceil((end - start) / PARTITION_CHUNK);
  if (!shareStep(m, (end - start) * PARTITION_WORK, chunks))
    return partitionRange(m, m.codes[column], m.goesLeft, start, end);
  const crew = m.crew!;
  crew.params.set([start, end, column]);
  crew.run(PARTITION, chunks);
  const mid = joinPlan(start, end, PARTITION_CHUNK, m.lefts.subarray(0, chunks), m.joinAt);
  crew.params.set([start, end]);
  crew.run(JOIN, chunks);
  return mid;
}

/** Adds each leaf's value to its rows' raw scores F, from m.leafRanges and m.leafValues (`leaves` of them). */
export function addLeaves(m: BoostMemory, leaves: number): void {
  const n = m.y.length;
  if (shareStep(m, n * GATHER_WORK, leaves)) {
    m.crew!.run(LEAVES, leaves);
    return;
  }
  for (let k = 0; k < leaves; k++) addLeaf(m, m.leafRanges[2 * k], m.leafRanges[2 * k + 1], m.leafValues[k]);
}

/** Leaves hold disjoint rows, so each F entry gets one addition whichever thread makes it. */
function addLeaf(m: BoostMemory, start: number, end: number, value: number): void {
  m.kernels.addLeaf(m.rows.byteOffset + 4 * start, end - start, m.F.byteOffset, value);
}

/** Items of the binning job: one column each (registered in trainer/parallel/tasks.ts). */
export function binItems(job: BinJob, _slot: number, claim: ClaimItem): void {
  for (let item = claim(); item >= 0; item = claim()) binItem(job, item);
  releaseBinningScratch();
}

/** Binning on threads: the columns' training values in row order, what each column's item writes back. */
export interface BinJob {
  values: Float64Array[];
  kinds: ColumnKind[];
  levels: number[];
  rows: Uint32Array;
  maxBins: number;
  seed: number;
  /** The kernels' compiled module (./kernels.ts), which a worker cannot load itself. */
  module: WebAssembly.Module;
  codes: Uint8Array[];
  /** Per column, 3 × (maxBins + 1) slots: its cuts, then its bins' least and greatest values. */
  edges: Float64Array;
  bins: Int32Array;
}

/** A histogram row × column update is about a tenth of a value's binning (a binary search over the cuts). */
const BIN_WORK = 10;

/**
 * binColumns, one column per item on the pool's threads when the columns
 * are large: each column is binned by the same function with the same seed
 * on whichever thread, so the bins are the same on any thread count.
 */
export function binColumnsShared(
  columns: readonly Float64Array[],
  kinds: readonly ColumnKind[],
  levels: readonly number[],
  rows: Uint32Array,
  maxBins: number,
  seed: number,
  threads: number,
): BinnedColumn[] {
  const d = columns.length;
  const n = rows.length;
  const work = n * d * BIN_WORK;
  if (threads < 2 || d < 2 || work < Math.min(MIN_SHARED_WORK, parallelSettings().minWork))
    return binColumns(columns, kinds, levels, rows, maxBins, seed);
  const stride = 3 * (maxBins + 1);
  const identity = new Uint32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) identity[i] = i;
  const job: BinJob = {
    values: columns.map((col) => {
      const v = sharedFloat64(n);
      for (let i = 0; i < n; i++) v[i] = col[rows[i]];
      return v;
    }),
    kinds: [...kinds],
    levels: [...levels],
    rows: identity,
    maxBins,
    seed,
    module: kernelModule(),
    codes: columns.map(() => new Uint8Array(new SharedArrayBuffer(n))),
    edges: sharedFloat64(d * stride),
    bins: new Int32Array(new SharedArrayBuffer(d * 4)),
  };
  runParallel('boost-bin', binItems, job, d, threadsFor(Infinity, d));
  return columns.map((_, j) => {
    const bins = job.bins[j];
    const o = j * stride;
    const number = kinds[j] === 'number';
    return {
      kind: kinds[j],
      bins,
      codes: job.codes[j],
      cuts: job.edges.slice(o, o + (number ? bins - 1 : 0)),
      lo: job.edges.slice(o + maxBins + 1, o + maxBins + 1 + (number ? bins : 0)),
      hi: job.edges.slice(o + 2 * (maxBins + 1), o + 2 * (maxBins + 1) + (number ? bins : 0)),
    };
  });
}

function binItem(job: BinJob, j: number): void {
  const { maxBins } = job;
  const c = binColumn(
    job.values[j],
    job.kinds[j],
    job.levels[j],
    job.rows,
    maxBins,
    job.seed + j,
    job.codes[j],
    job.module,
  );
  const o = j * 3 * (maxBins + 1);
  job.bins[j] = c.bins;
  job.edges.set(c.cuts, o);
  job.edges.set(c.lo, o + maxBins + 1);
  job.edges.set(c.hi, o + 2 * (maxBins + 1));
}
