// Gradient histograms: per column and bin, the sum of the gradients, of the
// hessians and the number of rows of a node, in one Float64Array (three slots
// per bin, columns one after another, each with its missing bin last). A
// child's histogram is built from its rows or, for the larger child, derived
// as its parent's minus its sibling's (counts stay exact integers).
//
// Each column's bins are written by one call and each bin adds its rows in
// row order, so a histogram is the same to the bit however its columns are
// shared out between threads (./threads.ts).

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
 * gg and hh from index `at`, so that the histogram reads them once, in
 * sequence, for every column.
 */
export function gatherGradients(
  rows: Uint32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  gg: Float64Array,
  hh: Float64Array,
  at: number,
): void {
  const shift = at - start;
  for (let i = start; i < end; i++) {
    const r = rows[i];
    gg[i + shift] = g[r];
    hh[i + shift] = h[r];
  }
}

/**
 * The bins of columns j0..j1-1 of `out` for n rows with gradients gg, hessians
 * hh (in row order): the rows `rows[start..start+n)`, or, with rows null, rows
 * 0..n-1 themselves (the root, no index to follow). Columns are taken two at
 * a time, so each row's index and gradients are read once for both.
 */
export function buildColumns(
  codes: readonly Uint8Array[],
  off: Int32Array,
  rows: Uint32Array | null,
  start: number,
  n: number,
  gg: Float64Array,
  hh: Float64Array,
  out: Float64Array,
  j0: number,
  j1: number,
): void {
  out.fill(0, off[j0] * 3, j1 < codes.length ? off[j1] * 3 : out.length);
  let j = j0;
  for (; j + 2 <= j1; j += 2)
    addColumns(codes[j], codes[j + 1], off[j] * 3, off[j + 1] * 3, rows, start, n, gg, hh, out);
  if (j < j1) addColumns(codes[j], null, off[j] * 3, 0, rows, start, n, gg, hh, out);
}

/** Adds the rows into column c0's bins (at o0) and, unless c1 is null, column c1's (at o1). */
function addColumns(
  c0: Uint8Array,
  c1: Uint8Array | null,
  o0: number,
  o1: number,
  rows: Uint32Array | null,
  start: number,
  n: number,
  gg: Float64Array,
  hh: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const r = rows === null ? i : rows[start + i];
    const gi = gg[i];
    const hi = hh[i];
    const b0 = o0 + c0[r] * 3;
    out[b0] += gi;
    out[b0 + 1] += hi;
    out[b0 + 2] += 1;
    if (c1 === null) continue;
    const b1 = o1 + c1[r] * 3;
    out[b1] += gi;
    out[b1 + 1] += hi;
    out[b1 + 2] += 1;
  }
}

/** `out` = `parent` − `child`: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}
