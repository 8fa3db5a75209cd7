// /v1/admin/*: API keys, listing versions, publishing through the same
// validation as the CLI, rollback, and per-key limits.
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishModel } from '../../model/index.ts';
import { call, clearModels, postJson, sampleModelText, seedModel } from '../support/worker.ts';
import { OPERATOR_KEY, SECOND_KEY, bearer } from '../support/keys.ts';
import { direct } from '../support/worker-direct.ts';

const altText = () => inject('altModel');
const versionOf = (text: string) => JSON.parse(text).version as string;

const upload = (text: string, query = '', headers: Record<string, string> = bearer()) =>
  call(`/v1/admin/models${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });
const activate = (version: string, headers: Record<string, string> = bearer()) =>
  call(`/v1/admin/models/${version}/activate`, { method: 'POST', headers });
const served = async () => (await (await call('/health')).json<any>()).model;
const scoredBy = async () => (await (await postJson('/v1/score', { age: 40 })).json<any>()).model;

beforeEach(async () => {
  await clearModels();
  await seedModel();
});

describe('API keys on /v1/admin/*', () => {
  it.each([
    ['no Authorization header', {}],
    ['a wrong key', bearer('esk_wrong')],
    ['a key in the wrong scheme', { authorization: `Basic ${btoa(`x:${OPERATOR_KEY}`)}` }],
    ['the key’s hash instead of the key', bearer('e4d0ba83a7bb3b27b60f5d38bf97b473e1bd5425591f6937d5f6d6a731f16e33')],
  ])('answers %s with a bare 401 problem', async (_name, headers) => {
    for (const res of [
      await call('/v1/admin/models', { headers }),
      await upload(altText(), '', headers),
      await activate('abcd1234', headers),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      const body = await res.json<any>();
      expect(body).toEqual({ type: 'https://edgeseg.dev/problems/unauthorized', title: 'Unauthorized', status: 401 });
    }
  });

  it('accepts every configured key', async () => {
    expect((await call('/v1/admin/models', { headers: bearer(SECOND_KEY) })).status).toBe(200);
  });
});

describe('GET /v1/admin/models', () => {
  it('lists published versions with their metrics and which one is active', async () => {
    const sample = versionOf(sampleModelText());
    await publishModel(env.MODELS, altText(), { activate: false }); // as `npm run publish` would store it
    const res = await call('/v1/admin/models', { headers: bearer() });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json<any>();
    expect(body.active).toBe(sample);
    expect(body.versions.map((v: { version: string }) => v.version).sort()).toEqual(
      [sample, versionOf(altText())].sort(),
    );
    const active = body.versions.find((v: { active: boolean }) => v.active);
    expect(active).toMatchObject({ version: sample, k: expect.any(Number), rows: expect.any(Number) });
    expect(active.targets[0]).toMatchObject({
      name: 'purchased',
      rocAuc: expect.any(Number),
      accuracy: expect.any(Number),
    });
  });
});

describe('POST /v1/admin/models', () => {
  it('publishes and activates a valid model; this isolate serves it at once', async () => {
    const alt = versionOf(altText());
    const res = await upload(altText());
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/admin/models/${alt}`);
    expect(await res.json()).toEqual({ version: alt, active: alt, created: true });
    expect(await served()).toBe(alt);
    expect(await scoredBy()).toBe(alt);
    expect(await env.MODELS.get('model:active')).toBe(alt);
    // The stored document is byte-for-byte what was sent.
    const stored = await call(`/v1/admin/models/${alt}`, { headers: bearer() });
    expect(await stored.text()).toBe(altText());
  });

  it('stores without activating when asked (activate=false), and says a repeat changed nothing', async () => {
    const sample = versionOf(sampleModelText());
    const res = await upload(altText(), '?activate=false');
    expect(res.status).toBe(201);
    expect((await res.json<any>()).active).toBe(sample);
    expect(await scoredBy()).toBe(sample);
    const again = await upload(altText(), '?activate=false');
    expect(again.status).toBe(200);
    expect((await again.json<any>()).created).toBe(false);
  });

  it.each([
    [
      'a model with a centroid removed',
      () => {
        const m = JSON.parse(altText());
        m.segmentation.centroids.pop();
        return JSON.stringify(m);
      },
      422,
    ],
    [
      'a model edited after training (version is not its hash)',
      () => {
        const m = JSON.parse(altText());
        m.segmentation.segments[0].label = 'Tampered';
        return JSON.stringify(m);
      },
      422,
    ],
    ['something that is not a model', () => JSON.stringify({ hello: 'world' }), 422],
    ['text that is not JSON', () => 'model.json', 400],
  ])('refuses %s, stores nothing, and the active model keeps scoring', async (_name, make, status) => {
    const sample = versionOf(sampleModelText());
    const before = (await env.MODELS.list()).keys.map((k) => k.name).sort();
    const res = await upload(make());
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<any>();
    expect(problem.errors.length).toBeGreaterThan(0);
    expect((await env.MODELS.list()).keys.map((k) => k.name).sort()).toEqual(before);
    expect(await env.MODELS.get('model:active')).toBe(sample);
    expect(await scoredBy()).toBe(sample);
  });

  it('names the problems of a refused model by their path', async () => {
    const m = JSON.parse(altText());
    m.segmentation.centroids.pop();
    const problem = await (await upload(JSON.stringify(m))).json<any>();
    expect(problem.type).toBe('https://edgeseg.dev/problems/invalid-model');
    expect(problem.errors.map((e: { name: string }) => e.name).join(' ')).toMatch(/segmentation/);
  });

  it('refuses a non-JSON content type with 415 and an oversize body with 413', async () => {
    expect((await upload(altText(), '', { ...bearer(), 'content-type': 'text/plain' })).status).toBe(415);
    expect((await upload(JSON.stringify({ pad: 'x'.repeat(5 << 20) }))).status).toBe(413);
  });
});

