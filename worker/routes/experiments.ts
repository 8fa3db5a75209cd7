// /v1/admin/experiments — holdout experiments as data, for operators with an
// API key. The list is one KV document (worker/experiments/store.ts), checked
// in full before it is written: a refused request stores nothing.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { readJson } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { conflictOf, EXPERIMENT_KEY_PATTERN, type Experiment, experimentState } from '../experiments/definition.ts';
import { readExperiments, writeExperiments } from '../experiments/store.ts';
import { noModel, PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import { currentModel } from './model-middleware.ts';
import { bodyProblem, problemReply, validationHook } from './openapi-schemas.ts';

export const experimentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
// The API key and its rate limit are checked by adminRoutes' `/v1/admin/*` middleware, mounted
// before these routes in worker/app.ts (checking here too would count each request twice).

const security = [{ apiKey: [] }];
const common = {
  401: problemReply('Missing or wrong API key.'),
  429: problemReply('Rate limit for this key reached; see Retry-After.'),
};

const isoTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 time with a zone, e.g. 2026-05-01T00:00:00Z' })
  .openapi({ example: '2026-05-01T00:00:00Z' });

export const NewExperiment = z
  .strictObject({
    key: z
      .string({ error: 'must be text' })
      .regex(EXPERIMENT_KEY_PATTERN, 'must be 1–64 letters, digits, "-" or "_", starting with a letter or digit')
      .openapi({ example: 'spring-hero' }),
    holdout: z
      .number({ error: 'must be a number' })
      .gt(0, 'must be more than 0')
      .lt(1, 'must be less than 1')
      .openapi({ description: 'Share of visitors held back on the default page (control).', example: 0.1 }),
    segments: z
      .union([z.literal('all'), z.array(z.number().int().min(0)).min(1).max(1000)], {
        error: 'must be "all" or a non-empty array of segment ids (whole numbers from 0)',
      })
      .refine((s) => s === 'all' || new Set(s).size === s.length, 'must not name a segment twice')
      .openapi({ description: 'Segment ids of the active model, or "all".', example: [0, 2] }),
    start: isoTime.optional().openapi({ description: 'Default: now.' }),
    end: isoTime.optional().openapi({ description: 'Default: runs until stopped.' }),
  })
  .openapi('NewExperiment');

const ExperimentSchema = z
  .object({
    key: z.string(),
    holdout: z.number(),
    segments: z.union([z.literal('all'), z.array(z.number().int())]),
    start: z.string(),
    end: z.string().nullable(),
    model: z.string().openapi({ description: 'The model version active at creation, whose segment ids are named.' }),
    createdAt: z.string(),
    stoppedAt: z.string().nullable(),
    state: z.enum(['scheduled', 'running', 'ended', 'stopped']),
  })
  .openapi('Experiment', {
    example: {
      key: 'spring-hero',
      holdout: 0.1,
      segments: [0, 2],
      start: '2026-05-01T00:00:00.000Z',
      end: null,
      model: '8bcded8e832b',
      createdAt: '2026-05-01T00:00:00.000Z',
      stoppedAt: null,
      state: 'running',
    },
  });

export const KeyParam = z.object({
  key: z
    .string()
    .regex(EXPERIMENT_KEY_PATTERN, 'must be 1–64 letters, digits, "-" or "_"')
    .openapi({ param: { name: 'key', in: 'path' }, example: 'spring-hero' }),
});

const withState = (e: Experiment, now: number) => ({ ...e, state: experimentState(e, now) });

export const experimentNotFound = (key: string) =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}not-found`,
    title: 'Not found',
    status: 404,
    detail: `no experiment "${key}"; GET /v1/admin/experiments lists them`,
  });

experimentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/experiments',
    operationId: 'listExperiments',
    summary: 'List holdout experiments',
    tags: ['Experiments'],
    security,
    responses: {
      200: {
        description: 'Every experiment, newest first, with its state now.',
        content: { 'application/json': { schema: z.object({ experiments: z.array(ExperimentSchema) }) } },
      },
      ...common,
    },
  }),
  async (c) => {
    const now = Date.now();
    const list = await readExperiments(c.env.MODELS);
    c.header('cache-control', 'no-store');
    return c.json({ experiments: list.map((e) => withState(e, now)).reverse() }, 200);
  },
);

experimentRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/admin/experiments',
  operationId: 'createExperiment',
  summary: 'Start (or schedule) a holdout experiment',
  description:
    'Visitors of the named segments are bucketed by visitor id (GrowthBook hash v2, the key as seed); `holdout` of them see the default page. Checked in full before it is stored: a refused experiment stores nothing.',
  tags: ['Experiments'],
  security,
  request: { body: { required: true, content: { 'application/json': { schema: NewExperiment } } } },
  responses: {
    201: { description: 'Stored.', content: { 'application/json': { schema: ExperimentSchema } } },
    400: problemReply('Not JSON, or a field is missing, unknown or wrong; each is named in `errors`.'),
    409: problemReply('The key is taken, or a named segment is in a running or scheduled experiment.'),
    413: problemReply('Larger than 64 KiB.'),
    415: problemReply('Not sent as JSON.'),
    422: problemReply('The active model has no such segment, or `end` is not after `start` and now.'),
    503: problemReply('No model is published yet (segments are the active model’s).'),
    ...common,
  },
});

const invalid = (status: 409 | 422 | 404, name: string, reason: string) =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}${status === 409 ? 'conflict' : 'invalid-experiment'}`,
    title: status === 409 ? 'Conflict' : 'Invalid experiment',
    status,
    detail: `${name}: ${reason}; nothing was stored`,
    errors: [{ name, reason }],
  });

