// Names a segment from how its profile differs from the population: the two
// strongest standardised differences of number inputs ("High income · Low
// spend"), or a dominant category level when no number stands out. A level is
// never shown bare — "unknown" or "3" mean nothing without their column — so
// it carries the column ("Previous outcome: unknown"). The rules are
// deterministic, so retraining the same data gives the same names.
import type { InputField, SegmentProfile } from '../../model/index.ts';
import { parseBooleanLike } from '../clean/values.ts';
import type { Profiles } from './profile.ts';

export interface Difference {
  input: string;
  /** Standard deviations from the population mean (numbers) or share lift (categories). */
  z: number;
  text: string;
  word: string;
  /** Categories: the dominant level the word names, unless generic (see isGeneric). */
  level?: string;
}

/** Below this many standard deviations a difference is not worth naming. */
const NOTABLE_Z = 0.4;

/** Words for the low and high side of an input, where plain "Low x"/"High x" reads badly. */
export type Words = Record<string, [string, string]>;

const BUILT_IN_WORDS: [RegExp, [string, string]][] = [
  [/^age$|^age[_ ]|[_ ]age$/i, ['Young', 'Older']],
  [/^recency(_days)?$/i, ['Recent buyers', 'Lapsed']],
  [/^frequency$/i, ['Infrequent', 'Frequent']],
  [/^monetary$/i, ['Low spend', 'High spend']],
  [/^tenure_days$/i, ['New', 'Long-standing']],
  [/^return_rate$/i, ['Few returns', 'Many returns']],
];

export function wordsFor(f: InputField, words: Words = {}): [string, string] | undefined {
  const own = words[f.name] ?? BUILT_IN_WORDS.find(([re]) => re.test(f.name))?.[1];
  if (own) return own;
  // Category spend shares (see tables/rfm.ts): "Toys buyers" reads better than "Very high share of spend: toys".
  const share = /^Share of spend: (.+)$/.exec(f.label ?? '');
  return share ? [`Few ${share[1].toLowerCase()} purchases`, `${share[1]} buyers`] : undefined;
}

