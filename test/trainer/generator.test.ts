// The sample generator: deterministic, faithful to its declared personas and
// purchase model, and the committed sample is exactly what it produces.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, HEADER, PERSONAS, TRUTH_HEADER } from '../../data/customers-model.ts';
import { generateChunks, generateCustomers, parseArgs } from '../../data/generate.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (rel: string) => readFileSync(root + rel, 'utf8');

/** Both files' text, as the CLI would write them. */
function render(opts: { rows: number; seed: number; chunkRows?: number }) {
  let csv = '';
  let truth = '';
  for (const c of generateChunks(opts)) {
    csv += c.csv;
    truth += c.truth;
  }
  return { csv, truth };
}

/** Rank-based ROC AUC (Mann–Whitney U), ties counted half. */
function auc(score: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const order = Array.from({ length: score.length }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && score[order[j + 1]] === score[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        rankSum += midRank;
        pos++;
      }
    }
    i = j + 1;
  }
  const neg = order.length - pos;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const purchasedCol = HEADER.indexOf('purchased');

describe('data/generate.ts', () => {
  it('is deterministic: same seed, same bytes; different seed, different data', () => {
    const a = render({ rows: 500, seed: 42 });
    const b = render({ rows: 500, seed: 42 });
    const c = render({ rows: 500, seed: 43 });
    expect(a.csv).toBe(b.csv);
    expect(a.truth).toBe(b.truth);
    expect(c.csv).not.toBe(a.csv);
  });

  it('writes the same rows in memory and as streamed chunks, whatever the chunk size', () => {
    const g = generateCustomers({ rows: 300, seed: 5 });
    const expected = [g.header.join(','), ...g.rows.map((r) => r.join(','))].join('\n') + '\n';
    expect(render({ rows: 300, seed: 5, chunkRows: 7 }).csv).toBe(expected);
    expect(render({ rows: 300, seed: 5 }).csv).toBe(expected);
  });

  it('has the declared columns, id format and value ranges, with no missing values', () => {
    const g = generateCustomers({ rows: 5000, seed: 1 });
    expect(g.header).toEqual([...HEADER]);
    expect(g.rows[0][0]).toBe('C000001');
    expect(g.rows.every((r) => r.length === HEADER.length && r.every((v) => v !== ''))).toBe(true);
    const col = (name: string) => g.rows.map((r) => r[(HEADER as readonly string[]).indexOf(name)]);
    const nums = (name: string) => col(name).map(Number);
    expect(nums('age').every((v) => Number.isInteger(v) && v >= 18 && v <= 90)).toBe(true);
    expect(nums('spending_score').every((v) => Number.isInteger(v) && v >= 1 && v <= 100)).toBe(true);
    expect(nums('tenure_months').every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(col('annual_income').every((v) => /^\d+\.\d$/.test(v))).toBe(true);
    expect(col('visits_per_month').every((v) => /^\d+\.\d$/.test(v))).toBe(true);
    expect(col('avg_basket').every((v) => /^\d+\.\d\d$/.test(v))).toBe(true);
    expect(new Set(col('region'))).toEqual(new Set(['North', 'South', 'East', 'West']));
    expect(new Set(col('channel'))).toEqual(new Set(['web', 'app', 'store']));
    expect(new Set(col('loyalty_tier'))).toEqual(new Set(['Bronze', 'Silver', 'Gold', 'Platinum']));
    expect(new Set(col('purchased'))).toEqual(new Set(['yes', 'no']));
  });

  it('draws segments close to the declared shares', () => {
    const n = 100_000;
    const g = generateCustomers({ rows: n, seed: 3 });
    const counts = new Array(PERSONAS.length).fill(0);
    for (const s of g.truth.segment) counts[s]++;
    PERSONAS.forEach((p, k) => expect(Math.abs(counts[k] / n - p.share)).toBeLessThan(0.01));
  });

  it('has a purchase rate between 25% and 40%', () => {
    for (const seed of [1, 2, DEFAULTS.seed]) {
      const g = generateCustomers({ rows: 20_000, seed });
      const rate = g.rows.filter((r) => r[purchasedCol] === 'yes').length / g.rows.length;
      expect(rate).toBeGreaterThan(0.25);
      expect(rate).toBeLessThan(0.4);
    }
  });

  it('gives the generating model an AUC between 0.80 and 0.92', () => {
    const g = generateCustomers({ rows: 20_000, seed: 11 });
    const y = g.rows.map((r) => r[purchasedCol] === 'yes');
    const value = auc(g.truth.pPurchase, y);
    expect(value).toBeGreaterThan(0.8);
    expect(value).toBeLessThan(0.92);
  });

  it('matches the committed sample byte for byte (regenerate with `npm run generate-sample`)', () => {
    const { csv, truth } = render({ rows: DEFAULTS.rows, seed: DEFAULTS.seed });
    expect(read(DEFAULTS.out) === csv).toBe(true);
    expect(read(DEFAULTS.truth) === truth).toBe(true);
    expect(truth.slice(0, truth.indexOf('\n'))).toBe(TRUTH_HEADER.join(','));
  });

  it('keeps the truth file aligned with the sample and its probabilities at full precision', () => {
    const sample = read(DEFAULTS.out).trimEnd().split('\n').slice(1);
    const truth = read(DEFAULTS.truth).trimEnd().split('\n').slice(1);
    expect(truth).toHaveLength(sample.length);
    const g = generateCustomers({ rows: DEFAULTS.rows, seed: DEFAULTS.seed });
    truth.forEach((line, i) => {
      const [id, seg, p] = line.split(',');
      expect(id).toBe(sample[i].slice(0, sample[i].indexOf(',')));
      expect(Number(seg)).toBe(g.truth.segment[i]);
      expect(Number(p)).toBe(g.truth.pPurchase[i]);
    });
  });

  it('parses the CLI flags', () => {
    expect(parseArgs([])).toEqual(DEFAULTS);
    expect(parseArgs(['--rows', '10', '--seed', '3', '--out', 'a.csv', '--truth', 'b.csv'])).toEqual({
      rows: 10,
      seed: 3,
      out: 'a.csv',
      truth: 'b.csv',
    });
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
  });

  it('makes 100k rows in memory quickly', () => {
    const t0 = performance.now();
    generateCustomers({ rows: 100_000, seed: 9 });
    // Generous bound: ~0.2 s on a laptop; this only catches accidental quadratic work.
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
