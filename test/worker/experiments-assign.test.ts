// Assignment in answers: a visitor in a running experiment covering their
// segment gets `experiment: { key, variant }` on GET /v1/segment and
// POST /v1/score; anyone else, and every answer without a visitor, is
// answered exactly as before.
import { beforeEach, describe, expect, it } from 'vitest';
import { variantOf } from '../../worker/experiments/bucket.ts';
import { clearExperiments, createExperiment, stopExperiment } from '../support/experiments.ts';
import { bearer } from '../support/keys.ts';
import { call, postJson, seedModel } from '../support/worker.ts';

const query = 'age=29&annual_income=62.5&spending_score=81&region=West&channel=app&loyalty_tier=Silver';
const record = {
  age: 29,
  annual_income: 62.5,
  spending_score: 81,
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};

let segment: number;
let k: number;
beforeEach(async () => {
  await seedModel();
  await clearExperiments();
  segment = (await (await call(`/v1/segment?${query}`)).json<any>()).segment.id;
  k = (await (await call('/v1/model')).json<any>()).segmentation.k;
});

const visitors = Array.from({ length: 40 }, (_, i) => `visitor-${i}`);
const text = async (res: Response) => {
  expect(res.status).toBe(200);
  return res.text();
};

describe('with a running experiment on the visitor’s segment', () => {
  beforeEach(async () => {
    expect((await createExperiment({ key: 'spring-hero', holdout: 0.3, segments: [segment] })).status).toBe(201);
  });

  it('GET /v1/segment names the experiment and the visitor’s GrowthBook variant', async () => {
    const variants = new Set<string>();
    for (const v of visitors) {
      const body = await (await call(`/v1/segment?${query}&visitor=${v}`)).json<any>();
      expect(body.experiment).toEqual({ key: 'spring-hero', variant: variantOf('spring-hero', v, 0.3) });
      variants.add(body.experiment.variant);
    }
    expect(variants).toEqual(new Set(['control', 'personalised']));
  });

  it('POST /v1/score?visitor= gives the same answer as the GET', async () => {
    for (const v of visitors.slice(0, 10)) {
      const { receipt: postReceipt, ...viaPost } = await (await postJson(`/v1/score?visitor=${v}`, record)).json<any>();
      const { receipt: getReceipt, ...viaGet } = await (await call(`/v1/segment?${query}&visitor=${v}`)).json<any>();
      expect(viaPost).toEqual(viaGet);
      // Each answer's receipt is its own (a fresh nonce).
      expect(postReceipt).toMatch(/^r1\./);
      expect(getReceipt).not.toBe(postReceipt);
      expect(viaPost.experiment.variant).toBe(variantOf('spring-hero', v, 0.3));
    }
  });

  it('answers without a visitor byte for byte as with no experiment', async () => {
    const withExperiment = [
      await text(await call(`/v1/segment?${query}`)),
      await text(await postJson('/v1/score', record)),
    ];
    await clearExperiments();
    const without = [await text(await call(`/v1/segment?${query}`)), await text(await postJson('/v1/score', record))];
    expect(withExperiment).toEqual(without);
    expect(without[0]).not.toContain('experiment');
  });

  it('gives one receipt, with the experiment, when receipt=true is asked as well', async () => {
    const res = await call(`/v1/segment?${query}&visitor=visitor-3&receipt=true`);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const body = await res.json<any>();
    expect(body.experiment.key).toBe('spring-hero');
    const claims = JSON.parse(atob(body.receipt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(claims.x).toMatchObject({ k: 'spring-hero', v: body.experiment.variant });
    const viaPost = await (await postJson('/v1/score?visitor=visitor-3&receipt=true', record)).json<any>();
    expect(viaPost.experiment).toEqual(body.experiment);
    expect(viaPost.receipt).toMatch(/^r1\./);
  });

  it('gives an ETag per visitor and experiment state: a stop is not hidden by a 304', async () => {
    const first = await call(`/v1/segment?${query}&visitor=visitor-1`);
    const etag = first.headers.get('etag')!;
    expect(etag).not.toBe((await call(`/v1/segment?${query}&visitor=visitor-2`)).headers.get('etag'));
    expect((await call(`/v1/segment?${query}&visitor=visitor-1`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    await stopExperiment('spring-hero');
    const after = await call(`/v1/segment?${query}&visitor=visitor-1`, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect((await after.json<any>()).experiment).toBeUndefined();
  });
});

describe('visitors who are not in an experiment', () => {
  it('get no experiment key outside the experiment’s segments, before its start or after its stop', async () => {
    const others = Array.from({ length: k }, (_, i) => i).filter((s) => s !== segment);
    await createExperiment({ key: 'elsewhere', holdout: 0.5, segments: others });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await createExperiment({ key: 'later', holdout: 0.5, segments: [segment], start: later });
    for (const v of visitors.slice(0, 5)) {
      expect((await (await call(`/v1/segment?${query}&visitor=${v}`)).json<any>()).experiment).toBeUndefined();
      expect((await (await postJson(`/v1/score?visitor=${v}`, record)).json<any>()).experiment).toBeUndefined();
    }
  });

  it('an answer with a visitor but no experiment is the answer without one', async () => {
    const plain = await text(await postJson('/v1/score', record));
    expect(await text(await postJson('/v1/score?visitor=someone', record))).toBe(plain);
  });
});

describe('a bad visitor', () => {
  it.each([
    ['empty', 'visitor='],
    ['too long', `visitor=${'x'.repeat(129)}`],
    ['with a control character', 'visitor=a%01b'],
    ['given twice', 'visitor=a&visitor=b'],
  ])('is a 400 naming visitor when %s', async (_name, param) => {
    for (const res of [await call(`/v1/segment?${query}&${param}`), await postJson(`/v1/score?${param}`, record)]) {
      expect(res.status).toBe(400);
      expect((await res.json<any>()).errors.map((e: any) => e.name)).toContain('visitor');
    }
  });

  it('is refused on a batch, which has no single visitor', async () => {
    const res = await postJson('/v1/score?visitor=a', { records: [record, record] }, bearer());
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0]).toEqual({
      name: 'visitor',
      reason: 'applies to one record, not to a batch',
    });
  });
});
