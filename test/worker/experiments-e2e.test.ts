// An experiment end to end in workerd, with the real KV and D1 bindings:
// create it, assign visitors through GET /v1/segment (some coming back),
// post conversions with their receipts (some twice), read the results — each
// count exact, each visitor and conversion counted once.
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { variantOf } from '../../worker/experiments/bucket.ts';
import { compareVariants } from '../../worker/experiments/stats/uplift.ts';
import {
  clearExperimentCounts,
  clearExperiments,
  convert,
  createExperiment,
  results,
  stopExperiment,
} from '../support/experiments.ts';
import { call, seedModel } from '../support/worker.ts';

const people = [
  'region=West&channel=app&age=29&spending_score=81',
  'region=East&channel=store&age=67&spending_score=20&annual_income=120',
  'channel=web&age=41&visits_per_month=1',
];

beforeEach(async () => {
  await seedModel();
  await clearExperiments();
  await clearExperimentCounts();
});

describe('a holdout experiment from creation to results', () => {
  it('counts unique visitors and conversions per variant and segment, exactly', async () => {
    const key = 'e2e-hero';
    expect((await createExperiment({ key, holdout: 0.4, segments: 'all' })).status).toBe(201);
    const expected = new Map<string, { visitors: number; conversions: number; value: number }>();
    const cell = (variant: string, segment: number) => {
      const id = `${variant}:${segment}`;
      if (!expected.has(id)) expected.set(id, { visitors: 0, conversions: 0, value: 0 });
      return expected.get(id)!;
    };
    for (let i = 0; i < 60; i++) {
      const visitor = `e2e-${i}`;
      const query = `${people[i % people.length]}&visitor=${visitor}`;
      const answer = await (await call(`/v1/segment?${query}`)).json<any>();
      expect(answer.experiment).toEqual({ key, variant: variantOf(key, visitor, 0.4) });
      expect(answer.receipt).toMatch(/^r1\./);
      // A visitor who comes back counts once.
      if (i % 4 === 0) await call(`/v1/segment?${query}`);
      const c = cell(answer.experiment.variant, answer.segment.id);
      c.visitors++;
      // Personalised visitors convert more often than control: every 2nd against every 4th.
      if (i % (answer.experiment.variant === 'personalised' ? 2 : 4) === 0) {
        const first = await convert(answer.receipt, 10);
        expect(first.status).toBe(200);
        expect(await first.json<any>()).toEqual({
          key: undefined,
          experiment: key,
          variant: answer.experiment.variant,
          counted: true,
        });
        // The same conversion again (a double click, a replay) counts nothing.
        expect((await (await convert(answer.receipt, 10)).json<any>()).counted).toBe(false);
        c.conversions++;
        c.value += 10;
      }
    }
    const res = await results(key);
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body).toMatchObject({ key, holdout: 0.4, state: 'running' });
    const sum = (variant: string) =>
      [...expected]
        .filter(([id]) => id.startsWith(`${variant}:`))
        .reduce(
          (t, [, c]) => ({
            visitors: t.visitors + c.visitors,
            conversions: t.conversions + c.conversions,
            value: t.value + c.value,
          }),
          { visitors: 0, conversions: 0, value: 0 },
        );
    for (const variant of ['control', 'personalised']) {
      expect(body.overall[variant]).toMatchObject(sum(variant));
      for (const [segment, figures] of Object.entries<any>(body.segments)) {
        expect(figures[variant]).toMatchObject(cell(variant, Number(segment)));
      }
    }
    expect(body.overall.uplift).toEqual(compareVariants(sum('control'), sum('personalised')).uplift);
    expect(Object.keys(body.segments).length).toBeGreaterThan(1);
  }, 120_000); // some 130 requests, each also flushing its monitoring counts to D1 in tests

  it('keeps counting conversions of visitors assigned before a stop, and assigns nobody after it', async () => {
    await createExperiment({ key: 'stop-me', holdout: 0.5, segments: 'all' });
    const answer = await (await call(`/v1/segment?${people[0]}&visitor=before-stop`)).json<any>();
    await stopExperiment('stop-me');
    const after = await (await call(`/v1/segment?${people[0]}&visitor=after-stop`)).json<any>();
    expect(after.experiment).toBeUndefined();
    expect(after.receipt).toBeUndefined();
    expect((await convert(answer.receipt)).status).toBe(200);
    const body = await (await results('stop-me')).json<any>();
    expect(body.state).toBe('stopped');
    expect(body.overall[answer.experiment.variant]).toMatchObject({ visitors: 1, conversions: 1 });
  });

  it('answers 404 for results of an unknown experiment', async () => {
    expect((await results('unknown')).status).toBe(404);
  });
});

describe('POST /v1/events refuses what no answer gave', () => {
  let receipt: string;
  beforeEach(async () => {
    await createExperiment({ key: 'guarded', holdout: 0.5, segments: 'all' });
    receipt = (await (await call(`/v1/segment?${people[1]}&visitor=honest`)).json<any>()).receipt;
  });

  const counted = async () =>
    (await env.MONITOR!.prepare('SELECT COUNT(*) AS n FROM experiment_conversions').first<{ n: number }>())!.n;

  it.each([
    [
      'a forged signature',
      (r: string) => `${r.slice(0, r.lastIndexOf('.'))}.AAAAAAAAAAAAAAAAAAAAAA`,
      'invalid signature',
    ],
    [
      'altered claims',
      (r: string) => r.replace(/^r1\.(.)/, (_m, ch) => `r1.${ch === 'e' ? 'f' : 'e'}`),
      'invalid signature',
    ],
    ['not a receipt at all', () => 'hello', 'not a receipt'],
  ])('a receipt with %s is a 422 naming receipt, counting nothing', async (_name, change, reason) => {
    const res = await convert(change(receipt));
    expect(res.status).toBe(422);
    expect((await res.json<any>()).errors).toEqual([{ name: 'receipt', reason }]);
    expect(await counted()).toBe(0);
  });

  it.each([
    ['no receipt', { event: 'conversion' }, 'receipt'],
    ['another event', { receipt: 'r1.x.y', event: 'purchase' }, 'event'],
    ['a negative value', { receipt: 'r1.x.y', event: 'conversion', value: -1 }, 'value'],
    ['a value as text', { receipt: 'r1.x.y', event: 'conversion', value: '3' }, 'value'],
    ['an unknown field', { receipt: 'r1.x.y', event: 'conversion', visitor: 'v' }, 'visitor'],
  ])('a body with %s is a 400 naming the field', async (_name, body, field) => {
    const res = await call('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors.map((e: any) => e.name)).toContain(field);
  });

  it('is open to the allowed origins only, like the rest of /v1', async () => {
    const res = await call('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:8080' },
      body: JSON.stringify({ receipt, event: 'conversion' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
    const preflight = await call('/v1/events', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8080',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });
});
