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
 * Columns are taken two at a time (one read of each row's index and
 * gradients for both); each bin still adds its rows in row order, so the
 * sums are the same to the bit.
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
  let j = 0;
  for (; j + 2 <= codes.length; j += 2) {
    const c0 = codes[j];
    const c1 = codes[j + 1];
    const o0 = off[j] * 3;
    const o1 = off[j + 1] * 3;
    for (let i = 0; i < n; i++) {
      const r = rows[start + i];
      const gi = gg[i];
      const hi = hh[i];
      const b0 = o0 + c0[r] * 3;
      out[b0] += gi;
      out[b0 + 1] += hi;
      out[b0 + 2] += 1;
      const b1 = o1 + c1[r] * 3;
      out[b1] += gi;
      out[b1 + 1] += hi;
      out[b1 + 2] += 1;
    }
  }
  for (; j < codes.length; j++) {
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

/** The root's histogram: every row, in order, so no index to follow (the same sums as buildHistogram over 0..n-1). */
export function buildRootHistogram(
  codes: readonly Uint8Array[],
  off: Int32Array,
  n: number,
  g: Float64Array,
  h: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  let j = 0;
  for (; j + 2 <= codes.length; j += 2) {
    const c0 = codes[j];
    const c1 = codes[j + 1];
    const o0 = off[j] * 3;
    const o1 = off[j + 1] * 3;
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const hi = h[i];
      const b0 = o0 + c0[i] * 3;
      out[b0] += gi;
      out[b0 + 1] += hi;
      out[b0 + 2] += 1;
      const b1 = o1 + c1[i] * 3;
      out[b1] += gi;
      out[b1 + 1] += hi;
      out[b1 + 2] += 1;
    }
  }
  for (; j < codes.length; j++) {
    const col = codes[j];
    const o = off[j] * 3;
    for (let i = 0; i < n; i++) {
      const b = o + col[i] * 3;
      out[b] += g[i];
      out[b + 1] += h[i];
      out[b + 2] += 1;
    }
  }
}

/** `out` = `parent` − `child`: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}
