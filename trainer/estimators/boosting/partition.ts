// Splitting a node's rows between its children, in place and stably (each
// side keeps its rows' old order, so nothing but the data decides the order).
// Only the rows' indices move: a fit's trees move about five rows for each
// row a histogram gathers gradients for (1M × 10 generator rows: 403M moved,
// 79M gathered), so gradients moving with the rows would cost more than the
// gather saves. On threads (./threads.ts) each fixed chunk of the node is
// split into scratch (its left rows from the chunk's start, its right rows
// back from its end), then each chunk's two parts are copied to their places
// in the node, chunk by chunk on threads too: the same order one pass gives,
// with each row written twice (the in-place pass, a join through scratch and
// a copy back wrote it four to five times). The row loops are kernels.wat's.
import type { Kernels } from './kernels.ts';

/** The rows of every node in partition order, scratch of the same size, and the kernels on their memory. */
export interface Partition {
  rows: Uint32Array;
  tmp: Uint32Array;
  kernels: Kernels;
}

/**
 * One pass over rows[a..b): the rows whose code goes left (goesLeft[code] = 1)
 * first, the right ones after them; returns where the right ones start.
 */
export function partitionRange(p: Partition, codes: Uint8Array, goesLeft: Uint8Array, a: number, b: number): number {
  const { rows, tmp } = p;
  // kernels.wat's split is branch-free (each row is written to both sides and
  // only one cursor moves), since a data-dependent branch here mispredicts
  // about every other row. The left rows stay in place, the right ones go
  // through scratch.
  const left = p.kernels.split(at(rows, a), b - a, codes.byteOffset, goesLeft.byteOffset, at(rows, a), at(tmp, a), 4);
  const l = a + left;
  rows.set(tmp.subarray(a, a + (b - l)), l);
  return l;
}

/** The byte address of a[i]. */
const at = (a: Uint32Array, i: number) => a.byteOffset + 4 * i;

/**
 * One pass over rows[a..b) into tmp[a..b): the rows whose code goes left
 * first, in order, and the right ones from b − 1 down (the last one first);
 * returns how many go left. rows[a..b) is left as it was.
 */
export function partitionChunk(p: Partition, codes: Uint8Array, goesLeft: Uint8Array, a: number, b: number): number {
  const { rows, tmp } = p;
  return p.kernels.split(at(rows, a), b - a, codes.byteOffset, goesLeft.byteOffset, at(tmp, a), at(tmp, b - 1), -4);
}

/**
 * Where each chunk's rows go when rows[start..end), split chunk by chunk
 * (chunk c starts at start + c × chunk, its first lefts[c] rows going left),
 * are joined into one partition: into `at`, chunk c's left rows from
 * at[2c], its right rows from at[2c + 1]. Returns where the right rows start.
 */
export function joinPlan(start: number, end: number, chunk: number, lefts: Int32Array, at: Int32Array): number {
  const chunks = lefts.length;
  let left = start;
  for (let c = 0; c < chunks; c++) {
    at[2 * c] = left;
    left += lefts[c];
  }
  let right = left;
  for (let c = 0; c < chunks; c++) {
    at[2 * c + 1] = right;
    right += Math.min(end, start + (c + 1) * chunk) - (start + c * chunk) - lefts[c];
  }
  return left;
}

/** Chunk c's part of the join (see joinPlan): its rows in tmp (partitionChunk's layout) to their places in `rows`. */
export function joinChunk(
  p: Partition,
  start: number,
  end: number,
  chunk: number,
  lefts: Int32Array,
  places: Int32Array,
  c: number,
): void {
  const { rows, tmp } = p;
  const a = start + c * chunk;
  const b = Math.min(end, a + chunk);
  rows.set(tmp.subarray(a, a + lefts[c]), places[2 * c]);
  // The right rows lie reversed at the chunk's end.
  const right = b - a - lefts[c];
  p.kernels.reverse(at(tmp, b - right), right, at(rows, places[2 * c + 1]));
}
