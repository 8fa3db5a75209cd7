// Folding spellings of one category onto a canonical level: values that differ
// only by case or spacing always fold; a typo folds onto a much more frequent
// level within a small edit distance. Rare levels are grouped as "other".
import { normaliseLevel } from '../../model/index.ts';

/** Levels rarer than this share of non-missing rows are grouped as "other". */
export const RARE_SHARE = 0.01;
/**
 * A typo folds onto a level at edit distance 1 (2 for levels of 8+ characters)
 * that is at least 5× as frequent: distinct real levels ("Male"/"Female",
 * "DSL"/"Fiber") are far apart or similar in frequency, while typos are rare.
 */
const TYPO_FREQUENCY_RATIO = 5;

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

/**
 * Decides canonical levels from a dictionary and its counts. `keep` lists
 * levels that must survive as they are (declared ordinal levels).
 */
export function foldLevels(dictionary: string[], counts: number[], keep?: string[], options: { groupRare?: boolean } = {}): LevelFolding {
  const folds: LevelFolding['folds'] = [];
  // 1. Case/spacing: the most frequent spelling of each normalised form wins.
  const groups = new Map<string, number[]>();
  dictionary.forEach((v, i) => {
    const key = normaliseLevel(v);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(i);
  });
  const canonical = dictionary.slice();
  const total = new Map<string, number>();
  for (const [, members] of groups) {
    const declared = keep ? members.find((i) => keep.includes(dictionary[i])) : undefined;
    const winner = declared ?? members.reduce((a, b) => (counts[b] > counts[a] || (counts[b] === counts[a] && dictionary[b] < dictionary[a]) ? b : a));
    let sum = 0;
    for (const i of members) {
      canonical[i] = dictionary[winner];
      sum += counts[i];
      if (i !== winner && counts[i] > 0) folds.push({ from: dictionary[i], to: dictionary[winner], count: counts[i], why: 'case/spacing' });
    }
    total.set(dictionary[winner], sum);
  }
  // 2. Typos: a rare form close to a frequent one.
  const levels = [...total.keys()].sort((a, b) => total.get(b)! - total.get(a)! || (a < b ? -1 : 1));
  const typoOf = new Map<string, string>();
  for (const rare of levels) {
    if (keep?.includes(rare)) continue;
    for (const common of levels) {
      if (common === rare || typoOf.has(common)) continue;
      if (total.get(common)! < TYPO_FREQUENCY_RATIO * total.get(rare)!) break;
      const a = normaliseLevel(rare);
      const b = normaliseLevel(common);
      const cap = Math.min(a.length, b.length) >= 8 ? 2 : 1;
      if (Math.min(a.length, b.length) >= 3 && editDistance(a, b, cap) <= cap) {
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
