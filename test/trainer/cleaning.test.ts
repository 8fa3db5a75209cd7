// Cleaning as a user's messy export meets it: every kind of cell fix, level
// folding, boolean-like labels, and the counts and examples the report lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDateCell } from '../../trainer/clean/dates.ts';
import { foldLevels } from '../../trainer/clean/levels.ts';
import { isMissingToken, normaliseKey, parseBooleanLike, parseNumberCell } from '../../trainer/clean/values.ts';
import { resolveLabel } from '../../trainer/features/labels.ts';
import { readTable, type CategoryColumn, type NumericColumn } from '../../trainer/read/table.ts';
import { buildSchema } from '../../trainer/features/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-clean-'));
const csv = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('number cells', () => {
  it.each([
    ['three', 3, 'words'],
    ['Twelve', 12, 'words'],
    ['forty-two', 42, 'words'],
    ['one hundred and five', 105, 'words'],
    ['1,234', 1234, 'thousands'],
    ['12,345.50', 12345.5, 'thousands'],
    ['$52,300', 52300, 'currency'],
    ['€12.50', 12.5, 'currency'],
    ['-$4.20', -4.2, 'currency'],
    ['(15.00)', -15, 'currency'],
    ['45%', 45, 'percent'],
    ['  42 ', 42, 'trimmed'],
    ['3,5', 3.5, 'decimal-comma'],
    ['17', 17, null],
    ['-0.25', -0.25, null],
  ])('reads %j as %d (fix: %s)', (raw, value, fix) => {
    expect(parseNumberCell(raw)).toEqual({ value, fix });
  });

  it('gives NaN for text that is no number', () => {
    expect(parseNumberCell('blue').value).toBeNaN();
    expect(parseNumberCell('12 apples').value).toBeNaN();
  });

  it.each(['', '  ', 'NA', 'n/a', 'N/A', 'null', 'NULL', '?', '-', 'NaN', 'none'])('treats %j as missing', (raw) => {
    expect(isMissingToken(raw)).toBe(true);
  });

  it('does not treat zero or a word as missing', () => {
    expect(isMissingToken('0')).toBe(false);
    expect(isMissingToken('North')).toBe(false);
  });
});

describe('date and key cells', () => {
  it('reads ISO, US and dotted dates to the same day, with the time as a fraction', () => {
    const day = Date.UTC(2011, 9, 6) / 86_400_000;
    expect(parseDateCell('2011-10-06')).toEqual({ value: day, fix: null });
    expect(parseDateCell('10/6/2011')).toEqual({ value: day, fix: 'us-date' });
    expect(parseDateCell('6.10.2011')).toEqual({ value: day, fix: 'dotted-date' });
    expect(parseDateCell(' 2011/10/06 ')).toEqual({ value: day, fix: 'trimmed' });
    expect(parseDateCell('2011-10-06 12:00:00').value).toBeCloseTo(day + 0.5, 10);
  });

  it('refuses impossible dates rather than rolling them over', () => {
    expect(parseDateCell('2011-02-31').value).toBeNaN();
    expect(parseDateCell('13/13/2011').value).toBeNaN();
    expect(parseDateCell('yesterday').value).toBeNaN();
  });

  it('matches keys written as floats or with stray spaces', () => {
    expect(normaliseKey('12923.0')).toBe('12923');
    expect(normaliseKey(' C0012 ')).toBe('C0012');
    expect(normaliseKey('12923.5')).toBe('12923.5');
  });
});

describe('category levels', () => {
  it('folds case and spacing variants onto the most frequent spelling', () => {
    const f = foldLevels(['North', 'north ', ' NORTH', 'South'], [50, 3, 2, 40]);
    expect(f.canonical).toEqual(['North', 'North', 'North', 'South']);
    expect(f.folds).toEqual([
      { from: 'north ', to: 'North', count: 3, why: 'case/spacing' },
      { from: ' NORTH', to: 'North', count: 2, why: 'case/spacing' },
    ]);
  });

  it('folds a rare typo within edit distance 1 onto a level at least 5× as frequent', () => {
    const f = foldLevels(['North', 'Nort', 'South'], [100, 4, 90]);
    expect(f.canonical).toEqual(['North', 'North', 'South']);
    expect(f.folds).toContainEqual({ from: 'Nort', to: 'North', count: 4, why: 'typo' });
  });

  it('keeps real levels that happen to be close: similar frequencies are not typos', () => {
    expect(foldLevels(['Male', 'Female'], [50, 48]).canonical).toEqual(['Male', 'Female']);
    expect(foldLevels(['One year', 'Two year'], [20, 22]).canonical).toEqual(['One year', 'Two year']);
  });

  it('groups several rare levels as "other"', () => {
    const f = foldLevels(['A', 'B', 'Cx', 'Dy'], [500, 480, 3, 2]);
    expect(f.canonical).toEqual(['A', 'B', 'other', 'other']);
  });
});

