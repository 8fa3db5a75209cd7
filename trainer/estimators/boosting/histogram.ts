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
 * `ordered` from row index `at` (pairs g, h), so that the histogram reads them
 * once, in sequence, for every column.
 */
export function gatherGradients(
  rows: Uint32Array,
  start: number,
  end: number,
  gh: Float32Array,
  ordered: Float32Array,
  at: number,
): void {
  let k = 2 * at;
  for (let i = start; i < end; i++) {
    const r = 2 * rows[i];
    ordered[k] = gh[r];
    ordered[k + 1] = gh[r + 1];
    k += 2;
  }
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
 * loops add only the sums, two of the three slots a row would write.
 */
export function buildRoot(
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
  const o = (j: number) => off[j] * 3;
  let j = j0;
  for (; j + 4 <= j1; j += 4)
    rootQuad(codes[j], codes[j + 1], codes[j + 2], codes[j + 3], o(j), o(j + 1), o(j + 2), o(j + 3), n, gh, out);
  if (j + 2 <= j1) {
    rootPair(codes[j], codes[j + 1], o(j), o(j + 1), n, gh, out);
    j += 2;
  }
  if (j < j1) rootColumn(codes[j], o(j), n, gh, out);
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
 * of a node, their gradients and hessians in `gh` (pairs g, h, in that order).
 */
export function buildNode(
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
  const o = (j: number) => off[j] * 3;
  let j = j0;
  for (; j + 4 <= j1; j += 4) {
    const [c0, c1, c2, c3] = [codes[j], codes[j + 1], codes[j + 2], codes[j + 3]];
    nodeQuad(c0, c1, c2, c3, o(j), o(j + 1), o(j + 2), o(j + 3), rows, start, n, gh, out);
  }
  if (j + 2 <= j1) {
    nodePair(codes[j], codes[j + 1], o(j), o(j + 1), rows, start, n, gh, out);
    j += 2;
  }
  if (j < j1) nodeColumn(codes[j], o(j), rows, start, n, gh, out);
}

// The loops below differ in how many columns they add (each row's index and
// gradients are read once for all of them) and how a row's code is found;
// each stays monomorphic and free of per-row branches. On 1M × 10 generator
// rows, four columns a pass build a histogram ~7% faster than two, and two
// ~2× faster than one (bench/jobs/boost.ts's matrix).

function rootQuad(
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  o0: number,
  o1: number,
  o2: number,
  o3: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    const gi = gh[2 * i];
    const hi = gh[2 * i + 1];
    let b = o0 + c0[i] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    b = o1 + c1[i] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    b = o2 + c2[i] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    b = o3 + c3[i] * 3;
    out[b] += gi;
    out[b + 1] += hi;
  }
}

function nodeQuad(
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  o0: number,
  o1: number,
  o2: number,
  o3: number,
  rows: Uint32Array,
  start: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    const r = rows[start + i];
    const gi = gh[2 * i];
    const hi = gh[2 * i + 1];
    let b = o0 + c0[r] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    out[b + 2] += 1;
    b = o1 + c1[r] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    out[b + 2] += 1;
    b = o2 + c2[r] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    out[b + 2] += 1;
    b = o3 + c3[r] * 3;
    out[b] += gi;
    out[b + 1] += hi;
    out[b + 2] += 1;
  }
}

function rootPair(
  c0: Uint8Array,
  c1: Uint8Array,
  o0: number,
  o1: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    const gi = gh[2 * i];
    const hi = gh[2 * i + 1];
    const b0 = o0 + c0[i] * 3;
    const b1 = o1 + c1[i] * 3;
    out[b0] += gi;
    out[b0 + 1] += hi;
    out[b1] += gi;
    out[b1 + 1] += hi;
  }
}

function nodePair(
  c0: Uint8Array,
  c1: Uint8Array,
  o0: number,
  o1: number,
  rows: Uint32Array,
  start: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    const r = rows[start + i];
    const gi = gh[2 * i];
    const hi = gh[2 * i + 1];
    const b0 = o0 + c0[r] * 3;
    const b1 = o1 + c1[r] * 3;
    out[b0] += gi;
    out[b0 + 1] += hi;
    out[b0 + 2] += 1;
    out[b1] += gi;
    out[b1 + 1] += hi;
    out[b1 + 2] += 1;
  }
}

function rootColumn(c: Uint8Array, o: number, n: number, gh: Float32Array, out: Float64Array) {
  for (let i = 0; i < n; i++) {
    const b = o + c[i] * 3;
    out[b] += gh[2 * i];
    out[b + 1] += gh[2 * i + 1];
  }
}

function nodeColumn(
  c: Uint8Array,
  o: number,
  rows: Uint32Array,
  start: number,
  n: number,
  gh: Float32Array,
  out: Float64Array,
) {
  for (let i = 0; i < n; i++) {
    const b = o + c[rows[start + i]] * 3;
    out[b] += gh[2 * i];
    out[b + 1] += gh[2 * i + 1];
    out[b + 2] += 1;
  }
}

/** `out` = `parent` − `child`: the sibling's histogram without reading its rows. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, out: Float64Array): void {
  for (let i = 0; i < parent.length; i++) out[i] = parent[i] - child[i];
}
