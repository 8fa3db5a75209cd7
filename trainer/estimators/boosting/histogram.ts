// Gradient histograms: per column and bin, the sum of the gradients, of the
// hessians and the number of rows of a node, in one Float64Array (three slots
// per bin, columns one after another, each with its missing bin last). A
// child's histogram is built from its rows or, for the larger child, derived
// as its parent's minus its sibling's (counts stay exact integers).

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
 * The histogram of rows `rows[start..end)` into `out`; `gg`/`hh` scratch for
 * the rows' gradients and hessians in that order (read once per column).
 */
export function buildHistogram(
  codes: readonly Uint8Array[],
  off: Int32Array,
  rows: Uint32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  gg: Float64Array,
  hh: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  const n = end - start;
  for (let i = 0; i < n; i++) {
    const r = rows[start + i];
    gg[i] = g[r];
    hh[i] = h[r];
  }
  for (let j = 0; j < codes.length; j++) {
    const col = codes[j];
    const o = off[j] * 3;
    for (let i = 0; i < n; i++) {
      const b = o + col[rows[start + i]] * 3;
      out[b] += gg[i];
      out[b + 1] += hh[i];
      out[b + 2] += 1;
    }
  }
}

/** `out` = `parent` − `child`: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}