describe('POST /v1/admin/models/{version}/activate', () => {
  it('rolls back: every new request is scored by the older version', async () => {
    const sample = versionOf(sampleModelText());
    const alt = versionOf(altText());
    await upload(altText());
    expect(await scoredBy()).toBe(alt);
    const res = await activate(sample);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ active: sample, previous: alt, serving: sample });
    for (let i = 0; i < 5; i++) expect(await scoredBy()).toBe(sample);
    expect(await served()).toBe(sample);
    const list = await (await call('/v1/admin/models', { headers: bearer() })).json<any>();
    expect(list.active).toBe(sample);
  });

  it('answers 404 for a version that is not stored and 400 for one that cannot be a version', async () => {
    const missing = await activate('0123456789ab');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const bad = await activate('NOT_A_VERSION');
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).errors[0].name).toBe('version');
  });

  it('activates a version stored in the older edgeseg.model/1 format (a rollback past the format change)', async () => {
    const old = versionOf(inject('sampleModelV1'));
    await publishModel(env.MODELS, inject('sampleModelV1'), { activate: false }); // as the /1 tools stored it: the text as trained
    const res = await activate(old);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: old, serving: old });
    expect(await scoredBy()).toBe(old);
  });

  it('refuses to activate a stored document that no longer validates', async () => {
    const sample = versionOf(sampleModelText());
    const broken = JSON.parse(altText());
    broken.features = [];
    await env.MODELS.put('model:broken1', JSON.stringify({ ...broken, version: 'broken1' }));
    const res = await activate('broken1');
    expect(res.status).toBe(422);
    expect(await env.MODELS.get('model:active')).toBe(sample);
  });
});

describe('per-key rate limit', () => {
  it('answers 429 with Retry-After once a key has spent its budget', async () => {
    // 1,200 a minute per key; fixed windows, so 2,401 calls always overflow one.
    let limited: Response | null = null;
    let ok = 0;
    for (let sent = 0; sent < 2401 && !limited; sent += 100) {
      const batch = await Promise.all(
        Array.from({ length: 100 }, () => direct('/v1/admin/models/0000aaaa', { headers: bearer(SECOND_KEY) })),
      );
      ok += batch.filter((r) => r.status === 404).length;
      limited = batch.find((r) => r.status === 429) ?? null;
    }
    expect(limited).not.toBeNull();
    expect(ok).toBeGreaterThan(1100); // the budget, less the few calls other tests made with this key
    expect(limited!.headers.get('retry-after')).toBe('60');
    // The operator's own key is counted apart.
    expect((await call('/v1/admin/models', { headers: bearer() })).status).toBe(200);
  });
});
