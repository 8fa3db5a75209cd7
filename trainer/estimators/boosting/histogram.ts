// Gradient histograms: per column and bin, the sum of the gradients, of the
// hessians and the number of rows of a node, in one Float64Array (three slots
// per bin, columns one after another, each with its missing bin last). A
// child's histogram is built from its rows or, for the larger child, derived
// as its parent's minus its sibling's (counts stay exact integers).
//
// Each column's bins are written by one call and each bin adds its rows in
// row order, so a histogram is the same to the bit however its columns are
// shared out between threads (./threads.ts).
import type { Kernels } from './kernels.ts';

/** Where each column's bins start, in bins (three slots each), and the total. */
export function histogramLayout(bins: readonly number[]): { off: Int32Array; size: number } {
  const off = new Int32Array(bins.length);
  let size = 0;
  bins.forEach((b, j) => {
    off[j] = size;
    size += b + 1;
  });
  return { off, size: size * 3 };
}

/**
 * The gradients and hessians of rows `rows[start..end)`, in that order, into
 * `ordered` from row index `at` (pairs g, h), so that the histogram reads them
 * once, in sequence, for every column.
 */
export function gatherGradients(
  k: Kernels,
  rows: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  ordered: Float32Array,
  at: number,
): void {
  k.gather(rows.byteOffset + 4 * start, end - start, gh.byteOffset, ordered.byteOffset + 8 * at);
}

/** Where columns j0..j1-1 lie in a histogram: slots from..to-1. */
function slots(codes: readonly Uint8Array[], off: Int32Array, out: Float64Array, j0: number, j1: number) {
  return { from: off[j0] * 3, to: j1 < codes.length ? off[j1] * 3 : out.length };
}

/**
 * The bins of columns j0..j1-1 of the root's histogram (rows 0..n-1, their
 * gradients and hessians `gh` in pairs g, h) into `out`. The root holds every
 * row in every tree, so its counts are the same each time: they come from
 * `counts` (a histogram of zero sums and the fit's counts, rootCounts) and the
 * loops add only the sums, two of the three slots a row would write. Every
 * array but `off` and `counts` lies in the kernels' memory.
 */
export function buildRoot(
  k: Kernels,
  codes: readonly Uint8Array[],
  off: Int32Array,
  counts: Float64Array,
  n: number,
  gh: Float32Array,
  out: Float64Array,
  j0: number,
  j1: number,
): void {
  const { from, to } = slots(codes, off, out, j0, j1);
  out.set(counts.subarray(from, to), from);
  const c = (j: number) => codes[j].byteOffset;
  const o = (j: number) => out.byteOffset + off[j] * 24;
  const g = gh.byteOffset;
  let j = j0;
  for (; j + 4 <= j1; j += 4) k.rootQuad(c(j), c(j + 1), c(j + 2), c(j + 3), o(j), o(j + 1), o(j + 2), o(j + 3), n, g);
  if (j + 2 <= j1) {
    k.rootPair(c(j), c(j + 1), o(j), o(j + 1), n, g);
    j += 2;
  }
  if (j < j1) k.rootColumn(c(j), o(j), n, g);
}

/** A histogram holding only the counts of every row: what buildRoot starts from. */
export function rootCounts(codes: readonly Uint8Array[], off: Int32Array, size: number): Float64Array {
  const out = new Float64Array(size);
  codes.forEach((c, j) => {
    for (let i = 0; i < c.length; i++) out[(off[j] + c[i]) * 3 + 2] += 1;
  });
  return out;
}

/**
 * The bins of columns j0..j1-1 of `out` for the n rows `rows[start..start+n)`
 * of a node, their gradients and hessians in `gh` (pairs g, h, in that
 * order). Every array but `off` lies in the kernels' memory.
 */
export function buildNode(
  k: Kernels,
  codes: readonly Uint8Array[],
  off: Int32Array,
  rows: Uint32Array,
  start: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
  j0: number,
  j1: number,
): void {
  const { from, to } = slots(codes, off, out, j0, j1);
  out.fill(0, from, to);
  const c = (j: number) => codes[j].byteOffset;
  const o = (j: number) => out.byteOffset + off[j] * 24;
  const r = rows.byteOffset + 4 * start;
  const g = gh.byteOffset;
  let j = j0;
  for (; j + 4 <= j1; j += 4)
    k.nodeQuad(c(j), c(j + 1), c(j + 2), c(j + 3), o(j), o(j + 1), o(j + 2), o(j + 3), r, n, g);
  if (j + 2 <= j1) {
    k.nodePair(c(j), c(j + 1), o(j), o(j + 1), r, n, g);
    j += 2;
  }
  if (j < j1) k.nodeColumn(c(j), o(j), r, n, g);
}

// The kernels (./kernels.wat) differ in how many columns they add: each
// row's index and gradients are read once for all of them. On 1M × 10
// generator rows, four columns a pass built a histogram ~7% faster than two,
// and two ~2× faster than one.

/** `out` = `parent` − `child`: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}
