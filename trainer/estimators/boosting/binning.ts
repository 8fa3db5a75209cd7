// Binning the training rows once, as scikit-learn's HistGradientBoosting does
// (binning.py): a number column gets at most maxBins bins cut at the midpoints
// between its distinct values, or, with more distinct values than bins, at
// quantiles (percentiles by the "midpoint" method on up to 200,000 rows); a
// category column's bin is its level index. A missing value (NaN) gets the
// column's last bin, one past its values' bins, whatever the kind. The
// loops over a column's values (the present ones picked out, sorted, and
// each given its bin) are kernels.wat's, in a scratch memory this thread
// keeps for binning; the compiled module comes from the caller, since a
// worker cannot read the file (./kernels.ts).
import { Rng } from '../rng.ts';
import { type Kernels, kernelMemory, kernelModule, kernelsOn } from './kernels.ts';

/** scikit-learn's subsample for computing quantiles. */
const QUANTILE_SAMPLE = 200_000;

/** How a column is split: by a threshold on its values, or by a set of its categories (LightGBM-style). */
export type ColumnKind = 'number' | 'category';

export interface BinnedColumn {
  kind: ColumnKind;
  /** Bins for values; the missing bin is `bins` (one past the last). */
  bins: number;
  /** Per row: its bin. */
  codes: Uint8Array;
  /** Number columns: per bin, the least and greatest training value in it (±Infinity when empty). */
  lo: Float64Array;
  hi: Float64Array;
  /** Number columns: the cut points (value ≤ cuts[b] is in bin ≤ b), to bin other rows alike. */
  cuts: Float64Array;
}

/** Cut points for one number column's present values (sorted ascending). */
export function binCuts(sorted: Float64Array, maxBins: number): Float64Array {
  // The distinct values, up to one more than fit in the bins.
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length && distinct.length <= maxBins; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]);
  if (distinct.length <= maxBins) {
    const cuts = new Float64Array(Math.max(distinct.length - 1, 0));
    for (let i = 0; i < cuts.length; i++) cuts[i] = (distinct[i] + distinct[i + 1]) / 2;
    return cuts;
  }
  // numpy.percentile(values, linspace(0, 100, maxBins + 1)[1:-1], method="midpoint"), then unique.
  const n = sorted.length;
  const out: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const at = (q / maxBins) * (n - 1);
    const v = (sorted[Math.floor(at)] + sorted[Math.ceil(at)]) / 2;
    if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  }
  return Float64Array.from(out);
}

/** Entries of the search table of `cuts` (kernels.wat's binValues): a power of two, at least one more than the cuts. */
function tableSize(cuts: Float64Array): number {
  let size = 1;
  while (size <= cuts.length) size <<= 1;
  return size;
}

/** Where binning's scratch lies (bytes) for n rows: see binColumn. */
function scratchLayout(n: number) {
  const values = 0;
  const a = values + 8 * n;
  const b = a + 8 * n;
  const table = b + 8 * Math.min(n, QUANTILE_SAMPLE);
  const lo = table + 8 * 256;
  const hi = lo + 8 * 256;
  const counts = hi + 8 * 256;
  const codes = counts + 4 * 8 * 256;
  return { values, a, b, table, lo, hi, counts, codes, bytes: codes + n };
}

/** This thread's binning scratch: one memory, kept and reused while large enough, until released. */
let scratch: { memory: WebAssembly.Memory; kernels: Kernels } | null = null;

/** Lets this thread's binning scratch go (about 17 bytes a row): call when a fit's binning is done. */
export function releaseBinningScratch(): void {
  scratch = null;
}

function scratchFor(module: WebAssembly.Module, bytes: number): { buffer: ArrayBufferLike; kernels: Kernels } {
  if (!scratch || scratch.memory.buffer.byteLength < bytes) {
    const memory = kernelMemory(bytes);
    scratch = { memory, kernels: kernelsOn(module, memory) };
  }
  return { buffer: scratch.memory.buffer, kernels: scratch.kernels };
}

/**
 * `values` (in the scratch at L.values) binned by `cuts` into the scratch's
 * codes, lo and hi (per bin, the least and greatest value; ±∞ when empty).
 */
function binInScratch(
  s: { buffer: ArrayBufferLike; kernels: Kernels },
  L: ReturnType<typeof scratchLayout>,
  n: number,
  cuts: Float64Array,
): void {
  const bins = cuts.length + 1;
  const size = tableSize(cuts);
  const table = new Float64Array(s.buffer, L.table, size).fill(Infinity);
  table.set(cuts);
  new Float64Array(s.buffer, L.lo, bins).fill(Infinity);
  new Float64Array(s.buffer, L.hi, bins).fill(-Infinity);
  s.kernels.binValues(L.values, n, L.table, size, L.codes, L.lo, L.hi, bins);
}

