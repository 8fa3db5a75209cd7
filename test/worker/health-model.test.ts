import { describe, expect, inject, it } from 'vitest';
import { call, clearModels, seedModel, sampleModel, sampleModelText } from '../support/worker.ts';
import { env } from 'cloudflare:workers';
import { markModelStale, modelCacheState, resetModelCache } from '../../worker/model-store.ts';

describe('with no model published', () => {
  it('reports a null model on /health and 503 with instructions on /v1/model and /v1/score', async () => {
    await clearModels();
    const health = await (await call('/health')).json<any>();
    expect(health).toMatchObject({ status: 'ok', model: null });
    const res = await call('/v1/model');
    expect(res.status).toBe(503);
    expect((await res.json<any>()).detail).toContain('npm run publish');
    const score = await call('/v1/score', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(score.status).toBe(503);
  });
});

describe('with a model published', () => {
  it('serves its version on /health and its schema, segments and metrics on /v1/model', async () => {
    const version = await seedModel();
    expect((await (await call('/health')).json<any>()).model).toBe(version);
    const res = await call('/v1/model');
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${version}"`);
    const body = await res.json<any>();
    expect(body.version).toBe(version);
    expect(body.inputs.map((f: { name: string }) => f.name)).toContain('annual_income');
    expect(body.segmentation.segments.length).toBe(body.segmentation.k);
    expect(body.targets[0].metrics.test.rocAuc).toBeGreaterThan(0.7);
    expect(body.targets[0]).toMatchObject({ kind: 'logistic' });
    expect(body.targets[0]).not.toHaveProperty('trees');
    expect(body).not.toHaveProperty('segmentation.centroids');
    // Profiles by input name, as the API has always answered them (the model stores them in input order).
    const model = sampleModel();
    const numbers = model.inputs.flatMap((f: { name: string; type: string }, j: number) =>
      f.type === 'number' ? [[f.name, j] as const] : [],
    );
    const byName = (values: number[]) =>
      Object.fromEntries(numbers.map(([name, j]: readonly [string, number]) => [name, values[j]]));
    body.segmentation.segments.forEach((s: any, i: number) => {
      const stored = model.segmentation.segments[i].profile;
      expect(s.profile).toEqual({ means: byName(stored.means), shares: stored.shares });
    });
    const pop = model.segmentation.population;
    expect(body.segmentation.population).toEqual({
      means: byName(pop.means),
      shares: pop.shares,
      stds: byName(pop.stds),
    });
  });

  it('serves a model stored in the older edgeseg.model/1 format, with the same /v1/model answer as before', async () => {
    const old = JSON.parse(inject('sampleModelV1'));
    const version = await seedModel(inject('sampleModelV1'));
    expect(version).toBe(old.version);
    const body = await (await call('/v1/model')).json<any>();
    expect(body.version).toBe(old.version);
    expect(body.segmentation.segments).toEqual(old.segmentation.segments);
    expect(body.segmentation.population).toEqual(old.segmentation.population);
    const scored = await (
      await call('/v1/score', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"age": 40}' })
    ).json<any>();
    expect(scored.model).toBe(old.version);
    expect(scored.segment.label).toBe(old.segmentation.segments[scored.segment.id].label);
  });

  it('keeps the last good model when model:active points at a corrupt document', async () => {
    const good = await seedModel();
    await call('/health');
    const corrupt = JSON.parse(sampleModelText());
    corrupt.version = 'broken0000';
    corrupt.features = corrupt.features.slice(1);
    await env.MODELS.put('model:broken0000', JSON.stringify(corrupt));
    await env.MODELS.put('model:active', 'broken0000');
    // Make the isolate re-check KV without forgetting what it serves.
    markModelStale();
    // The first request after the interval still gets the cached model while KV is re-read.
    expect((await (await call('/health')).json<any>()).model).toBe(good);
    await modelCacheState().refreshing;
    const health = await (await call('/health')).json<any>();
    expect(health.model).toBe(good);
    expect(health.lastError).toContain('broken0000');
    expect(
      (
        await call('/v1/score', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"age": 40}',
        })
      ).status,
    ).toBe(200);
    resetModelCache();
  });

  it('answers 404 as a problem for unknown routes', async () => {
    const res = await call('/nope');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});
