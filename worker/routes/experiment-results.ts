// GET /v1/admin/experiments/{key} — an experiment's results: visitors,
// conversions and rates per variant, uplift with 95% intervals, the
// always-valid p-value and a verdict, overall and per segment.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { flushExposures } from '../experiments/exposures.ts';
import { type ExperimentResults, experimentResults, readCounts } from '../experiments/results.ts';
import { withRunningPValues } from '../experiments/p-values.ts';
import { ALPHA, MIN_CONVERSIONS, MIN_VISITORS_PER_VARIANT } from '../experiments/stats/uplift.ts';
import { readExperiments } from '../experiments/store.ts';
import { PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import { experimentNotFound, KeyParam } from './experiments.ts';
import { problemReply, validationHook } from './openapi-schemas.ts';

const Variant = z.object({
  visitors: z.number().int().openapi({ description: 'Unique visitors exposed.' }),
  conversions: z.number().int().openapi({ description: 'Visitors who converted (each once).' }),
  rate: z.number().nullable().openapi({ description: 'conversions / visitors; null without visitors.' }),
  value: z.number().openapi({ description: 'Sum of the conversions’ `value`.' }),
});

const Uplift = z.object({
  absolute: z.number().nullable().openapi({ description: 'Personalised rate minus control rate (0.031: 3.1 points).' }),
  relative: z
    .number()
    .nullable()
    .openapi({ description: 'Personalised rate / control rate − 1; null without control conversions.' }),
  ci: z
    .tuple([z.number(), z.number()])
    .nullable()
    .openapi({ description: '95% interval of `absolute` (Newcombe’s hybrid score method).' }),
  relativeCi: z
    .tuple([z.number(), z.number().nullable()])
    .nullable()
    .openapi({ description: '95% interval of `relative` (MOVER on the log scale); upper limit null when unbounded.' }),
  pValue: z.number().nullable().openapi({
    description:
      'Always-valid p-value (mSPRT): the lowest any read of these results has found (it never rises), safe to read at any time; null below the minimum sample.',
  }),
  verdict: z.enum(['too-few', 'inconclusive', 'personalised-better', 'control-better']).openapi({
    description: `too-few: under ${MIN_VISITORS_PER_VARIANT} visitors in a variant or ${MIN_CONVERSIONS} conversions in all; otherwise the better variant when pValue ≤ ${ALPHA}.`,
  }),
});

const Population = z
  .object({ control: Variant, personalised: Variant, uplift: Uplift })
  .openapi('ExperimentPopulation');

export const ExperimentResultsSchema = z
  .object({
    key: z.string(),
    holdout: z.number(),
    state: z.enum(['scheduled', 'running', 'ended', 'stopped']),
    model: z.string(),
    start: z.string(),
    end: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    overall: Population,
    segments: z.record(z.string(), Population).openapi({ description: 'Per segment id, the same shape as `overall`.' }),
  })
  .openapi('ExperimentResults');

export const experimentResultRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// API key and rate limit: adminRoutes' `/v1/admin/*` middleware (see experiments.ts).
experimentResultRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/experiments/{key}',
    operationId: 'getExperimentResults',
    summary: 'An experiment’s results, overall and per segment',
    description:
      'Counts written by every isolate (each flushes its exposures within EXPERIMENT_FLUSH_SECONDS; this one flushes before reading).',
    tags: ['Experiments'],
    security: [{ apiKey: [] }],
    request: { params: KeyParam },
    responses: {
      200: { description: 'The results now.', content: { 'application/json': { schema: ExperimentResultsSchema } } },
      400: problemReply('Not an experiment key.'),
      401: problemReply('Missing or wrong API key.'),
      404: problemReply('No such experiment.'),
      429: problemReply('Rate limit for this key reached; see Retry-After.'),
      503: problemReply('The MONITOR database is missing or failed.'),
    },
  }),
  async (c) => {
    const { key } = c.req.valid('param');
    const experiment = (await readExperiments(c.env.MODELS)).find((e) => e.key === key);
    if (!experiment) return experimentNotFound(key) as never;
    const db = c.env.MONITOR;
    let results: ExperimentResults;
    try {
      if (!db) throw new Error('no MONITOR binding');
      await flushExposures(db);
      results = await withRunningPValues(db, experimentResults(experiment, await readCounts(db, key), Date.now()));
    } catch (e) {
      console.error(`experiment results for ${key}: ${String(e)}`);
      return problemResponse({
        type: `${PROBLEM_TYPE_BASE}unavailable`,
        title: 'Service unavailable',
        status: 503,
        detail: 'the experiment counts could not be read; try again later',
      }) as never;
    }
    c.header('cache-control', 'no-store');
    return c.json(results, 200);
  },
);
