// The booster's work shared with the worker-thread pool (trainer/parallel):
// over fixed chunks of rows, the gradient pass and a node's partition and
// gradient gather; one item per column, binning; one per group of columns,
// a node's histogram; one per leaf, adding the leaves' values to the raw
// scores. Every item is computed the same way on any thread (a chunk's
// gradients are elementwise, a column's bins add the node's rows in row
// order, leaves hold disjoint rows), so a fit is the same to the bit on 1, 2
// or 8 threads. The fit's arrays live in one SharedArrayBuffer when the pool
// has threads, so a job hands over that buffer (./memory.ts), never copies;
// small jobs stay on the calling thread, where they cost less than handing
// out a job (~40 µs).
import { sigmoid } from '../../../model/index.ts';
import { type ClaimItem, parallelSettings, runParallel, sharedFloat64, threadsFor } from '../../parallel/pool.ts';
import { type BinnedColumn, binColumn, binColumns, type ColumnKind } from './binning.ts';
import { buildNode, buildRoot, gatherGradients } from './histogram.ts';
import { type BoostMemory, type MemoryHandle, memoryOf } from './memory.ts';
import { joinChunks, partitionRange } from './partition.ts';

/** Rows per item of the gradient pass: fixed, so what an item computes never depends on the thread count. */
const GRADIENT_CHUNK = 16_384;
/**
 * Work (row × column updates of a histogram; a row's gradient counts ten)
 * below which a job stays on the calling thread: ~0.2 ms of work against
 * ~40 µs to hand a job out. The pool's own minWork, when lower (tests set 0),
 * wins, so every path can be run on threads.
 */
const MIN_SHARED_WORK = 200_000;
const GRADIENT_WORK = 10;
/** A row's gradient and hessian fetched into node order, or a leaf's value added to its raw score. */
const GATHER_WORK = 2;
/** Rows per item when a node's rows are partitioned on threads; fixed, as GRADIENT_CHUNK. */
const PARTITION_CHUNK = 8192;
/** A row's move in a partition counts as much work as about this many histogram updates. */
const PARTITION_WORK = 4;

/** Threads for a job of this much work in `items` items. */
function threadsForJob(m: BoostMemory, work: number, items: number): number {
  if (m.threads < 2 || work < Math.min(MIN_SHARED_WORK, parallelSettings().minWork)) return 1;
  return threadsFor(Infinity, items);
}

/**
 * Rows × columns from which a fit shares its work with the pool. A fit in a
 * fresh process pays ~0.3 s to go threaded: bundling the worker's script
 * (~0.1 s on the calling thread), starting the worker, its own JIT warm-up,
 * the columns copied into shared memory. Measured so, on the 2-core host
 * (bench/jobs/boost.ts, generator rows, 10 columns; two threads against
 * one): 0.71× as fast at 80k rows, 1.15× at 300k, 1.16× at 800k (for 27%
 * more CPU).
 */
const FIT_SHARED_WORK = 3_000_000;

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

/** A histogram the pool's threads can write. */
export function newHistogram(memory: BoostMemory, size: number): Float64Array {
  return memory.threads > 1 ? sharedFloat64(size) : new Float64Array(size);
}

type BoostJob =
  | { op: 'bin'; memory: null; bins: BinJob }
  | { op: 'gradients'; memory: MemoryHandle }
  | { op: 'gather'; memory: MemoryHandle; start: number; end: number }
  | { op: 'leaves'; memory: MemoryHandle; ranges: Int32Array; values: Float64Array }
  | {
      op: 'histogram';
      memory: MemoryHandle;
      root: boolean;
      start: number;
      n: number;
      out: Float64Array;
      /** Item k builds columns groups[k]..groups[k+1]-1. */
      groups: Int32Array;
    }
  | {
      op: 'partition';
      memory: MemoryHandle;
      start: number;
      end: number;
      column: number;
      goesLeft: Uint8Array;
      lefts: Int32Array;
    };

