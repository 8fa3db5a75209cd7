// The best split of a node from its histogram, as scikit-learn's splitting.pyx
// finds it: for a number column, every cut between bins scanned left to right
// with missing values going right, and, when the node has missing values,
// right to left with them going left; for a category column, LightGBM's native
// split: the levels with enough rows ordered by gradient / (hessian + smoothing)
// and every prefix of that order (from either end) tried as the left set. The
// gain is XGBoost's: G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ).
import type { BinnedColumn } from './binning.ts';

/** scikit-learn's MIN_CAT_SUPPORT and MAX_CAT_THRESHOLD (LightGBM's cat_smooth, max_cat_threshold). */
const MIN_CAT_SUPPORT = 10;
const MAX_CAT_THRESHOLD = 32;
/** scikit-learn's min_hessian_to_split. */
const MIN_HESSIAN = 1e-3;

export interface SplitRule {
  minLeafSize: number;
  l2: number;
}

export interface Split {
  gain: number;
  column: number;
  /** Number split: bins ≤ bin go left. */
  bin: number;
  /** Category split: the bins (levels) that go left, ascending; null for a number split. */
  categories: number[] | null;
  missingLeft: boolean;
  gLeft: number;
  hLeft: number;
  nLeft: number;
}

const score = (g: number, h: number, l2: number) => (g * g) / (h + l2);

/** The best split of a node (sums G, H over n rows) over every column; null when none gains. */
export function bestSplit(
  hist: Float64Array,
  columns: readonly BinnedColumn[],
  off: Int32Array,
  G: number,
  H: number,
  n: number,
  rule: SplitRule,
): Split | null {
  let best: Split | null = null;
  const parent = score(G, H, rule.l2);
  for (let j = 0; j < columns.length; j++) {
    const s =
      columns[j].kind === 'category'
        ? categorySplit(hist, columns[j].bins, off[j] * 3, G, H, n, parent, rule)
        : numberSplit(hist, columns[j].bins, off[j] * 3, G, H, n, parent, rule);
    // Strictly greater: on a tie the earlier column wins, so the choice never depends on timing.
    if (s && (!best || s.gain > best.gain)) best = { ...s, column: j };
  }
  return best;
}

type ColumnSplit = Omit<Split, 'column'>;

/** The best side found by bestPrefix: its first `k` bins of the order, and their sums. */
interface Prefix {
  gain: number;
  k: number;
  g: number;
  h: number;
  n: number;
}

/**
 * The best split of a node whose one side is a prefix of `order` (bins, in
 * the order they join that side) of length 1..maxK, the other side the rest
 * of the node: the one scan behind every kind of split. Only a gain above
 * `floor` counts (so a later scan replaces an earlier one only when strictly
 * better). Prefixes too small for a leaf are skipped, and the scan stops once
 * the other side is too small.
 */
function bestPrefix(
  hist: Float64Array,
  o: number,
  order: ArrayLike<number>,
  maxK: number,
  G: number,
  H: number,
  n: number,
  parent: number,
  { minLeafSize, l2 }: SplitRule,
  floor: number,
): Prefix | null {
  let best: Prefix | null = null;
  let bestGain = floor;
  let ga = 0;
  let ha = 0;
  let na = 0;
  for (let k = 0; k < maxK; k++) {
    const at = o + order[k] * 3;
    ga += hist[at];
    ha += hist[at + 1];
    na += hist[at + 2];
    const nb = n - na;
    if (na < minLeafSize) continue;
    if (nb < minLeafSize) break;
    const hb = H - ha;
    if (ha < MIN_HESSIAN) continue;
    if (hb < MIN_HESSIAN) break;
    const gain = score(ga, ha, l2) + score(G - ga, hb, l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      best = { gain, k: k + 1, g: ga, h: ha, n: na };
    }
  }
  return best;
}

/** Bins from..to (inclusive), in that order, ascending or descending. */
function binRange(from: number, to: number): Int32Array {
  const step = from <= to ? 1 : -1;
  return Int32Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => from + i * step);
}

/**
 * The two scan orders of a number column of `bins` bins (0..bins-2 and
 * bins-1..1), made once per bin count: a fit asks for them at every node
 * and column (on 1M × 10 rows, allocating them each time took 2% of a fit).
 */
const scanOrders: { up: Int32Array; down: Int32Array }[] = [];
function ordersFor(bins: number): { up: Int32Array; down: Int32Array } {
  scanOrders[bins] ??= { up: binRange(0, bins - 2), down: binRange(bins - 1, 1) };
  return scanOrders[bins];
}

function numberSplit(
  hist: Float64Array,
  bins: number,
  o: number,
  G: number,
  H: number,
  n: number,
  parent: number,
  rule: SplitRule,
): ColumnSplit | null {
  const nMissing = hist[o + bins * 3 + 2];
  // Left to right, missing values right: the left side is bins 0..k-1.
  const up = bins > 1 ? bestPrefix(hist, o, ordersFor(bins).up, bins - 1, G, H, n, parent, rule, 0) : null;
  let best: ColumnSplit | null = up && {
    gain: up.gain,
    bin: up.k - 1,
    categories: null,
    // With no missing value in the node, a missing value later follows the larger child.
    missingLeft: nMissing === 0 && up.n >= n - up.n,
    gLeft: up.g,
    hLeft: up.h,
    nLeft: up.n,
  };
  if (nMissing === 0 || bins < 2) return best;
  // Right to left over the value bins, missing values left: the right side is bins bins-k..bins-1.
  const down = bestPrefix(hist, o, ordersFor(bins).down, bins - 1, G, H, n, parent, rule, best?.gain ?? 0);
  if (down)
    best = {
      gain: down.gain,
      bin: bins - 1 - down.k,
      categories: null,
      missingLeft: true,
      gLeft: G - down.g,
      hLeft: H - down.h,
      nLeft: n - down.n,
    };
  return best;
}

function categorySplit(
  hist: Float64Array,
  bins: number,
  o: number,
  G: number,
  H: number,
  n: number,
  parent: number,
  rule: SplitRule,
): ColumnSplit | null {
  // Levels (and the missing bin) with enough rows, by smoothed mean gradient; ties by bin.
  const used: number[] = [];
  for (let b = 0; b <= bins; b++) if (hist[o + b * 3 + 2] >= MIN_CAT_SUPPORT) used.push(b);
  if (used.length < 2) return null;
  const value = (b: number) => hist[o + b * 3] / (hist[o + b * 3 + 1] + MIN_CAT_SUPPORT);
  used.sort((a, b) => value(a) - value(b) || a - b);
  const maxK = Math.min(MAX_CAT_THRESHOLD, (used.length + 1) >> 1, used.length - 1);
  let best: ColumnSplit | null = null;
  // Prefixes from either end of the order as the left set.
  for (const order of [used, [...used].reverse()]) {
    const p = bestPrefix(hist, o, order, maxK, G, H, n, parent, rule, best?.gain ?? 0);
    if (!p) continue;
    const left = order.slice(0, p.k);
    const nMissing = hist[o + bins * 3 + 2];
    const missingLeft = left.includes(bins) || (nMissing === 0 && p.n >= n - p.n);
    const categories = left.filter((c) => c !== bins).sort((a, c) => a - c);
    best = { gain: p.gain, bin: -1, categories, missingLeft, gLeft: p.g, hLeft: p.h, nLeft: p.n };
  }
  return best;
}
