// Derived features and ordinal fields: declared in the config, learned on the
// training rows, stored in the model, and computed by the shared scorer from
// raw input exactly as the trainer computed them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseCsvText,
  ExprError,
  compileExpr,
  parseExpr,
  compileModel,
  createScorer,
  scoreRecord,
  type CategoryInput,
  type Model,
  type NumericFeature,
} from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { buildSchema, encodeRows } from '../../trainer/features/schema.ts';
import { stratifiedSplit } from '../../trainer/estimators/split.ts';
import { readTable, type Table } from '../../trainer/read/table.ts';
import { trainModel } from '../../trainer/train.ts';

const SAMPLE = 'data/customers.csv';
const base = JSON.parse(readFileSync('data/customers.config.json', 'utf8')) as TrainConfig;
const config: TrainConfig = {
  ...base,
  derived: {
    spend_per_income: 'spending_score / (annual_income + 1)',
    basket_value: 'visits_per_month * avg_basket',
    log_tenure: 'log1p(tenure_months)',
    income_tier: 'bin(annual_income, 40, 80, 120)',
  },
};
const rows = parseCsvText(readFileSync(SAMPLE, 'utf8'));
const header = rows[0].fields;
const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

let table: Table;
let model: Model;
beforeAll(async () => {
  table = await readTable(SAMPLE, config);
  ({ model } = await trainModel(table, {
    config,
    seed: 42,
    k: 3,
    kRange: [2, 8],
    trainedAt: '2026-01-01T00:00:00Z',
    sources: ['customers.csv'],
  }));
});

describe('derived features', () => {
  it('are stored in the model as expressions over inputs, standardised on the training rows', () => {
    const derived = model.features.filter((f): f is NumericFeature => f.kind === 'numeric' && f.expr !== undefined);
    expect(derived.map((f) => [f.name, f.expr])).toEqual(Object.entries(config.derived!));
    for (const f of derived) expect(f.std).toBeGreaterThan(0);
  });

  it('are computed by the shared scorer from raw input exactly as the trainer encoded them', () => {
    // The trainer's own schema, learned on the same training rows as the model.
    const y = Uint8Array.from(records, (r) => (r.purchased === 'yes' ? 1 : 0));
    const schema = buildSchema(table, config, stratifiedSplit(table.rows, 0.2, 42, y).train);
    expect(schema.features).toEqual(model.features);
    const X = encodeRows(
      schema,
      Uint32Array.from({ length: table.rows }, (_, i) => i),
    );
    const cm = compileModel(model);
    const scorer = createScorer(cm);
    let worst = 0;
    for (let i = 0; i < records.length; i++) {
      const out = scorer.scoreRecord(records[i], { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error(JSON.stringify(out.problems));
      const x = scorer.encode();
      for (let j = 0; j < cm.d; j++) worst = Math.max(worst, Math.abs(x[j] - X[i * cm.d + j]));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('give the value the expression says for a record', () => {
    const scorer = createScorer(compileModel(model));
    const out = scorer.scoreRecord({
      age: 30,
      annual_income: 59,
      spending_score: 60,
      visits_per_month: 4,
      avg_basket: 50,
      tenure_months: 12,
      region: 'West',
      channel: 'app',
      loyalty_tier: 'Gold',
    });
    expect(out.ok).toBe(true);
    const x = scorer.encode();
    let col = 0;
    for (const f of model.features) {
      if (f.kind === 'onehot') {
        col += (model.inputs.find((i) => i.name === f.input) as CategoryInput).levels.length;
        continue;
      }
      const raw = { spend_per_income: 60 / 60, basket_value: 200, log_tenure: Math.log1p(12), income_tier: 1 }[f.name];
      if (f.kind === 'numeric' && raw !== undefined) expect(x[col]).toBeCloseTo((raw - f.mean) / f.std, 12);
      col++;
    }
  });

  it('are parsed without eval: anything but arithmetic, names and the listed functions is refused', () => {
    expect(() => parseExpr('process.exit(1)')).toThrow(ExprError);
    expect(() => parseExpr('constructor("return 1")()')).toThrow(ExprError);
    expect(() => parseExpr('x; y')).toThrow("unexpected ';'");
    expect(() => parseExpr('eval(x)')).toThrow("unknown function 'eval'");
    const tier = compileExpr(parseExpr('bin(price, 10, 50, 200)'), () => 0);
    expect([5, 10, 49.9, 50, 500].map((p) => tier([p]))).toEqual([0, 1, 1, 2, 3]);
  });

  it('name the problem when an expression reads a column that is not there', async () => {
    await expect(
      trainModel(table, {
        config: { ...config, derived: { bad: 'income / age' } },
        seed: 42,
        k: 2,
        kRange: [2, 8],
        trainedAt: '2026-01-01T00:00:00Z',
        sources: [],
      }),
    ).rejects.toThrow('derived feature "bad" reads "income", which is not a kept column');
  });
});

describe('ordinal fields', () => {
  it('keep the declared level order, encoded as one increasing column', () => {
    const tier = model.inputs.find((f) => f.name === 'loyalty_tier') as CategoryInput;
    expect(tier).toMatchObject({ type: 'category', ordinal: true, levels: ['Bronze', 'Silver', 'Gold', 'Platinum'] });
    const feature = model.features.find((f) => f.name === 'loyalty_tier');
    expect(feature?.kind).toBe('ordinal');
    const scorer = createScorer(compileModel(model));
    const column = model.features.findIndex((f) => f.name === 'loyalty_tier');
    const width = model.features
      .slice(0, column)
      .reduce(
        (n, f) =>
          n + (f.kind === 'onehot' ? (model.inputs.find((i) => i.name === f.input) as CategoryInput).levels.length : 1),
        0,
      );
    const encoded = tier.levels.map((level) => {
      const out = scorer.scoreRecord({ ...records[0], loyalty_tier: level }, { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error('unscorable');
      return scorer.encode()[width];
    });
    for (let i = 1; i < encoded.length; i++) expect(encoded[i]).toBeGreaterThan(encoded[i - 1]);
  });

  it('read case variants as their level and impute a level outside the order, with a warning', () => {
    const cm = compileModel(model);
    const a = scoreRecord(cm, { ...records[0], loyalty_tier: ' gold ' }, { text: true, ignoreUnknown: true });
    const b = scoreRecord(cm, { ...records[0], loyalty_tier: 'Gold' }, { text: true, ignoreUnknown: true });
    expect(a.ok && b.ok && a.result.scores.purchased).toBe(b.ok && b.result.scores.purchased);
    const c = scoreRecord(cm, { ...records[0], loyalty_tier: 'Diamond' }, { text: true, ignoreUnknown: true });
    expect(c.ok && c.result.warnings.map((w) => w.code)).toContain('unseen_category');
  });
});