/** One item of a job, on whichever thread claims it (registered in trainer/parallel/tasks.ts). */
export function boostItems(job: BoostJob, _slot: number, claim: ClaimItem): void {
  if (job.op === 'bin') {
    for (let item = claim(); item >= 0; item = claim()) binItem(job.bins, item);
    return;
  }
  const m = memoryOf(job.memory);
  for (let item = claim(); item >= 0; item = claim()) {
    if (job.op === 'gradients')
      gradientChunk(m, item * GRADIENT_CHUNK, Math.min(m.y.length, (item + 1) * GRADIENT_CHUNK));
    else if (job.op === 'gather') {
      const a = job.start + item * GRADIENT_CHUNK;
      gatherGradients(m.rows, a, Math.min(job.end, a + GRADIENT_CHUNK), m.gh, m.ordered, a - job.start);
    } else if (job.op === 'leaves') addLeaf(m, job.ranges[2 * item], job.ranges[2 * item + 1], job.values[item]);
    else if (job.op === 'partition') {
      const a = job.start + item * PARTITION_CHUNK;
      job.lefts[item] =
        partitionRange(m, m.codes[job.column], job.goesLeft, a, Math.min(job.end, a + PARTITION_CHUNK)) - a;
    } else {
      const [j0, j1] = [job.groups[item], job.groups[item + 1]];
      if (job.root) buildRoot(m.codes, m.off, m.rootCounts, job.n, m.gh, job.out, j0, j1);
      else buildNode(m.codes, m.off, m.rows, job.start, job.n, m.ordered, job.out, j0, j1);
    }
  }
}

/** Log-loss gradients p − y and hessians p(1 − p) of rows i0..i1-1. */
function gradientChunk(m: BoostMemory, i0: number, i1: number): void {
  const { F, y, gh } = m;
  for (let i = i0; i < i1; i++) {
    const p = sigmoid(F[i]);
    gh[2 * i] = p - y[i];
    gh[2 * i + 1] = p * (1 - p);
  }
}

/** Every row's gradient and hessian from its raw score F. */
export function computeGradients(m: BoostMemory): void {
  const n = m.y.length;
  const chunks = Math.ceil(n / GRADIENT_CHUNK);
  const threads = threadsForJob(m, n * GRADIENT_WORK, chunks);
  if (threads > 1) runParallel('boost-items', boostItems, { op: 'gradients', memory: m.handle }, chunks, threads);
  else gradientChunk(m, 0, n);
}

/** The histogram of the root (rows 0..n-1, in order) into `out`. */
export function rootHistogram(m: BoostMemory, out: Float64Array): void {
  histogram(m, true, 0, m.y.length, out);
}

/** The histogram of the node's rows `rows[start..end)` into `out`. */
export function nodeHistogram(m: BoostMemory, start: number, end: number, out: Float64Array): void {
  const chunks = Math.ceil((end - start) / GRADIENT_CHUNK);
  const threads = threadsForJob(m, (end - start) * GATHER_WORK, chunks);
  if (threads > 1)
    runParallel('boost-items', boostItems, { op: 'gather', memory: m.handle, start, end }, chunks, threads);
  else gatherGradients(m.rows, start, end, m.gh, m.ordered, 0);
  histogram(m, false, start, end - start, out);
}

function histogram(m: BoostMemory, root: boolean, start: number, n: number, out: Float64Array): void {
  const d = m.codes.length;
  const threads = threadsForJob(m, n * d, d);
  if (threads < 2) {
    if (root) buildRoot(m.codes, m.off, m.rootCounts, n, m.gh, out, 0, d);
    else buildNode(m.codes, m.off, m.rows, start, n, m.ordered, out, 0, d);
    return;
  }
  const groups = columnGroups(d, threads);
  const items = groups.length - 1;
  runParallel(
    'boost-items',
    boostItems,
    { op: 'histogram', memory: m.handle, root, start, n, out, groups },
    items,
    threads,
  );
}