/**
 * Bins each column over `rows` (indices into the column arrays); `levels[j]`
 * is a category column's number of levels (its values are level indices or NaN).
 */
export function binColumns(
  columns: readonly Float64Array[],
  kinds: readonly ColumnKind[],
  levels: readonly number[],
  rows: Uint32Array,
  maxBins: number,
  seed: number,
): BinnedColumn[] {
  const module = kernelModule();
  return columns.map((col, j) =>
    binColumn(col, kinds[j], levels[j], rows, maxBins, seed + j, new Uint8Array(rows.length), module),
  );
}

/**
 * Bins one column over `rows`, writing each row's bin into `codes`; `seed`
 * draws its quantile subsample; `module` is the kernels' (./kernels.ts).
 */
export function binColumn(
  col: Float64Array,
  kind: ColumnKind,
  levels: number,
  rows: Uint32Array,
  maxBins: number,
  seed: number,
  codes: Uint8Array,
  module: WebAssembly.Module,
): BinnedColumn {
  const n = rows.length;
  if (kind === 'category') {
    const bins = levels;
    for (let i = 0; i < n; i++) {
      const v = col[rows[i]];
      codes[i] = Number.isNaN(v) ? bins : v;
    }
    return {
      kind: 'category',
      bins,
      codes,
      lo: new Float64Array(0),
      hi: new Float64Array(0),
      cuts: new Float64Array(0),
    };
  }
  // The rows' values; the present ones, in row order, into a; a subsample of
  // them into b when there are more than QUANTILE_SAMPLE; sorted where they
  // lie, with the other area as the sort's scratch.
  const L = scratchLayout(n);
  const s = scratchFor(module, L.bytes);
  const values = new Float64Array(s.buffer, L.values, n);
  for (let i = 0; i < n; i++) values[i] = col[rows[i]];
  const present = s.kernels.present(L.values, n, L.a);
  let [at, tmp, count] = [L.a, L.b, present];
  if (present > QUANTILE_SAMPLE) {
    const pick = new Rng(seed).sample(present, QUANTILE_SAMPLE);
    const all = new Float64Array(s.buffer, L.a, present);
    const sample = new Float64Array(s.buffer, L.b, QUANTILE_SAMPLE);
    for (let i = 0; i < pick.length; i++) sample[i] = all[pick[i]];
    [at, tmp, count] = [L.b, L.a, QUANTILE_SAMPLE];
  }
  s.kernels.sortValues(at, count, tmp, L.counts);
  const cuts = binCuts(new Float64Array(s.buffer, at, count), maxBins);
  binInScratch(s, L, n, cuts);
  const bins = cuts.length + 1;
  codes.set(new Uint8Array(s.buffer, L.codes, n));
  const lo = new Float64Array(s.buffer, L.lo, bins).slice();
  const hi = new Float64Array(s.buffer, L.hi, bins).slice();
  return { kind: 'number', bins, codes, lo, hi, cuts };
}

/** Codes of other rows (validation rows) in the bins of `binned`. */
export function binLike(binned: BinnedColumn, col: Float64Array, rows: Uint32Array): Uint8Array {
  const n = rows.length;
  const codes = new Uint8Array(n);
  if (binned.kind === 'category') {
    for (let i = 0; i < n; i++) {
      const v = col[rows[i]];
      codes[i] = Number.isNaN(v) ? binned.bins : v;
    }
    return codes;
  }
  const L = scratchLayout(n);
  const s = scratchFor(kernelModule(), L.bytes);
  const values = new Float64Array(s.buffer, L.values, n);
  for (let i = 0; i < n; i++) values[i] = col[rows[i]];
  binInScratch(s, L, n, binned.cuts);
  codes.set(new Uint8Array(s.buffer, L.codes, n));
  return codes;
}

/**
 * The threshold a split after bin b exports: a number t with every training
 * value of bins ≤ b at most t and every one above greater, so the stored
 * tree sends the training rows exactly where the bins did. Of those, the one
 * with fewest digits near the midpoint of the gap (compact JSON).
 */
export function splitThreshold(col: BinnedColumn, b: number): number {
  let lo = -Infinity;
  for (let i = 0; i <= b; i++) if (col.hi[i] > lo) lo = col.hi[i];
  let hi = Infinity;
  for (let i = b + 1; i < col.bins; i++) if (col.lo[i] < hi) hi = col.lo[i];
  if (!Number.isFinite(hi)) return lo;
  if (!Number.isFinite(lo)) return hi - 1;
  const mid = lo + (hi - lo) / 2;
  for (let p = 1; p <= 17; p++) {
    // Near the midpoint (as scikit-learn cuts) when that is as short; else the left side's greatest value.
    for (const t of [Number(mid.toPrecision(p)), Number(lo.toPrecision(p))]) if (t >= lo && t < hi) return t;
  }
  return lo;
}
