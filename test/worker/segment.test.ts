// GET /v1/segment: the POST /v1/score answer for one record as a cacheable GET.
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { call, postJson, seedModel } from '../support/worker.ts';
import { direct } from '../support/worker-direct.ts';

let version: string;
beforeAll(async () => {
  version = await seedModel();
});

const query =
  'age=29&annual_income=62.5&spending_score=81&visits_per_month=9.1&avg_basket=48.2&tenure_months=14&region=West&channel=app&loyalty_tier=Silver';
const record = {
  age: 29,
  annual_income: 62.5,
  spending_score: 81,
  visits_per_month: 9.1,
  avg_basket: 48.2,
  tenure_months: 14,
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};

describe('GET /v1/segment', () => {
  it('answers exactly what POST /v1/score answers for the same record, to the byte', async () => {
    const res = await call(`/v1/segment?${query}`);
    expect(res.status).toBe(200);
    const viaGet = await res.text();
    const viaPost = await (await postJson('/v1/score', record)).text();
    expect(viaGet).toBe(viaPost);
    expect(JSON.parse(viaGet).model).toBe(version);
    // With fields left out (imputed, with warnings), and with explain=false, too.
    const partial = { age: 29, region: 'West' };
    const get = await (await call('/v1/segment?age=29&region=West&explain=false')).text();
    expect(get).toBe(await (await postJson('/v1/score', partial)).text());
    expect(JSON.parse(get).warnings.length).toBeGreaterThan(0);
  });

  it('is cacheable: Cache-Control, and an ETag naming the model version', async () => {
    const res = await call(`/v1/segment?${query}`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
    expect(res.headers.get('etag')).toMatch(new RegExp(`^"${version}-[0-9a-f]{16}"$`));
  });

  it('answers 304 with no body to a matching If-None-Match (also weak, in a list, or *)', async () => {
    const etag = (await call(`/v1/segment?${query}`)).headers.get('etag')!;
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await call(`/v1/segment?${query}`, { headers: { 'if-none-match': header } });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
    }
  });

  it('gives the same inputs in any order the same ETag, and other inputs another', async () => {
    const a = (await call('/v1/segment?age=40&region=West')).headers.get('etag');
    const b = (await call('/v1/segment?region=West&age=40')).headers.get('etag');
    const c = (await call('/v1/segment?region=West&age=41')).headers.get('etag');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect((await call('/v1/segment?region=West&age=41', { headers: { 'if-none-match': a! } })).status).toBe(200);
  });

  it('changes the ETag when another model becomes active', async () => {
    const before = (await call(`/v1/segment?${query}`)).headers.get('etag')!;
    const alt = await seedModel(inject('altModel'));
    const res = await call(`/v1/segment?${query}`, { headers: { 'if-none-match': before } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toContain(alt);
    await seedModel();
  });

  it('imputes fields left out, with warnings, like POST', async () => {
    const body = await (await call('/v1/segment?region=West')).json<any>();
    expect(body.warnings.map((w: { field: string }) => w.field)).toContain('age');
  });

  it.each([
    ['an unknown field', '/v1/segment?age=30&shoe_size=42', 'shoe_size'],
    ['a number that is not one', '/v1/segment?age=thirty', 'age'],
    ['a field given twice', '/v1/segment?age=30&age=31', 'age'],
  ])('refuses %s with a 400 problem naming it', async (_name, path, field) => {
    const res = await call(path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<any>();
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e: { name: string }) => e.name)).toContain(field);
  });

  it('limits each client address: 429 with Retry-After once the per-minute budget is spent', async () => {
    // The binding counts in fixed windows; 601 calls cross at most one boundary, so one window overflows.
    const headers = { 'cf-connecting-ip': `198.51.100.${Math.floor(Math.random() * 250)}` };
    let ok = 0;
    let limited: Response | null = null;
    for (let sent = 0; sent < 601 && !limited; sent += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, 601 - sent) }, () => direct('/v1/segment?age=30', { headers })),
      );
      ok += batch.filter((r) => r.status === 200).length;
      limited = batch.find((r) => r.status === 429) ?? null;
    }
    expect(limited).not.toBeNull();
    expect(ok).toBeGreaterThanOrEqual(300);
    expect(limited!.headers.get('retry-after')).toBe('60');
    expect(limited!.headers.get('content-type')).toContain('application/problem+json');
    // Another client is unaffected.
    expect((await call('/v1/segment?age=30', { headers: { 'cf-connecting-ip': '203.0.113.9' } })).status).toBe(200);
  });
});
