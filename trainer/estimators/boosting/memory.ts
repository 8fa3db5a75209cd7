// One fit's working arrays, laid out in one buffer (a SharedArrayBuffer when
// the fit shares work with the pool's threads). A job posts the buffer and a
// few numbers, not a dozen typed arrays: cloning an object of fifteen shared
// views costs ~15 µs per message against ~2 µs for one buffer, and a fit
// posts thousands of jobs. A worker builds its views of a fit once and keeps
// them weakly, so a finished fit's memory can be collected.
import { rootCounts } from './histogram.ts';
import type { Partition } from './partition.ts';

/** What a job carries to find the fit's arrays: the buffer and its shape. */
export interface MemoryHandle {
  /** Unique per fit in this process: a worker's views are reused while it matches. */
  id: number;
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** Fit rows, binned columns and slots of a histogram. */
  n: number;
  d: number;
  size: number;
  threads: number;
}

/** What one fit's jobs read and write: views of the handle's buffer. */
export interface BoostMemory extends Partition {
  handle: MemoryHandle;
  threads: number;
  /** Binned codes, one array per column, and where each column's bins start in a histogram. */
  codes: Uint8Array[];
  off: Int32Array;
  /** The root's histogram before its sums: zero sums, and every row counted (./histogram.ts buildRoot). */
  rootCounts: Float64Array;
  /** Per fit row: label, raw score, and its gradient and hessian side by side (one load brings both). */
  y: Uint8Array;
  F: Float64Array;
  gh: Float64Array;
  /** A node's gradient and hessian pairs, gathered in partition order for its histogram. */
  ordered: Float64Array;
}

let nextId = 1;
/** The memory of the fit this thread last worked on. */
let seen: WeakRef<BoostMemory> | null = null;

/** The views of a handle's buffer: float64 arrays first (aligned), then 32-bit, then bytes. */
function viewsOf(handle: MemoryHandle): BoostMemory {
  const { buffer, n, d, size } = handle;
  let at = 0;
  const view = <T>(Ctor: new (b: ArrayBufferLike, at: number, len: number) => T, len: number, size: number): T => {
    const v = new Ctor(buffer, at, len);
    at += len * size;
    return v;
  };
  const F = view(Float64Array, n, 8);
  const gh = view(Float64Array, 2 * n, 8);
  const ordered = view(Float64Array, 2 * n, 8);
  const rootCounts = view(Float64Array, size, 8);
  const rows = view(Uint32Array, n, 4);
  const tmp = view(Uint32Array, n, 4);
  const off = view(Int32Array, d, 4);
  const y = view(Uint8Array, n, 1);
  const codes = Array.from({ length: d }, () => view(Uint8Array, n, 1));
  return { handle, threads: handle.threads, codes, off, rootCounts, y, F, gh, ordered, rows, tmp };
}

const bytesFor = (n: number, d: number, size: number) => 8 * (5 * n + size) + 4 * (2 * n + d) + n * (1 + d);

/** A fit's memory holding its binned columns, histogram layout (`size` slots) and labels. */
export function boostMemory(
  codes: readonly Uint8Array[],
  off: Int32Array,
  size: number,
  y: Uint8Array,
  threads: number,
): BoostMemory {
  const n = y.length;
  const d = codes.length;
  const bytes = bytesFor(n, d, size);
  const buffer = threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const m = viewsOf({ id: nextId++, buffer, n, d, size, threads });
  m.off.set(off);
  m.rootCounts.set(rootCounts(codes, off, size));
  m.y.set(y);
  codes.forEach((c, j) => m.codes[j].set(c));
  seen = new WeakRef(m);
  return m;
}

/** The memory a job's handle points to, on whichever thread runs it. */
export function memoryOf(handle: MemoryHandle): BoostMemory {
  const m = seen?.deref();
  if (m && m.handle.id === handle.id) return m;
  const fresh = viewsOf(handle);
  seen = new WeakRef(fresh);
  return fresh;
}
