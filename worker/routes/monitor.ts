// GET /v1/admin/monitor — live monitoring of a model version over a window
// (docs/monitoring.md): what the edge scored, drift against training and live
// accuracy from outcomes. The /v1/admin/* key check and per-key limit
// (admin.ts, mounted before this module) run first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { type Model, modelKey, parseModel } from '../../model/index.ts';
import type { AppEnv, Env } from '../env.ts';
import { monitorReport, WINDOWS, type WindowName } from '../monitor/report.ts';
import { DEFAULT_MIN_RECORDS } from '../monitor/psi.ts';
import { noModel, PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import { currentModel } from './model-middleware.ts';
import { problemReply, validationHook } from './openapi-schemas.ts';

const Status = z.enum(['stable', 'moderate', 'drift', 'too few']).nullable().openapi({
  description:
    'PSI < 0.1 stable, 0.1–0.2 moderate, ≥ 0.2 drift; `too few` under the minimum of live records; null without training figures.',
});
const Psi = z
  .number()
  .nullable()
  .openapi({ description: 'Population Stability Index, live against training; null without training figures.' });
const Shares = z.array(z.number());

export const MonitorReportSchema = z
  .object({
    model: z.string(),
    window: z.object({
      name: z.enum(['1h', '24h', '7d', 'all']),
      from: z
        .string()
        .nullable()
        .openapi({ description: 'Start of the first hour counted (null: nothing counted yet, window all).' }),
      to: z.string(),
    }),
    records: z.number().int(),
    sources: z.record(z.string(), z.number().int()).openapi({
      description: 'Records scored per source: single, batch, segment, embed, webhook, dashboard.',
    }),
    traffic: z.array(z.object({ hour: z.string(), records: z.number().int() })),
    segments: z.object({
      psi: Psi,
      status: Status,
      live: z.record(z.string(), z.number()),
      training: z.record(z.string(), z.number()),
    }),
    inputs: z
      .array(
        z.object({
          name: z.string(),
          psi: Psi,
          status: Status,
          bins: z.array(z.string()),
          live: Shares,
          training: Shares,
        }),
      )
      .openapi({ description: 'Per input, largest PSI first; empty for a model without training distributions.' }),
    scores: z.record(
      z.string(),
      z.object({ psi: Psi, status: Status, live: Shares, training: Shares }).openapi({
        description: "A head's scores in 20 equal bins of probability.",
      }),
    ),
    outcomes: z.record(
      z.string(),
      z.object({
        n: z.number().int(),
        positives: z.number().int(),
        rocAuc: z.number().nullable(),
        trainingRocAuc: z.number().nullable(),
        calibration: z
          .array(z.tuple([z.number(), z.number(), z.number()]))
          .openapi({ description: '[mean predicted, observed rate, outcomes] per decile of probability.' }),
        bySegment: z.record(
          z.string(),
          z.object({ n: z.number().int(), positives: z.number().int(), rate: z.number() }),
        ),
      }),
    ),
  })
  .openapi('MonitorReport');

const MonitorQuery = z.object({
  window: z
    .enum(['1h', '24h', '7d', 'all'], { error: 'must be 1h, 24h, 7d or all' })
    .optional()
    .openapi({ description: 'Default 24h.' }),
  model: z
    .string()
    .regex(/^[a-z0-9-]{4,64}$/, 'must be 4–64 characters of a-z, 0-9 and -')
    .optional()
    .openapi({ description: 'A model version (default: the active one).', example: '8bcded8e832b' }),
});

/** The live-records minimum for a verdict (MONITOR_MIN_RECORDS, default 500). */
export function minRecords(env: Env): number {
  const n = Number(env.MONITOR_MIN_RECORDS);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_MIN_RECORDS;
}

/** A stored model version, or null when KV has none of that version. */
export async function storedModel(kv: KVNamespace, version: string): Promise<Model | null> {
  const text = await kv.get(modelKey(version));
  return text === null ? null : parseModel(text);
}

export const monitorOff = () =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}monitoring-off`,
    title: 'Monitoring is not configured',
    status: 503,
    detail: 'this worker has no MONITOR D1 binding (see wrangler.toml and docs/monitoring.md)',
  });

export const monitorRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

monitorRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/monitor',
    operationId: 'getMonitor',
    summary: 'Live traffic, drift and accuracy of a model version',
    description:
      'Counts of what the edge scored in the window (they appear within a minute), PSI per input, for the segment mix and per head against the training distributions, and live accuracy from outcomes reported against receipts.',
    tags: ['Operators'],
    security: [{ apiKey: [] }],
    request: { query: MonitorQuery },
    responses: {
      200: { description: 'The report.', content: { 'application/json': { schema: MonitorReportSchema } } },
      400: problemReply('An unknown window, or not a version.'),
      401: problemReply('Missing or wrong API key.'),
      404: problemReply('No such model version.'),
      429: problemReply('Rate limit for this key reached; see Retry-After.'),
      503: problemReply('No model is published, or monitoring is not configured.'),
    },
  }),
  async (c) => {
    const db = c.env.MONITOR;
    if (!db) return monitorOff() as never;
    const q = c.req.valid('query');
    const window: WindowName = q.window && q.window in WINDOWS ? q.window : '24h';
    let model: Model | null;
    if (q.model) {
      model = await storedModel(c.env.MODELS, q.model);
      if (!model)
        return problemResponse({
          type: `${PROBLEM_TYPE_BASE}not-found`,
          title: 'Not found',
          status: 404,
          detail: `no model ${q.model} is stored`,
        }) as never;
    } else {
      model = (await currentModel(c))?.compiled.model ?? null;
      if (!model) return problemResponse(noModel()) as never;
    }
    try {
      const report = await monitorReport(db, model, window, Date.now(), minRecords(c.env));
      return c.json(report, 200, { 'cache-control': 'no-store' });
    } catch (e) {
      console.error('GET /v1/admin/monitor: D1 failed:', String((e as Error)?.message ?? e).slice(0, 200));
      return problemResponse(
        {
          type: `${PROBLEM_TYPE_BASE}unavailable`,
          title: 'Monitoring database unavailable',
          status: 503,
          detail: 'the MONITOR database did not answer; try again',
        },
        { 'retry-after': '10' },
      ) as never;
    }
  },
);
