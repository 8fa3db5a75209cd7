// More than one table: lookups between tables, order lines aggregated per
// customer into RFM and spend shares as of a reference date (returns taken
// off, not counted as orders), a customer table built from the lines when
// there is none, and the bundled messy sales export merged and segmented.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel, createScorer } from '../../model/index.ts';
import { adjustedRandIndex } from '../../trainer/estimators/quality.ts';
import { loadConfig, type TrainConfig } from '../../trainer/config.ts';
import { buildSchema, fillValues } from '../../trainer/features/schema.ts';
import { assembleTables } from '../../trainer/tables/assemble.ts';
import { aggregateRfm } from '../../trainer/tables/rfm.ts';
import type { CategoryColumn, NumericColumn, Table } from '../../trainer/read/table.ts';
import { trainModel } from '../../trainer/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-tables-'));
const csv = (name: string, lines: string[]) => {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
};
const day = (iso: string) =>
  Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
const numbers = (t: Table, name: string) =>
  Array.from((t.columns.find((c) => c.name === name) as NumericColumn).values);

describe('aggregating order lines (pure)', () => {
  const ref = day('2024-01-01');
  const lines = {
    customer: Int32Array.from([0, 0, 0, 1, 1, 0, 0]),
    day: Float64Array.from([
      day('2023-12-01'),
      day('2023-12-01'),
      day('2023-12-21') + 0.75,
      day('2023-06-01'),
      day('2023-06-10'),
      day('2023-12-25'),
      day('2024-02-01'),
    ]),
    amount: Float64Array.from([100, 50, 30, 20, 10, -40, 999]),
    quantity: Float64Array.from([2, 1, 3, 1, 1, -1, 5]),
    order: Int32Array.from([0, 0, 1, 2, 3, 4, 5]),
    category: Int32Array.from([0, 1, 0, 1, 1, 0, 0]),
    categories: ['Books', 'Games'],
  };
  const { features, stats } = aggregateRfm(lines, { customers: 3, referenceDay: ref });
  const f = (name: string) => Array.from(features.find((x) => x.name === name)!.values);

  it('measures recency and tenure in whole days before the reference date', () => {
    expect(f('recency_days')).toEqual([11, 205, NaN]);
    expect(f('tenure_days')).toEqual([31, 214, NaN]);
  });

  it('counts distinct orders, not lines, and not returns', () => {
    expect(f('frequency')).toEqual([2, 2, 0]);
  });

  it('takes returns off the spend and reports them as a share of what was bought', () => {
    expect(f('monetary')).toEqual([180 - 40, 30, 0]);
    expect(f('return_rate')[0]).toBeCloseTo(40 / 180, 12);
    expect(f('return_rate')[1]).toBe(0);
  });

  it('leaves out lines after the reference date', () => {
    expect(stats.skipped.afterReference).toBe(1);
    expect(stats).toMatchObject({ purchases: 5, returns: 1, customersWithPurchases: 2 });
  });

  it('gives each category its share of what the customer bought', () => {
    expect(f('share_books')[0]).toBeCloseTo(130 / 180, 12);
    expect(f('share_games')[0]).toBeCloseTo(50 / 180, 12);
    expect(f('share_games')[1]).toBe(1);
    expect(f('share_books')[2]).toBeNaN();
  });

  it('groups categories beyond the largest few as "other"', () => {
    const { features: top1 } = aggregateRfm(lines, { customers: 3, referenceDay: ref, topCategories: 1 });
    expect(top1.map((x) => x.name).filter((n) => n.startsWith('share_'))).toEqual(['share_books', 'share_other']);
  });
});