/** "MonthlyCharges" / "annual_income" / "Annual Income (k$)" → "monthly charges" / "annual income". */
export const shortName = (f: InputField) => {
  const base = (f.label ?? f.name)
    .replace(/\s*\(.*?\)\s*/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim();
  return base
    .replace(/\bper\b/gi, '/')
    .replace(/\s+/g, ' ')
    .toLowerCase();
};

const levelWord = (z: number) => (z >= 1.5 ? 'Very high' : z >= 0 ? 'High' : z <= -1.5 ? 'Very low' : 'Low');

/** Below this share a dominant level is named "mostly": 9 in 10 rows is as good as all of them. */
const ALL_SHARE = 0.9;

/** The column in words, as a name part starts: its label when given ("Previous outcome"), else its name ("Payment method"). */
export function columnWords(f: InputField): string {
  const own = f.label
    ?.replace(/\s*\(.*?\)\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = own || shortName(f);
  return words[0].toUpperCase() + words.slice(1);
}

/**
 * A dominant level as a name part, always with its column: "Partner" / "No
 * partner" for yes/no levels, else "Gender: Female" or "Contract: mostly
 * Month-to-month".
 */
export function levelName(f: InputField, level: string, share: number): string {
  const b = parseBooleanLike(level);
  if (b !== null) {
    const field = shortName(f);
    return b ? field[0].toUpperCase() + field.slice(1) : `No ${field}`;
  }
  return `${columnWords(f)}: ${share >= ALL_SHARE ? '' : 'mostly '}${level}`;
}

/** `inputs` in the order of the profiles' means and stds (the model's inputs). */
export function differences(
  inputs: InputField[],
  seg: SegmentProfile,
  pop: Profiles['population'],
  words: Words = {},
): Difference[] {
  const out: Difference[] = [];
  inputs.forEach((f, j) => {
    if (f.type === 'number') {
      // Profiles hold a number at a number input's position (see profile.ts).
      const mean = seg.means[j]!;
      const popMean = pop.means[j]!;
      const z = (mean - popMean) / (pop.stds[j] || 1);
      // "(k$)" or "(years)" is a unit; "(1–100)" is a scale, not something to print after a number.
      const paren = /\((.*?)\)/.exec(f.label ?? f.name)?.[1];
      const unit = paren && !/\d\s*[–-]\s*\d/.test(paren) ? paren : undefined;
      out.push({
        input: f.name,
        z,
        word: wordOf(f, z, words),
        text: `${f.label ?? f.name} ${Math.abs(z).toFixed(1)} sd ${z >= 0 ? 'above' : 'below'} average (${fmt(mean)} vs ${fmt(popMean)}${unit ? ` ${unit}` : ''})`,
      });
    } else {
      // The level whose share rises most; z is scaled so a doubling of a 30% level ≈ 1 sd.
      let best = '';
      let bestLift = 0;
      for (const level of f.levels) {
        const s = seg.shares[f.name][level] ?? 0;
        const p = pop.shares[f.name][level] ?? 0;
        const lift = (s - p) / Math.sqrt(Math.max(p * (1 - p), 0.01));
        if (s >= 0.5 && lift > bestLift) {
          bestLift = lift;
          best = level;
        }
      }
      if (best) {
        const s = seg.shares[f.name][best];
        out.push({
          input: f.name,
          z: bestLift,
          word: levelName(f, best, s),
          // Yes/no levels read as their column ("No partner"): nothing to say once.
          ...(isGeneric(best) ? {} : { level: best }),
          text: `${Math.round(s * 100)}% ${best} for ${f.label ?? f.name} (population ${Math.round(pop.shares[f.name][best] * 100)}%)`,
        });
      }
    }
  });
  return out.sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || (a.input < b.input ? -1 : 1));
}

function wordOf(f: InputField, z: number, words: Words): string {
  const w = wordsFor(f, words);
  if (w) return z >= 0 ? w[1] : w[0];
  return `${levelWord(z)} ${shortName(f)}`;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * Levels that say nothing on their own: yes/no, numbers, unknown/other/none.
 * Two columns that share one ("3", "unknown") do not mean the same thing.
 */
export function isGeneric(level: string): boolean {
  const l = level.trim().toLowerCase();
  return (
    parseBooleanLike(l) !== null ||
    /^[-+]?\d+([.,]\d+)?$/.test(l) ||
    ['unknown', 'other', 'others', 'none', 'n/a', 'na', 'missing', 'not known'].includes(l)
  );
}

/**
 * Several columns can share a level ("No internet service" in six telco
 * columns, and InternetService = No): name it once — by the part that already
 * says it on its own, else by the first column that has it.
 */
function sayOnce(diffs: Difference[]): Difference[] {
  const said = new Set(diffs.map((d) => d.word.toLowerCase()));
  const levels = new Set<string>();
  return diffs.filter((d) => {
    if (d.level === undefined) return true;
    const level = d.level.toLowerCase();
    if (said.has(level) || levels.has(level)) return false;
    levels.add(level);
    return true;
  });
}

/** Names for every segment, made unique by adding further differences when two collide. */
export function nameSegments(
  inputs: InputField[],
  profiles: Profiles,
  words: Words = {},
): { label: string; description: string; differences: Difference[] }[] {
  const diffs = profiles.segments.map((s) => differences(inputs, s, profiles.population, words));
  const take = diffs.map(() => 2);
  const labelOf = (i: number) => {
    const notable = diffs[i].filter((d) => Math.abs(d.z) >= NOTABLE_Z);
    const words = [...new Set(sayOnce(notable.length ? notable : diffs[i].slice(0, 1)).map((d) => d.word))];
    const parts = words.slice(0, take[i]);
    return parts.length ? parts.join(' · ') : 'Typical customers';
  };
  let labels = diffs.map((_, i) => labelOf(i));
  for (let round = 0; round < 3; round++) {
    const seen = new Map<string, number[]>();
    labels.forEach((l, i) => seen.set(l, [...(seen.get(l) ?? []), i]));
    const clashes = [...seen.values()].filter((g) => g.length > 1);
    if (!clashes.length) break;
    for (const g of clashes) for (const i of g) take[i]++;
    labels = diffs.map((_, i) => labelOf(i));
  }
  // Still equal after three more differences: number them.
  const count = new Map<string, number>();
  labels = labels.map((l) => {
    const n = (count.get(l) ?? 0) + 1;
    count.set(l, n);
    return labels.filter((x) => x === l).length > 1 ? `${l} (${n})` : l;
  });
  return diffs.map((d, i) => ({
    label: labels[i],
    description:
      d
        .filter((x) => Math.abs(x.z) >= NOTABLE_Z)
        .slice(0, 3)
        .map((x) => x.text)
        .join('; ') || 'Close to the population average on every feature.',
    differences: d,
  }));
}