describe('boolean-like labels', () => {
  const labelColumn = (values: string[]): CategoryColumn => {
    const dictionary = [...new Set(values)];
    return {
      kind: 'label',
      name: 'bought',
      codes: Int32Array.from(values, (v) => dictionary.indexOf(v)),
      dictionary,
      missing: 0,
      fixes: {},
    };
  };

  it.each(['TRUE', 'true', '1', 'yes', 'Y', 'Yes'])('reads %j as true', (raw) =>
    expect(parseBooleanLike(raw)).toBe(true),
  );
  it.each(['FALSE', 'false', '0', 'no', 'N'])('reads %j as false', (raw) => expect(parseBooleanLike(raw)).toBe(false));

  it('makes every spelling of yes one class, even when the config names the positive class', () => {
    const col = labelColumn(['yes', 'no', 'Y', 'TRUE', '1', 'no', 'N', 'false', 'yes', 'no']);
    const label = resolveLabel(col, {}, 'yes');
    expect(label.type).toBe('binary');
    if (label.type !== 'binary') return;
    expect(Array.from(label.y)).toEqual([1, 0, 1, 1, 1, 0, 0, 0, 1, 0]);
    expect(label.positive).toBe('yes');
    expect(col.fixes['boolean-like'].count).toBe(5);
    expect(col.fixes['boolean-like'].examples).toEqual(['Y', 'TRUE', '1']);
  });

  it('treats a few stray values in a boolean label as missing, and says so', () => {
    const values = [...Array(40).fill('yes'), ...Array(40).fill('no'), 'maybe'];
    const col = labelColumn(values);
    const label = resolveLabel(col);
    expect(label.type === 'binary' && label.y[80]).toBe(255);
    expect(col.fixes['not-boolean (missing)']).toEqual({ count: 1, examples: ['maybe'] });
  });

  it('folds label spellings and picks the minority class as positive', () => {
    const col = labelColumn(['Malignant', 'Benign', 'benign ', 'Benign', 'malignant']);
    const label = resolveLabel(col);
    expect(label.type === 'binary' && label.positive).toBe('Malignant');
  });

  it('makes three or more classes a multi-class label', () => {
    const label = resolveLabel(labelColumn(['Gold', 'Silver', 'Bronze', 'gold', 'Silver']));
    expect(label.type).toBe('multiclass');
    if (label.type !== 'multiclass') return;
    expect(label.classes).toEqual(['Bronze', 'Gold', 'Silver']);
    expect(Array.from(label.y)).toEqual([1, 2, 0, 1, 2]);
  });
});

describe('the fix log of a messy file', () => {
  const file = csv(
    'messy.csv',
    [
      'id,age,income,share,region,bought',
      '1,34,"$52,300",12%,North,yes',
      '2,Twelve,"48,100",30%,north ,no',
      '3, 41 ,N/A,15%,Nort,Y',
      '4,?,61000,?,South,TRUE',
      '5,55,€70000,20%,South,0',
      ...Array.from(
        { length: 40 },
        (_, i) =>
          `${6 + i},${30 + (i % 20)},${50000 + i * 100},${10 + (i % 9)}%,${i % 2 ? 'North' : 'South'},${i % 3 ? 'no' : 'yes'}`,
      ),
    ].join('\n') + '\n',
  );

  it('counts every fix per column with examples of the text as written', async () => {
    const table = await readTable(file, { id: 'id', targets: ['bought'] });
    const col = (name: string) => table.columns.find((c) => c.name === name) as NumericColumn;
    expect(col('age').fixes).toEqual({
      words: { count: 1, examples: ['Twelve'] },
      trimmed: { count: 1, examples: [' 41 '] },
      'missing-token': { count: 1, examples: ['?'] },
    });
    expect(col('age').missing).toBe(1);
    expect(col('income').fixes.currency).toEqual({ count: 2, examples: ['$52,300', '€70000'] });
    expect(col('income').fixes.thousands).toEqual({ count: 1, examples: ['48,100'] });
    expect(col('share').fixes.percent.count).toBe(44);
    expect(Array.from(col('income').values.slice(0, 5))).toEqual([52300, 48100, NaN, 61000, 70000]);
    expect(table.columns.find((c) => c.name === 'id')).toMatchObject({
      kind: 'dropped',
      reason: 'identifier (declared as id)',
    });
  });

  it('folds the category spellings in the schema and keeps them as aliases for the edge', async () => {
    const table = await readTable(file, { id: 'id', targets: ['bought'] });
    const schema = buildSchema(
      table,
      { id: 'id' },
      Uint32Array.from({ length: table.rows }, (_, i) => i),
    );
    const region = schema.inputs.find((f) => f.name === 'region');
    expect(region).toMatchObject({ type: 'category', levels: ['North', 'South'], aliases: { Nort: 'North' } });
    expect(schema.folds.region).toEqual(
      expect.arrayContaining([
        { from: 'north ', to: 'North', count: 1, why: 'case/spacing' },
        { from: 'Nort', to: 'North', count: 1, why: 'typo' },
      ]),
    );
  });

  it('drops a column whose values mostly are not numbers after all, with the reason', async () => {
    const lines = ['code,x'];
    for (let i = 0; i < 1000; i++) lines.push(`${i},${i % 7}`);
    for (let i = 0; i < 1500; i++) lines.push(`A${i},${i % 5}`);
    const table = await readTable(csv('codes.csv', lines.join('\n')));
    expect(table.columns[0]).toMatchObject({
      kind: 'dropped',
      reason: expect.stringMatching(/^1500 of 2500 values are not numbers \(e\.g\. "A0", "A1", "A2"\)/),
    });
  });
});