describe('joining files by the config', () => {
  const customers = csv('customers.csv', [
    'customer_id,age,signup,churned',
    '12923,34,2023-01-15,no',
    '15594,51,2022-06-01,yes',
    '17001,29,2023-11-20,no',
  ]);
  const products = csv('products.csv', ['product_id,category,list_price', 'P1,Books,10', 'P2,Games,25', 'P2,Toys,99']);
  const orders = csv('orders.csv', [
    'order_id,customer_id,product_id,quantity,unit_price,order_date',
    'A1,12923.0,P1,2,10,2023-12-01',
    'A1, 12923 ,P2,1,$25.00,2023-12-01 10:00',
    'A2,12923.0,P1,three,10,12/21/2023',
    'A3,15594.0,P2,1,25,2023-06-01',
    'R3,15594.0,P2,-1,25,2023-06-09',
    'A4,,P1,1,10,2023-07-01',
    'A5,99999.0,P1,1,10,2023-07-01',
    'A6,12923.0,P9,1,10,2023-07-02',
    'A7,12923.0,P1,1,10,2024-03-01',
  ]);
  const config: TrainConfig = {
    id: 'customer_id',
    joins: [
      { from: 'orders', to: 'products', on: 'product_id' },
      { from: 'orders', to: 'customers', on: 'customer_id' },
    ],
    transactions: {
      table: 'orders',
      customer: 'customer_id',
      date: 'order_date',
      quantity: 'quantity',
      price: 'unit_price',
      invoice: 'order_id',
      category: 'category',
    },
    referenceDate: '2024-01-01',
    columns: { signup: { kind: 'date' } },
  };

  it('aggregates the lines onto the customer table, keys matched as normalised text', async () => {
    const { table, log } = await assembleTables([customers, orders, products], config);
    expect(table.rows).toBe(3);
    expect(numbers(table, 'recency_days')).toEqual([11, 214, NaN]);
    expect(numbers(table, 'frequency')).toEqual([3, 1, 0]);
    // 2×10 + 25 + 3×10 (three, in words) + 10 (P9, no category) bought; the return cancels 15594's only order.
    expect(numbers(table, 'monetary')).toEqual([85, 0, 0]);
    expect(numbers(table, 'return_rate')).toEqual([0, 1, NaN]);
    expect(numbers(table, 'share_books')[0]).toBeCloseTo(50 / 75, 12);
    expect(log.joins.find((j) => j.to === 'customers')!.stats).toMatchObject({
      matched: 7,
      unmatched: 1,
      missingKey: 1,
      unmatchedExamples: ['99999'],
    });
    expect(log.joins.find((j) => j.to === 'products')!.stats).toMatchObject({
      matched: 8,
      unmatched: 1,
      duplicateKeys: 1,
    });
    expect(log.transactions).toMatchObject({ purchases: 5, returns: 1, skipped: { afterReference: 1, noCustomer: 2 } });
    expect(log.referenceDate).toEqual({ day: '2024-01-01', from: 'config' });
  });

  it('turns a declared date column into days before the reference date', async () => {
    const { table } = await assembleTables([customers, orders, products], config);
    expect(numbers(table, 'days_since_signup')).toEqual([351, 579, 42]);
  });

  it('takes the reference date from the data when the config gives none', async () => {
    const { log, table } = await assembleTables([customers, orders, products], { ...config, referenceDate: undefined });
    expect(log.referenceDate).toEqual({ day: '2024-03-02', from: 'data' });
    expect(numbers(table, 'recency_days')[0]).toBe(1);
  });

  it('builds the customer table from the lines when there is none', async () => {
    const { table, log } = await assembleTables([orders, products], {
      joins: [{ from: 'orders', to: 'products', on: 'product_id' }],
      transactions: {
        table: 'orders',
        customer: 'customer_id',
        date: 'order_date',
        quantity: 'quantity',
        price: 'unit_price',
        invoice: 'order_id',
      },
      referenceDate: '2024-01-01',
    });
    expect((table.columns[0] as CategoryColumn).dictionary).toEqual(['12923', '15594', '99999']);
    expect(numbers(table, 'frequency')).toEqual([3, 1, 1]);
    expect(log.transactions?.customersFromTransactions).toBe(true);
  });

  it('names the file that is not joined, or a table the config does not have', async () => {
    await expect(
      assembleTables([customers, orders, products], { ...config, joins: [config.joins![1]] }),
    ).rejects.toThrow('--data products: not joined to anything');
    await expect(assembleTables([customers, orders], config)).rejects.toThrow(
      'joins[0].to names table "products", but the --data files are "customers", "orders"',
    );
  });
});

describe('the bundled messy sales export (data/sales)', async () => {
  const config = await loadConfig('examples/sales/config.json');
  const files = ['data/sales/customers.csv', 'data/sales/orders.csv', 'data/sales/products.csv'];
  const { table, labels, log } = await assembleTables(files, config);
  config.labels = { ...labels, ...config.labels };
  const { model, report } = await trainModel(table, {
    config,
    seed: 42,
    k: 'auto',
    kRange: [2, 8],
    trainedAt: '2026-01-01T00:00:00Z',
    sources: files,
    assembly: log,
  });

  it('merges three messy tables into one row per customer', () => {
    expect(table.rows).toBe(600);
    expect(log.joins.map((j) => [j.from, j.to, j.kind])).toEqual([
      ['orders', 'products', 'lookup'],
      ['orders', 'customers', 'aggregate'],
    ]);
    expect(model.inputs.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        'recency_days',
        'frequency',
        'monetary',
        'return_rate',
        'share_electronics',
        'days_since_signup_date',
      ]),
    );
    expect(log.transactions!.returns).toBeGreaterThan(500);
  });

  it('recovers the four buying personas (adjusted Rand index ≥ 0.9 against the truth file)', () => {
    expect(model.segmentation.selection.chosen).toBe(4);
    const truth = readFileSync('data/sales/truth.csv', 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[1]));
    const all = Uint32Array.from({ length: table.rows }, (_, i) => i);
    const schema = buildSchema(table, config, all);
    const scorer = createScorer(compileModel(model));
    const found = Array.from(all, (r) => {
      fillValues(schema.bindings, r, scorer.values);
      return scorer.scoreValues([]).segment.id;
    });
    expect(adjustedRandIndex(found, truth)).toBeGreaterThanOrEqual(0.9);
  });

  it('learns churn from recency and frequency (held-out ROC-AUC ≥ 0.8)', () => {
    expect(report.targets[0].positive).toBe('yes');
    expect(report.targets[0].test.rocAuc).toBeGreaterThanOrEqual(0.8);
  });
});
