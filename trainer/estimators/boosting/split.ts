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

function numberSplit(
  hist: Float64Array,
  bins: number,
  o: number,
  G: number,
  H: number,
  n: number,
  parent: number,
  { minLeafSize, l2 }: SplitRule,
): ColumnSplit | null {
  const m = o + bins * 3;
  const nMissing = hist[m + 2];
  let best: ColumnSplit | null = null;
  let bestGain = 0;
  // Left to right, missing values right.
  let gl = 0;
  let hl = 0;
  let nl = 0;
  for (let b = 0; b < bins - 1; b++) {
    const at = o + b * 3;
    gl += hist[at];
    hl += hist[at + 1];
    nl += hist[at + 2];
    const nr = n - nl;
    if (nl < minLeafSize) continue;
    if (nr < minLeafSize) break;
    const hr = H - hl;
    if (hl < MIN_HESSIAN) continue;
    if (hr < MIN_HESSIAN) break;
    const gain = score(gl, hl, l2) + score(G - gl, hr, l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      // With no missing value in the node, a missing value later follows the larger child.
      best = {
        gain,
        bin: b,
        categories: null,
        missingLeft: nMissing === 0 && nl >= nr,
        gLeft: gl,
        hLeft: hl,
        nLeft: nl,
      };
    }
  }
  if (nMissing === 0) return best;
  // Right to left over the value bins, missing values left.
  let gr = 0;
  let hr = 0;
  let nr = 0;
  for (let b = bins - 1; b > 0; b--) {
    const at = o + b * 3;
    gr += hist[at];
    hr += hist[at + 1];
    nr += hist[at + 2];
    const nLeft = n - nr;
    if (nr < minLeafSize) continue;
    if (nLeft < minLeafSize) break;
    const hLeft = H - hr;
    if (hr < MIN_HESSIAN) continue;
    if (hLeft < MIN_HESSIAN) break;
    const gain = score(G - gr, hLeft, l2) + score(gr, hr, l2) - parent;
    if (gain > bestGain) {
      bestGain = gain;
      best = { gain, bin: b - 1, categories: null, missingLeft: true, gLeft: G - gr, hLeft, nLeft };
    }
  }
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
  { minLeafSize, l2 }: SplitRule,
): ColumnSplit | null {
  // Levels (and the missing bin) with enough rows, by smoothed mean gradient; ties by bin.
  const used: number[] = [];
  for (let b = 0; b <= bins; b++) if (hist[o + b * 3 + 2] >= MIN_CAT_SUPPORT) used.push(b);
  if (used.length < 2) return null;
  const value = (b: number) => hist[o + b * 3] / (hist[o + b * 3 + 1] + MIN_CAT_SUPPORT);
  used.sort((a, b) => value(a) - value(b) || a - b);
  const maxLeft = Math.min(MAX_CAT_THRESHOLD, (used.length + 1) >> 1);
  let best: ColumnSplit | null = null;
  let bestGain = 0;
  for (const direction of [1, -1]) {
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let i = 0; i < maxLeft && i < used.length - 1; i++) {
      const b = used[direction === 1 ? i : used.length - 1 - i];
      const at = o + b * 3;
      gl += hist[at];
      hl += hist[at + 1];
      nl += hist[at + 2];
      const nr = n - nl;
      if (nl < minLeafSize) continue;
      if (nr < minLeafSize) break;
      const hr = H - hl;
      if (hl < MIN_HESSIAN) continue;
      if (hr < MIN_HESSIAN) break;
      const gain = score(gl, hl, l2) + score(G - gl, hr, l2) - parent;
      if (gain > bestGain) {
        bestGain = gain;
        const left = direction === 1 ? used.slice(0, i + 1) : used.slice(used.length - 1 - i);
        const nMissing = hist[o + bins * 3 + 2];
        const missingLeft = left.includes(bins) || (nMissing === 0 && nl >= nr);
        const categories = left.filter((c) => c !== bins).sort((a, c) => a - c);
        best = { gain, bin: -1, categories, missingLeft, gLeft: gl, hLeft: hl, nLeft: nl };
      }
    }
  }
  return best;
}
