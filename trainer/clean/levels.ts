// Folding spellings of one category onto a canonical level: values that differ
// only by case or spacing always fold; a spelling folds onto another level as a
// typo only when the evidence says typo (rare, a small edit of a longer word, no
// digits); rare levels are grouped as "other". Pure functions of the counts.
import { normaliseLevel } from '../../model/index.ts';

/** Levels rarer than this share of non-missing rows are grouped as "other". */
export const RARE_SHARE = 0.01;
/**
 * Relative rarity: a typo's level is at least 5× as frequent as the typo.
 * Distinct real levels that are close in spelling ("One year"/"Two year") are
 * usually of similar frequency, while a typo is rare beside its level.
 */
export const TYPO_FREQUENCY_RATIO = 5;
/**
 * Absolute rarity: a spelling seen more than 10 times (or more than 0.1% of the
 * rows on a large table) is written that way on purpose — a level, not a slip.
 * Random typos rarely repeat (one wrong letter in a 6-letter word has over 300
 * spellings); "mar" seen 391 times beside "may" is March, not a typo of May.
 */
export const TYPO_MAX_COUNT = 10;
export const TYPO_MAX_SHARE = 0.001;
/**
 * Edits a typo may differ by, from the length of the level it folds onto: none
 * below 4 characters (one edit in a 2–3 letter code is another code: CA/CO,
 * mar/may, XL/L, USA/RSA), one up to 9 characters, two from 10 ("Electronis",
 * "Home & Gardn"). Weekday and month names (Tuesday/Thursday) are 2 apart, so
 * they never fold.
 */
export function typoEdits(length: number): number {
  return length >= 10 ? 2 : length >= 4 ? 1 : 0;
}
/** Levels with a digit are codes (SKUs, plans, postcodes): one changed character is another code. */
const CODE_LIKE = /\d/;

/** Spacing never tells levels apart: "Home& Garden" and "Home & Garden" are one level. */
const spacingKey = (s: string) => normaliseLevel(s).replace(/\s+/g, '');

export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length];
}

export interface LevelFolding {
  /** dictionary index → canonical level (or "other"). */
  canonical: string[];
  folds: { from: string; to: string; count: number; why: 'case/spacing' | 'typo' | 'rare' }[];
}

export interface FoldOptions {
  /** Group levels under RARE_SHARE as "other" (default true; never with `keep`). */
  groupRare?: boolean;
  /** Fold typos (default true); false keeps every spelling but case/spacing variants (config `fold: false`). */
  typos?: boolean;
}

/** Whether a spelling seen `count` times folds onto a level seen `target` times, among `total` rows. */
export function isTypo(rare: string, common: string, count: number, target: number, total: number): boolean {
  if (count > Math.max(TYPO_MAX_COUNT, TYPO_MAX_SHARE * total)) return false;
  if (target < TYPO_FREQUENCY_RATIO * count) return false;
  const a = normaliseLevel(rare);
  const b = normaliseLevel(common);
  if (CODE_LIKE.test(a) || CODE_LIKE.test(b)) return false;
  const edits = typoEdits(b.length);
  return edits > 0 && editDistance(a, b, edits) <= edits;
}

/**
 * Decides canonical levels from a dictionary and its counts. `keep` lists
 * levels that must survive as they are (declared levels, ordinal or not).
 */
export function foldLevels(
  dictionary: string[],
  counts: number[],
  keep?: string[],
  options: FoldOptions = {},
): LevelFolding {
  const folds: LevelFolding['folds'] = [];
  // 1. Case/spacing: the most frequent spelling of each normalised form wins.
  const groups = new Map<string, number[]>();
  dictionary.forEach((v, i) => {
    const key = spacingKey(v);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(i);
  });
  const canonical = dictionary.slice();
  const total = new Map<string, number>();
  for (const [, members] of groups) {
    const declared = keep ? members.find((i) => keep.includes(dictionary[i])) : undefined;
    const winner =
      declared ??
      members.reduce((a, b) =>
        counts[b] > counts[a] || (counts[b] === counts[a] && dictionary[b] < dictionary[a]) ? b : a,
      );
    let sum = 0;
    for (const i of members) {
      canonical[i] = dictionary[winner];
      sum += counts[i];
      if (i !== winner && counts[i] > 0)
        folds.push({ from: dictionary[i], to: dictionary[winner], count: counts[i], why: 'case/spacing' });
    }
    total.set(dictionary[winner], sum);
  }
  // 2. Typos: a rare form close to a frequent one.
  const levels = [...total.keys()].sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : 1));
  const rows = [...total.values()].reduce((a, b) => a + b, 0);
  const typoOf = new Map<string, string>();
  for (const rare of options.typos === false ? [] : levels) {
    if (keep?.includes(rare)) continue;
    for (const common of levels) {
      if (common === rare || typoOf.has(common)) continue;
      if (total.get(common)! < TYPO_FREQUENCY_RATIO * total.get(rare)!) break;
      if (isTypo(rare, common, total.get(rare)!, total.get(common)!, rows)) {
        typoOf.set(rare, common);
        folds.push({ from: rare, to: common, count: total.get(rare)!, why: 'typo' });
        break;
      }
    }
  }
  for (let i = 0; i < canonical.length; i++) {
    const t = typoOf.get(canonical[i]);
    if (t) canonical[i] = t;
  }
  // 3. Rare levels (only when there are several of them to group).
  const final = new Map<string, number>();
  canonical.forEach((c, i) => final.set(c, (final.get(c) ?? 0) + counts[i]));
  const all = [...final.values()].reduce((a, b) => a + b, 0);
  const rare = [...final.keys()].filter((l) => final.get(l)! < RARE_SHARE * all && !keep?.includes(l));
  if (!keep && options.groupRare !== false && rare.length >= 2) {
    for (const l of rare) folds.push({ from: l, to: 'other', count: final.get(l)!, why: 'rare' });
    for (let i = 0; i < canonical.length; i++) if (rare.includes(canonical[i])) canonical[i] = 'other';
  }
  return { canonical, folds };
}
