// Reading single cells the way real exports write them: missing-value tokens,
// numbers with currency symbols, thousands separators, percent signs, or
// spelled out as words. Each fix is named so the training report can count it.

const MISSING = new Set([
  '',
  'na',
  'n/a',
  'nan',
  'null',
  'none',
  'nil',
  '?',
  '-',
  '--',
  '#n/a',
  'missing',
  'undefined',
]);

export const isMissingToken = (raw: string) => MISSING.has(raw.trim().toLowerCase());

export type NumberFix = 'trimmed' | 'thousands' | 'currency' | 'percent' | 'words' | 'decimal-comma';

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6 };

/** "Twelve", "forty-two", "one hundred and five" → number; NaN if not number words. */
export function parseNumberWords(text: string): number {
  const words = text
    .toLowerCase()
    .replace(/-/g, ' ')
    .split(/\s+/)
    .filter((w) => w && w !== 'and');
  if (words.length === 0) return NaN;
  let total = 0;
  let current = 0;
  for (const w of words) {
    if (w in UNITS) current += UNITS[w];
    else if (w in TENS) current += TENS[w];
    else if (w === 'hundred') current = (current || 1) * 100;
    else if (w in SCALES) {
      total += (current || 1) * SCALES[w];
      current = 0;
    } else return NaN;
  }
  return total + current;
}

const PLAIN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A plain number as written by any export (no spaces, symbols or words): it
 * is never a missing token and parses with `Number` and no fix, so a reader
 * can take it without the general path.
 */
export const isPlainNumber = (raw: string) => PLAIN.test(raw);
const CURRENCY = /^[$€£¥₹]|^(usd|eur|gbp)\s?|\s?(usd|eur|gbp)$|[$€£¥₹]$/i;

/**
 * Parses a cell as a number, returning the value and the fix that was needed
 * (null when it was already plain). NaN when it is not a number at all.
 */
export function parseNumberCell(raw: string): { value: number; fix: NumberFix | null } {
  if (PLAIN.test(raw)) return { value: Number(raw), fix: null };
  let s = raw.trim();
  let fix: NumberFix | null = s !== raw ? 'trimmed' : null;
  if (PLAIN.test(s)) return { value: Number(s), fix };
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
    fix = 'currency';
  } // accounting negatives
  else if (s.startsWith('-') && !PLAIN.test(s)) {
    negative = true;
    s = s.slice(1).trim();
  }
  if (CURRENCY.test(s)) {
    s = s.replace(CURRENCY, '').trim();
    if (s.startsWith('-')) {
      negative = !negative;
      s = s.slice(1);
    }
    fix = 'currency';
  }
  if (s.endsWith('%')) {
    s = s.slice(0, -1).trim();
    fix = 'percent';
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) {
    s = s.replace(/,/g, '');
    fix ??= 'thousands';
  } else if (/^[+-]?\d{1,3}( \d{3})+(\.\d+)?$/.test(s)) {
    s = s.replace(/ /g, '');
    fix ??= 'thousands';
  } else if (/^[+-]?\d+,\d+$/.test(s)) {
    s = s.replace(',', '.');
    fix ??= 'decimal-comma';
  }
  if (PLAIN.test(s)) {
    let v = Number(s);
    if (negative) v = -v;
    return { value: v, fix };
  }
  if (/^[a-z][a-z\s-]*$/i.test(s)) {
    const v = parseNumberWords(s);
    if (!Number.isNaN(v)) return { value: negative ? -v : v, fix: 'words' };
  }
  return { value: NaN, fix: null };
}

const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'positive', 'pos']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'negative', 'neg']);

/** Boolean-like label text: true, false, or null when it is neither. */
export function parseBooleanLike(raw: string): boolean | null {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return null;
}

/**
 * A join key as text: trimmed, and an integral number written as a float
 * (`12923.0`, what spreadsheets and pandas write for an id column with gaps)
 * read as the integer, so `12923.0` in one table matches `12923` in another.
 */
export function normaliseKey(raw: string): string {
  const s = raw.trim();
  const m = /^([+-]?\d+)\.0+$/.exec(s);
  return m ? m[1] : s;
}