experimentRoutes.post('/v1/admin/experiments', async (c) => {
  const body = await readJson(c.req.raw, 64 * 1024);
  if (!body.ok) return problemResponse(body.problem);
  const parsed = NewExperiment.safeParse(body.value);
  if (!parsed.success) return bodyProblem(parsed.error.issues);
  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  const now = Date.now();
  const input = parsed.data;
  const experiment: Experiment = {
    key: input.key,
    holdout: input.holdout,
    segments: input.segments === 'all' ? 'all' : [...input.segments].sort((a, b) => a - b),
    start: new Date(input.start ? Date.parse(input.start) : now).toISOString(),
    end: input.end ? new Date(Date.parse(input.end)).toISOString() : null,
    model: loaded.version,
    createdAt: new Date(now).toISOString(),
    stoppedAt: null,
  };
  const existing = await readExperiments(c.env.MODELS);
  const conflict = conflictOf(experiment, existing, loaded.compiled.k, now);
  if (conflict) return invalid(conflict.status, conflict.name, conflict.reason);
  await writeExperiments(c.env.MODELS, [...existing, experiment]);
  c.header('location', `/v1/admin/experiments/${experiment.key}`);
  return c.json(withState(experiment, now), 201);
});

experimentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/experiments/{key}/stop',
    operationId: 'stopExperiment',
    summary: 'Stop an experiment: nobody is assigned any more; its results are kept',
    description:
      'Takes effect at once in this isolate, in others within MODEL_REFRESH_SECONDS. Stopping twice is harmless.',
    tags: ['Experiments'],
    security,
    request: { params: KeyParam },
    responses: {
      200: { description: 'Stopped (now or before).', content: { 'application/json': { schema: ExperimentSchema } } },
      400: problemReply('Not an experiment key.'),
      404: problemReply('No such experiment.'),
      ...common,
    },
  }),
  async (c) => {
    const { key } = c.req.valid('param');
    const now = Date.now();
    const list = await readExperiments(c.env.MODELS);
    const at = list.findIndex((e) => e.key === key);
    if (at < 0) return experimentNotFound(key) as never;
    if (list[at].stoppedAt === null) {
      list[at] = { ...list[at], stoppedAt: new Date(now).toISOString() };
      await writeExperiments(c.env.MODELS, list);
    }
    c.header('cache-control', 'no-store');
    return c.json(withState(list[at], now), 200);
  },
);
