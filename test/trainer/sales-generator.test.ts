// The messy sales export generator: deterministic, the committed files are
// exactly its output, and the mess and the returns it promises are there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSales, messUp, SALES_DEFAULTS } from '../../data/generate-sales.ts';
import { numberToWords, withThousands } from '../../data/messy.ts';
import { csvLine } from '../../model/index.ts';

const tables = messUp(generateSales(SALES_DEFAULTS), SALES_DEFAULTS.seed);
const text = (rows: string[][]) => rows.map(csvLine).join('');

describe('data/generate-sales.ts', () => {
  it.each(['customers', 'products', 'orders', 'truth'] as const)(
    'reproduces the committed data/sales/%s.csv byte for byte',
    (name) => {
      expect(text(tables[name])).toBe(readFileSync(`data/sales/${name}.csv`, 'utf8'));
    },
  );

  it('writes numbers, categories, dates and labels messily in about 6% of cells', () => {
    const clean = generateSales(SALES_DEFAULTS);
    const changed = (a: string[][], b: string[][], col: string) => {
      const c = a[0].indexOf(col);
      return a.slice(1).filter((r, i) => r[c] !== b[i + 1][c]).length / (a.length - 1);
    };
    for (const col of ['age', 'region', 'signup_date', 'annual_income', 'churned']) {
      expect(changed(clean.customers, tables.customers, col), col).toBeGreaterThan(0.03);
      expect(changed(clean.customers, tables.customers, col), col).toBeLessThan(0.09);
    }
    expect(changed(clean.orders, tables.orders, 'quantity')).toBeGreaterThan(0.03);
  });

  it('has returns as negative quantities and lines for unknown or missing customers', () => {
    const q = tables.orders[0].indexOf('quantity');
    expect(tables.orders.filter((r) => r[q].trim().startsWith('-')).length).toBeGreaterThan(500);
    const c = tables.orders[0].indexOf('customer_id');
    expect(tables.orders.some((r) => r[c] === '')).toBe(true);
    expect(tables.orders.some((r) => /^C9\d{3}$/.test(r[c]))).toBe(true);
  });

  it('spells numbers the way the cleaner reads them', () => {
    expect([0, 7, 15, 42, 90, 105, 999].map(numberToWords)).toEqual([
      'zero',
      'seven',
      'fifteen',
      'forty-two',
      'ninety',
      'one hundred five',
      'nine hundred ninety-nine',
    ]);
    expect(['52300', '1234.5', '-98765', '12'].map(withThousands)).toEqual(['52,300', '1,234.5', '-98,765', '12']);
  });
});
