// A model with a boosted head, published and served: every route that scores
// answers as it does for a logistic head (shapes checked against the OpenAPI
// document by `call`), a missing field goes the trees' way, and GET /v1/model
// states the model's format and the head's kind.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compileModel, scoreRecord, type Model } from '../../model/index.ts';
import { publicModel } from '../../worker/routes/model.ts';
import { call, postJson, seedModel } from '../support/worker.ts';

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
