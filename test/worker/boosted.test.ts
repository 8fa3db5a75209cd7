// A model with a boosted head, published and served: every route that scores
// answers as it does for a logistic head (shapes checked against the OpenAPI
// document by `call`), a missing field goes the trees' way, and GET /v1/model
// states the model's format and the head's kind.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileModel, computeVersion, scoreRecord, scoreToJson, type Model } from '../../model/index.ts';
import { publicModel } from '../../worker/routes/model.ts';
import { bearer } from '../support/keys.ts';
import { random, withRandomForest } from '../support/random-trees.ts';
import { call, postJson, sampleModel, seedModel } from '../support/worker.ts';

let model: Model;
beforeAll(async () => {
  model = JSON.parse(inject('boostedModel'));
  await seedModel(inject('boostedModel'));
});
afterAll(async () => {
  await seedModel();
});

const customer = {
  annual_income: 62.5,
  spending_score: 81,
  visits_per_month: 9.1,
  avg_basket: 48.2,
  tenure_months: 14,
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};

describe('a boosted head at the edge', () => {
  it('is served in format /3', async () => {
    const res = await call('/v1/model');
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.format).toBe('edgeseg.model/3');
    expect(body.version).toBe(model.version);
    // Each head's kind and tree count, and the automatic choice's figures exactly when the model has them.
    const head = model.targets[0];
    if (head.kind !== 'boosted') throw new Error('the boosted fixture has a logistic head');
    expect(body.targets[0]).toMatchObject({ name: head.name, kind: 'boosted', trees: head.trees.length });
    expect(body.targets[0].choice).toEqual(head.choice);
    expect(body.targets[0]).not.toHaveProperty('weights');
  });

  it('states the automatic choice between heads when the model has one', () => {
    const choice = {
      cvRocAuc: { logistic: 0.81, boosted: 0.84 },
      minGain: 0.005,
      folds: 5,
      chosen: 'boosted' as const,
    };
    const chosen = { ...model, targets: [{ ...model.targets[0], choice }] } as Model;
    expect(publicModel(chosen).targets[0].choice).toEqual(choice);
  });

  it('scores one record with a missing field as the shared scorer does, and says the field was missing', async () => {
    const res = await postJson('/v1/score', customer);
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    const expected = scoreRecord(compileModel(model), customer);
    if (!expected.ok) throw new Error('the record should score');
    expect(body.scores.purchased).toBe(expected.result.scores.purchased);
    expect(body.warnings).toEqual([expect.objectContaining({ field: 'age', code: 'missing' })]);
  });

  it('answers GET /v1/segment from a query string', async () => {
    const res = await call('/v1/segment?region=West&channel=app&age=29');
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.segment.id).toBeGreaterThanOrEqual(0);
  });
});

/** The sample model with two boosted heads of random trees (its target twice, under two names), as published text. */
async function twoHeads(): Promise<string> {
  const forest = (seed: number) =>
    withRandomForest(sampleModel(), { seed, trees: 37, maxDepth: 8, base: -0.3, leafDivisor: 8 }).targets[0];
  const { version: _v, ...draft } = sampleModel() as Model;
  const second = { ...forest(5), name: 'purchased_again' };
  const scores = draft.monitoring!.scores;
  const text = {
    ...draft,
    format: 'edgeseg.model/3',
    targets: [forest(4), second],
    monitoring: { ...draft.monitoring!, scores: [scores[0], scores[0]] },
  } as Omit<Model, 'version'>;
  return JSON.stringify({ ...text, version: await computeVersion(text) });
}

/** `count` variants of the customer: numbers moved, now and then a field missing or a level never seen. */
function variants(count: number, seed: number): Record<string, unknown>[] {
  const rand = random(seed);
  return Array.from({ length: count }, () => {
    const r: Record<string, unknown> = {
      ...customer,
      age: 18 + Math.floor(rand() * 60),
      annual_income: Math.round(rand() * 15000) / 100,
      spending_score: Math.floor(rand() * 100),
      region: ['West', 'East', 'North', 'South', 'Atlantis'][Math.floor(rand() * 5)],
    };
    if (rand() < 0.15) delete r.visits_per_month;
    if (rand() < 0.1) delete r.loyalty_tier;
    return r;
  });
}

describe('batches with boosted heads (the WebAssembly forest walk)', () => {
  it('answer records and tables byte for byte as scoreToJson does, for models published in turn', async () => {
    const columns = [...Object.keys(customer), 'age'];
    for (const [round, text] of [JSON.stringify(model), await twoHeads(), JSON.stringify(model)].entries()) {
      await seedModel(text);
      const m = JSON.parse(text) as Model;
      const cm = compileModel(m);
      // More than a block of 64, a part block at the end; every column named, so the table can carry a missing value as null.
      const records = variants(150 + round, round);
      const expected = scoreToJson(cm, m.version, records, true);
      if (!expected.ok) throw new Error('the variants should score');
      const res = await postJson('/v1/score', { records }, bearer());
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(expected.json);
      const data = records.map((r) => columns.map((c) => r[c] ?? null));
      const asTable = scoreToJson(
        cm,
        m.version,
        data.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]]))),
        true,
      );
      if (!asTable.ok) throw new Error('the table should score');
      const tableRes = await postJson('/v1/score', { columns, data }, bearer());
      expect(tableRes.status).toBe(200);
      expect(await tableRes.text()).toBe(asTable.json);
    }
  });
});
