// /v1/admin/experiments: creating, listing and stopping holdout experiments,
// validated as strictly as a model (a 4xx naming the field; nothing stored on refusal).
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXPERIMENTS_KEY } from '../../worker/experiments/definition.ts';
import { clearExperiments, createExperiment, listExperiments, stopExperiment } from '../support/experiments.ts';
import { bearer } from '../support/keys.ts';
import { call, clearModels, postJson, seedModel } from '../support/worker.ts';

let version: string;
beforeEach(async () => {
  await clearModels();
  version = await seedModel();
  await clearExperiments();
});

const stored = () => env.MODELS.get(EXPERIMENTS_KEY);

describe('POST /v1/admin/experiments', () => {
  it('stores an experiment, running from now, tied to the active model', async () => {
    const res = await createExperiment({ key: 'spring-hero', holdout: 0.1, segments: [2, 0] });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/v1/admin/experiments/spring-hero');
    const body = await res.json<any>();
    expect(body).toMatchObject({ key: 'spring-hero', holdout: 0.1, segments: [0, 2], end: null, model: version });
    expect(body.state).toBe('running');
    expect(Math.abs(Date.parse(body.start) - Date.now())).toBeLessThan(60_000);
    expect(await listExperiments()).toEqual([body]);
  });

  it('schedules an experiment that starts later, and ends one whose end passes', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const res = await createExperiment({ key: 'later', holdout: 0.5, segments: 'all', start: later });
    expect((await res.json<any>()).state).toBe('scheduled');
  });

  it.each([
    ['a missing key', { holdout: 0.1, segments: 'all' }, 'key'],
    ['a key with a slash', { key: 'a/b', holdout: 0.1, segments: 'all' }, 'key'],
    ['a holdout of 0', { key: 'x', holdout: 0, segments: 'all' }, 'holdout'],
    ['a holdout of 1', { key: 'x', holdout: 1, segments: 'all' }, 'holdout'],
    ['a holdout as text', { key: 'x', holdout: '0.1', segments: 'all' }, 'holdout'],
    ['segments as a word other than all', { key: 'x', holdout: 0.1, segments: 'some' }, 'segments'],
    ['an empty segment list', { key: 'x', holdout: 0.1, segments: [] }, 'segments'],
    ['a fractional segment id', { key: 'x', holdout: 0.1, segments: [1.5] }, 'segments'],
    ['a segment named twice', { key: 'x', holdout: 0.1, segments: [1, 1] }, 'segments'],
    ['a start that is not a time', { key: 'x', holdout: 0.1, segments: 'all', start: 'tomorrow' }, 'start'],
    ['an unknown field', { key: 'x', holdout: 0.1, segments: 'all', colour: 'red' }, 'colour'],
  ])('refuses %s with a 400 naming it, storing nothing', async (_name, body, field) => {
    const res = await createExperiment(body);
    expect(res.status).toBe(400);
    const problem = await res.json<any>();
    expect(problem.errors.map((e: any) => e.name)).toContain(field);
    expect(await stored()).toBeNull();
  });

  it.each([
    ['a segment the model does not have', { key: 'x', holdout: 0.1, segments: [0, 99] }, 422, 'segments'],
    ['an end in the past', { key: 'x', holdout: 0.1, segments: 'all', end: '2020-01-01T00:00:00Z' }, 422, 'end'],
    [
      'an end before the start',
      { key: 'x', holdout: 0.1, segments: 'all', start: '2099-01-02T00:00:00Z', end: '2099-01-01T00:00:00Z' },
      422,
      'end',
    ],
  ])('refuses %s with a 4xx naming it', async (_name, body, status, field) => {
    const res = await createExperiment(body);
    expect(res.status).toBe(status);
    expect((await res.json<any>()).errors[0].name).toBe(field);
    expect(await stored()).toBeNull();
  });

  it('refuses a reused key and overlapping segments with a 409, leaving the first as it was', async () => {
    await createExperiment({ key: 'first', holdout: 0.1, segments: [0, 1] });
    const before = await stored();
    const again = await createExperiment({ key: 'first', holdout: 0.2, segments: [2] });
    expect(again.status).toBe(409);
    expect((await again.json<any>()).errors[0].name).toBe('key');
    const overlap = await createExperiment({ key: 'second', holdout: 0.2, segments: [1, 2] });
    expect(overlap.status).toBe(409);
    expect((await overlap.json<any>()).detail).toContain('segment 1');
    const all = await createExperiment({ key: 'third', holdout: 0.2, segments: 'all' });
    expect(all.status).toBe(409);
    expect(await stored()).toBe(before);
    // Other segments are free.
    expect((await createExperiment({ key: 'fourth', holdout: 0.2, segments: [2] })).status).toBe(201);
  });

  it('refuses a body that is not JSON, or not sent as JSON', async () => {
    expect((await postJson('/v1/admin/experiments', '{"key":', bearer())).status).toBe(400);
    const res = await call('/v1/admin/experiments', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...bearer() },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await stored()).toBeNull();
  });

  it('needs an API key on every experiment route', async () => {
    expect((await createExperiment({ key: 'x', holdout: 0.1, segments: 'all' }, {})).status).toBe(401);
    expect((await call('/v1/admin/experiments')).status).toBe(401);
    expect((await stopExperiment('x', {})).status).toBe(401);
    expect(await stored()).toBeNull();
  });

  it('answers 503 while no model is published', async () => {
    await clearModels();
    expect((await createExperiment({ key: 'x', holdout: 0.1, segments: 'all' })).status).toBe(503);
  });
});

describe('POST /v1/admin/experiments/{key}/stop', () => {
  it('stops an experiment, frees its segments and keeps it listed', async () => {
    await createExperiment({ key: 'spring-hero', holdout: 0.1, segments: [0] });
    const res = await stopExperiment('spring-hero');
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.state).toBe('stopped');
    const again = await (await stopExperiment('spring-hero')).json<any>();
    expect(again.stoppedAt).toBe(body.stoppedAt);
    expect((await createExperiment({ key: 'summer', holdout: 0.1, segments: [0] })).status).toBe(201);
    expect((await listExperiments()).map((e) => [e.key, e.state])).toEqual([
      ['summer', 'running'],
      ['spring-hero', 'stopped'],
    ]);
  });

  it('answers 404 for an unknown key and 400 for a malformed one', async () => {
    expect((await stopExperiment('nope')).status).toBe(404);
    expect((await stopExperiment('no%20pe')).status).toBe(400);
  });
});
