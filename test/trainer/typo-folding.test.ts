// Typo folding that tells typos from levels (trainer/clean/levels.ts): real
// levels that are one or two letters apart — month and weekday abbreviations,
// state and country codes, sizes, Male/Female, SKUs — never fold, whatever
// their frequencies; the messy sales export's slips (Electronis, clothing ,
// Grocey) still do, and every fold is logged with its count.
import { describe, expect, it } from 'vitest';
import { foldLevels, isTypo, TYPO_MAX_COUNT, typoEdits } from '../../trainer/clean/levels.ts';
import { checkConfig, ConfigError } from '../../trainer/config.ts';

/** Levels with very unequal counts: the most favourable case for a wrong fold. */
const skewed = (levels: string[], top = 5000) => levels.map((_, i) => Math.max(11, Math.round(top / 2 ** i)));
const typoFolds = (levels: string[], counts: number[]) =>
  foldLevels(levels, counts, undefined, { groupRare: false }).folds.filter((f) => f.why === 'typo');

describe('real levels one edit apart never fold', () => {
  it.each([
    ['month abbreviations', ['may', 'jul', 'aug', 'jun', 'nov', 'apr', 'feb', 'jan', 'oct', 'sep', 'mar', 'dec']],
    ['weekday abbreviations', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']],
    ['weekday names', ['Thursday', 'Tuesday', 'Monday', 'Sunday', 'Friday', 'Saturday', 'Wednesday']],
    [
      'US state codes',
      [
        'CA',
        'CO',
        'CT',
        'MA',
        'MD',
        'ME',
        'MI',
        'MN',
        'MO',
        'MS',
        'MT',
        'NC',
        'ND',
        'NE',
        'NH',
        'NJ',
        'NM',
        'NV',
        'NY',
      ],
    ],
    ['country codes', ['USA', 'UAE', 'RSA', 'AUS', 'AUT', 'DE', 'DK', 'GB', 'GR', 'ES', 'EE']],
    ['sizes', ['M', 'L', 'S', 'XL', 'XS', 'XXL', 'XXS']],
    ['Male/Female', ['Male', 'Female']],
    ['SKUs one character apart', ['SKU-10023', 'SKU-10024', 'SKU-1002A', 'AB12C', 'AB12D', 'P001', 'P002']],
  ])('%s', (_, levels) => {
    expect(typoFolds(levels, skewed(levels))).toEqual([]);
  });

  it('keeps "mar" beside a 30× more frequent "may": 391 identical spellings are a level', () => {
    expect(typoFolds(['may', 'mar'], [13766, 391])).toEqual([]);
    // Even were "mar" rare, one edit in a 3-letter code is another code.
    expect(isTypo('mar', 'may', 2, 13766, 45211)).toBe(false);
  });

  it('keeps a consistent spelling seen more than TYPO_MAX_COUNT times', () => {
    expect(isTypo('Nort', 'North', TYPO_MAX_COUNT, 5000, 6000)).toBe(true);
    expect(isTypo('Nort', 'North', TYPO_MAX_COUNT + 1, 5000, 6000)).toBe(false);
  });

  it('allows no edit under 4 characters, one up to 9, two from 10', () => {
    expect([2, 3, 4, 9, 10, 20].map(typoEdits)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});

describe("the messy sales export's typos still fold", () => {
  it('folds Electronis, clothing  and Grocey onto their levels, with counts', () => {
    const f = foldLevels(
      ['Electronics', 'Electronis', 'Clothing', 'clothing ', 'Grocery', 'Grocey', 'Toys'],
      [900, 3, 800, 4, 700, 2, 600],
    );
    expect(f.canonical).toEqual(['Electronics', 'Electronics', 'Clothing', 'Clothing', 'Grocery', 'Grocery', 'Toys']);
    expect(f.folds).toEqual(
      expect.arrayContaining([
        { from: 'Electronis', to: 'Electronics', count: 3, why: 'typo' },
        { from: 'clothing ', to: 'Clothing', count: 4, why: 'case/spacing' },
        { from: 'Grocey', to: 'Grocery', count: 2, why: 'typo' },
      ]),
    );
  });

  it('folds a spacing slip however often it repeats ("Home& Garden")', () => {
    const f = foldLevels(['Home & Garden', 'Home& Garden'], [2400, 338]);
    expect(f.folds).toEqual([{ from: 'Home& Garden', to: 'Home & Garden', count: 338, why: 'case/spacing' }]);
  });
});

describe('switching folding off, declaring levels', () => {
  it('fold: false keeps typos and rare levels as written, but still folds case and spacing', () => {
    const f = foldLevels(['North', 'Nort', 'north', 'A', 'B'], [500, 3, 4, 2, 2], undefined, {
      typos: false,
      groupRare: false,
    });
    expect(f.canonical).toEqual(['North', 'Nort', 'North', 'A', 'B']);
  });

  it('declared levels are never folded away', () => {
    const f = foldLevels(['Grade', 'Grace'], [600, 3], ['Grade', 'Grace']);
    expect(f.canonical).toEqual(['Grade', 'Grace']);
  });

  it('validates "fold" and "levels", naming the field', () => {
    const problems = (columns: unknown) => {
      try {
        checkConfig({ columns });
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
    };
    expect(problems({ month: { fold: false }, size: { levels: ['S', 'M', 'L'] } })).toBe('');
    expect(problems({ month: { fold: 'no' } })).toContain('columns.month.fold must be true or false');
    expect(problems({ size: { levels: 'S,M' } })).toContain(
      'columns.size.levels must be an array of non-empty strings',
    );
    expect(problems({ size: { levels: ['S', 's '] } })).toContain('columns.size.levels lists a level twice');
    expect(problems({ age: { kind: 'numeric', fold: false } })).toContain(
      'columns.age: "fold" and "levels" apply to a categorical or ordinal column',
    );
  });
});
