// Corrupting clean cells the way real exports do, deterministically from a
// seeded Rng: numbers as words, with thousands separators, currency symbols or
// stray spaces; category spellings that differ by case, spacing or a one-letter
// typo; boolean labels in every spelling; missing-value tokens. Used by the
// messy sales generator and by the tests that hold the trainer to "a messy
// file trains as well as a clean one".
import type { Rng } from '../trainer/estimators/rng.ts';

export const MISSING_TOKENS = ['', 'NA', 'N/A', 'null', '?', '-'];

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0..999 in words: 42 → "forty-two", 105 → "one hundred five". */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) throw new Error(`numberToWords: ${n} is not an integer in 0..999`);
  if (n < 20) return ONES[n];
  if (n < 100) return TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : '');
  return `${ONES[Math.floor(n / 100)]} hundred${n % 100 ? ` ${numberToWords(n % 100)}` : ''}`;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Thousands separators: 1234.5 → "1,234.5". */
export function withThousands(text: string): string {
  const [int, frac] = text.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = int.replace('-', '');
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
}

export type NumberMess = 'words' | 'thousands' | 'currency' | 'spaces' | 'missing';

/**
 * A number as a messy export might write it. `money` allows currency symbols;
 * words are only used for integers up to 999 (capitalised half the time).
 */
export function messyNumber(
  text: string,
  rng: Rng,
  options: { money?: boolean } = {},
): { text: string; mess: NumberMess } {
  const v = Number(text);
  const kinds: NumberMess[] = ['spaces', 'missing'];
  if (Number.isInteger(v) && v >= 0 && v <= 999) kinds.push('words', 'words');
  if (Math.abs(v) >= 1000) kinds.push('thousands', 'thousands');
  if (options.money) kinds.push('currency', 'currency');
  const mess = pick(rng, kinds);
  switch (mess) {
    case 'words': {
      const w = numberToWords(v);
      return { text: rng.next() < 0.5 ? capitalise(w) : w, mess };
    }
    case 'thousands':
      return { text: withThousands(text), mess };
    case 'currency':
      return { text: v < 0 ? `-$${withThousands(text.slice(1))}` : `$${withThousands(text)}`, mess };
    case 'spaces':
      return { text: rng.next() < 0.5 ? ` ${text} ` : `${text}  `, mess };
    default:
      return { text: pick(rng, MISSING_TOKENS), mess };
  }
}

export type LevelMess = 'case' | 'spaces' | 'typo' | 'missing';

/** A one-letter typo (a letter dropped, doubled or replaced), never touching the first letter. */
export function typo(s: string, rng: Rng): string {
  if (s.length < 4) return s + s.charAt(s.length - 1);
  const i = 1 + rng.int(s.length - 1);
  switch (rng.int(3)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + s.charAt(i) + s.slice(i);
    default: {
      const letters = 'aeiourstnl';
      let c = pick(rng, letters.split(''));
      if (c === s.charAt(i).toLowerCase()) c = c === 'a' ? 'e' : 'a';
      return s.slice(0, i) + c + s.slice(i + 1);
    }
  }
}

/** A category level with its case, spacing or one letter changed, or missing. */
export function messyLevel(
  level: string,
  rng: Rng,
  options: { typos?: boolean } = {},
): { text: string; mess: LevelMess } {
  const kinds: LevelMess[] = ['case', 'case', 'spaces', 'spaces', 'missing'];
  if (options.typos !== false) kinds.push('typo', 'typo');
  const mess = pick(rng, kinds);
  switch (mess) {
    case 'case': {
      const lower = level.toLowerCase();
      return { text: lower !== level ? lower : level.toUpperCase(), mess };
    }
    case 'spaces':
      return { text: rng.next() < 0.5 ? `${level} ` : ` ${level.replace(/ /g, '  ')}`, mess };
    case 'typo':
      return { text: typo(level, rng), mess };
    default:
      return { text: pick(rng, MISSING_TOKENS), mess };
  }
}

const TRUE_SPELLINGS = ['TRUE', 'true', '1', 'yes', 'Y', 'Yes'];
const FALSE_SPELLINGS = ['FALSE', 'false', '0', 'no', 'N', 'No'];

/** A yes/no label in any of the spellings exports use. */
export function messyBoolean(value: boolean, rng: Rng): string {
  return pick(rng, value ? TRUE_SPELLINGS : FALSE_SPELLINGS);
}

export interface ColumnRole {
  kind: 'number' | 'money' | 'level' | 'boolean' | 'keep';
}

/**
 * Corrupts a CSV (header + rows of fields) in place of a copy: each cell of a
 * number, money, level or boolean column is corrupted with probability `rate`.
 * Returns the rows and how many cells were changed, by kind.
 */
export function corruptRows(
  rows: string[][],
  roles: ColumnRole[],
  rate: number,
  rng: Rng,
): { rows: string[][]; changed: number; cells: number; byKind: Record<string, number> } {
  let changed = 0;
  let cells = 0;
  const byKind: Record<string, number> = {};
  const out = rows.map((fields) =>
    fields.map((cell, c) => {
      const role = roles[c].kind;
      if (role === 'keep') return cell;
      cells++;
      if (rng.next() >= rate) return cell;
      let text: string;
      let mess: string;
      if (role === 'number' || role === 'money') ({ text, mess } = messyNumber(cell, rng, { money: role === 'money' }));
      else if (role === 'level') ({ text, mess } = messyLevel(cell, rng));
      else {
        const truth = ['yes', 'true', '1', 'y'].includes(cell.trim().toLowerCase());
        text = messyBoolean(truth, rng);
        mess = 'boolean';
      }
      if (text !== cell) {
        changed++;
        byKind[mess] = (byKind[mess] ?? 0) + 1;
      }
      return text;
    }),
  );
  return { rows: out, changed, cells, byKind };
}