/**
 * Groups of neighbouring columns, one item each, as boundaries: four columns
 * a group, the loop that costs least a column (./histogram.ts), unless that
 * leaves a thread without a group, then two. Ten columns on two threads:
 * 4 + 4 + 2 rather than 3 + 2 + 3 + 2 (a three is a pair and a single
 * column, which costs twice a column in a pair), ~20% less work in all.
 */
function columnGroups(d: number, threads: number): Int32Array {
  const width = Math.ceil(d / 4) >= threads ? 4 : 2;
  const items = Math.ceil(d / width);
  return Int32Array.from({ length: items + 1 }, (_, k) => Math.min(d, k * width));
}

/**
 * Reorders the node's rows `rows[start..end)` (and their gradients), the rows
 * whose code goes left (goesLeft[code] = 1) first, each side in its old
 * order; returns where the right ones start (./partition.ts).
 */
export function partitionRows(
  m: BoostMemory,
  start: number,
  end: number,
  column: number,
  goesLeft: Uint8Array,
): number {
  const chunks = Math.ceil((end - start) / PARTITION_CHUNK);
  const threads = threadsForJob(m, (end - start) * PARTITION_WORK, chunks);
  if (threads < 2) return partitionRange(m, m.codes[column], goesLeft, start, end);
  const lefts = new Int32Array(new SharedArrayBuffer(chunks * 4));
  const shared = new Uint8Array(new SharedArrayBuffer(goesLeft.length));
  shared.set(goesLeft);
  const job: BoostJob = { op: 'partition', memory: m.handle, start, end, column, goesLeft: shared, lefts };
  runParallel('boost-items', boostItems, job, chunks, threads);
  return joinChunks(m, start, end, PARTITION_CHUNK, lefts);
}

/** Adds each leaf's value to its rows' raw scores F: `ranges` holds each leaf's [start, end) in the partition. */
export function addLeaves(m: BoostMemory, ranges: Int32Array, values: Float64Array): void {
  const leaves = values.length;
  const n = m.y.length;
  const threads = threadsForJob(m, n * GATHER_WORK, leaves);
  if (threads < 2) {
    for (let k = 0; k < leaves; k++) addLeaf(m, ranges[2 * k], ranges[2 * k + 1], values[k]);
    return;
  }
  const shared = new Int32Array(new SharedArrayBuffer(ranges.byteLength));
  shared.set(ranges);
  runParallel('boost-items', boostItems, { op: 'leaves', memory: m.handle, ranges: shared, values }, leaves, threads);
}

/** Leaves hold disjoint rows, so each F entry gets one addition whichever thread makes it. */
function addLeaf(m: BoostMemory, start: number, end: number, value: number): void {
  const { F, rows } = m;
  for (let i = start; i < end; i++) F[rows[i]] += value;
}

/** Binning on threads: the columns' training values in row order, what each column's item writes back. */
interface BinJob {
  values: Float64Array[];
  kinds: ColumnKind[];
  levels: number[];
  rows: Uint32Array;
  maxBins: number;
  seed: number;
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
    codes: columns.map(() => new Uint8Array(new SharedArrayBuffer(n))),
    edges: sharedFloat64(d * stride),
    bins: new Int32Array(new SharedArrayBuffer(d * 4)),
  };
  runParallel('boost-items', boostItems, { op: 'bin', memory: null, bins: job }, d, threadsFor(Infinity, d));
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
  const c = binColumn(job.values[j], job.kinds[j], job.levels[j], job.rows, maxBins, job.seed + j, job.codes[j]);
  const o = j * 3 * (maxBins + 1);
  job.bins[j] = c.bins;
  job.edges.set(c.cuts, o);
  job.edges.set(c.lo, o + maxBins + 1);
  job.edges.set(c.hi, o + 2 * (maxBins + 1));
}
