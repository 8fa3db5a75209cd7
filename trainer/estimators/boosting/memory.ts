// One fit's working arrays, laid out in one WebAssembly memory (shared, so
// the pool's threads and the row loops of ./kernels.wat work on the same
// bytes). A job posts the memory, the compiled kernels and a
// few numbers, not a dozen typed arrays: cloning an object of fifteen shared
// views costs ~15 µs per message against ~2 µs for one buffer, and a fit
// posts thousands of jobs. A worker builds its views of a fit once and keeps
// them weakly, so a finished fit's memory can be collected. The histograms a
// tree holds at once live here too, and what a step hands over (a split's
// bins going left, a partition's chunk counts, the leaves' ranges and
// values), so that a step carries only numbers (../../parallel/crew.ts).
import type { Crew } from '../../parallel/crew.ts';
import { EXP_TABLE } from './gradients.ts';
import { rootCounts } from './histogram.ts';
import { type Kernels, kernelMemory, kernelModule, kernelsOn } from './kernels.ts';
import type { Partition } from './partition.ts';

/** What a job carries to find the fit's arrays: the memory, the kernels' module and the layout's shape. */
export interface MemoryHandle {
  /** Unique per fit in this process: a worker's views are reused while it matches. */
  id: number;
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  /** Fit rows, binned columns and slots of a histogram. */
  n: number;
  d: number;
  size: number;
  threads: number;
  /** Leaves a tree grows to at most: histograms and leaf slots are kept for that many. */
  leaves: number;
  /** Rows per chunk of a shared partition (one count per chunk is kept). */
  chunk: number;
}

/** What one fit's jobs read and write: views of the handle's buffer. */
export interface BoostMemory extends Partition {
  handle: MemoryHandle;
  threads: number;
  /** The row loops, on this memory (instantiated once per thread). */
  kernels: Kernels;
  /** Binned codes, one array per column, and where each column's bins start in a histogram. */
  codes: Uint8Array[];
  off: Int32Array;
  /** The root's histogram before its sums: zero sums, and every row counted (./histogram.ts buildRoot). */
  rootCounts: Float64Array;
  /** Per fit row: label, raw score, and its gradient and hessian side by side (one load brings both). */
  y: Uint8Array;
  F: Float64Array;
  gh: Float32Array;
  /** A node's gradient and hessian pairs, gathered in partition order for its histogram. */
  ordered: Float32Array;
  /** Histograms for every node a tree holds at once (leaves + 1). */
  hists: Float64Array[];
  /** A tree's leaves: each one's [start, end) in the partition, and its value. */
  leafRanges: Int32Array;
  leafValues: Float64Array;
  /** The gradient pass's table of 2^(i/128) (./gradients.ts). */
  expTable: Float64Array;
  /** The root's sums of gradients and hessians, as a tree starts (kernels.wat's startTree). */
  sums: Float64Array;
  /** A shared partition's left rows per chunk, where each chunk's two parts go, and the split's bins going left (1) or right (0). */
  lefts: Int32Array;
  joinAt: Int32Array;
  goesLeft: Uint8Array;
  /** The workers holding this fit's steps (caller's side only; null on a worker, or with one thread). */
  crew: Crew | null;
}

let nextId = 1;
/**
 * The fit this thread is running, from boostMemory until releaseMemory. A
 * strong reference: a WeakRef's target stays alive until the end of the job
 * that made it, so fits run one after another in one job (cross-validation
 * folds) each left their memory behind until the job ended — 3,000 small
 * fits in a loop grew to 2.3 GB resident, 120 MB with a pause between
 * hundreds.
 */
let running: BoostMemory | null = null;
/** The memory of the fit this worker last served, weakly, so a finished fit's memory can be collected. */
let seen: WeakRef<BoostMemory> | null = null;

/** The views of a handle's buffer: float64 arrays first (aligned), then 32-bit, then bytes. */
function viewsOf(handle: MemoryHandle): BoostMemory {
  const { n, d, size, leaves } = handle;
  const buffer = handle.memory.buffer;
  let at = 0;
  const view = <T>(Ctor: new (b: ArrayBufferLike, at: number, len: number) => T, len: number, size: number): T => {
    const v = new Ctor(buffer, at, len);
    at += len * size;
    return v;
  };
  const F = view(Float64Array, n, 8);
  const rootCounts = view(Float64Array, size, 8);
  const hists = Array.from({ length: leaves + 1 }, () => view(Float64Array, size, 8));
  const leafValues = view(Float64Array, leaves, 8);
  const expTable = view(Float64Array, EXP_TABLE.length, 8);
  const sums = view(Float64Array, 2, 8);
  const gh = view(Float32Array, 2 * n, 4);
  const ordered = view(Float32Array, 2 * n, 4);
  const rows = view(Uint32Array, n, 4);
  const tmp = view(Uint32Array, n, 4);
  const off = view(Int32Array, d, 4);
  const leafRanges = view(Int32Array, 2 * leaves, 4);
  const lefts = view(Int32Array, chunksOf(handle), 4);
  const joinAt = view(Int32Array, 2 * chunksOf(handle), 4);
  const y = view(Uint8Array, n, 1);
  const goesLeft = view(Uint8Array, GOES_LEFT, 1);
  const codes = Array.from({ length: d }, () => view(Uint8Array, n, 1));
  return {
    handle,
    threads: handle.threads,
    kernels: kernelsOn(handle.module, handle.memory),
    codes,
    off,
    rootCounts,
    y,
    F,
    gh,
    ordered,
    rows,
    tmp,
    hists,
    leafRanges,
    leafValues,
    expTable,
    sums,
    lefts,
    joinAt,
    goesLeft,
    crew: null,
  };
}

/** Bins of a column and its missing bin, at most. */
const GOES_LEFT = 256;
/** A fit's memory as numbers: what its layout depends on. */
type Shape = Omit<MemoryHandle, 'id' | 'memory' | 'module'>;

const chunksOf = (h: Shape) => Math.ceil(h.n / h.chunk) + 1;

const bytesFor = (h: Shape) =>
  8 * (h.n + (h.leaves + 2) * h.size + h.leaves + EXP_TABLE.length + 2) +
  4 * (6 * h.n + h.d + 2 * h.leaves + 3 * chunksOf(h)) +
  h.n * (1 + h.d) +
  GOES_LEFT;

/** A fit's memory holding its binned columns, histogram layout (`size` slots) and labels. */
export function boostMemory(
  codes: readonly Uint8Array[],
  off: Int32Array,
  size: number,
  y: Uint8Array,
  threads: number,
  leaves: number,
  chunk: number,
): BoostMemory {
  const shape = { n: y.length, d: codes.length, size, threads, leaves, chunk };
  const memory = kernelMemory(bytesFor(shape));
  const m = viewsOf({ ...shape, id: nextId++, memory, module: kernelModule() });
  m.off.set(off);
  m.expTable.set(EXP_TABLE);
  m.rootCounts.set(rootCounts(codes, off, size));
  m.y.set(y);
  codes.forEach((c, j) => m.codes[j].set(c));
  running = m;
  return m;
}

/** The fit is over: this thread no longer holds its memory (the fit's own references aside). */
export function releaseMemory(m: BoostMemory): void {
  if (running === m) running = null;
}

/** The memory a job's handle points to, on whichever thread runs it. */
export function memoryOf(handle: MemoryHandle): BoostMemory {
  if (running && running.handle.id === handle.id) return running;
  const m = seen?.deref();
  if (m && m.handle.id === handle.id) return m;
  const fresh = viewsOf(handle);
  seen = new WeakRef(fresh);
  return fresh;
}
