// POST /v1/events — a visitor's conversion, reported with the receipt of the
// answer that assigned them (the embed's `edgeseg.track("conversion")`, or a
// site's back end). Public like /v1/segment (CORS, rate limited per client IP):
// the receipt's signature is the proof, so nobody can add exposures or
// conversions for visitors who were never assigned. A conversion counts once
// per visitor and experiment.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { readJson } from '../body.ts';
import type { AppEnv } from '../env.ts';
import type { ExperimentClaims } from '../experiments/visit.ts';
import { exposureStatements } from '../experiments/exposure-sql.ts';
import { PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import { limitByAddress, tooManyRequests } from '../rate-limit.ts';
import { MAX_RECEIPT_CHARS, receiptKey, verifyReceipt } from '../receipts.ts';
import { bodyProblem, problemReply } from './openapi-schemas.ts';

export const EventBody = z
  .strictObject({
    receipt: z
      .string({ error: 'must be the receipt of the answer, as text' })
      .min(1, 'must not be empty')
      .max(MAX_RECEIPT_CHARS, `must be at most ${MAX_RECEIPT_CHARS} characters`),
    event: z.literal('conversion', { error: 'must be "conversion"' }),
    value: z
      .number({ error: 'must be a number' })
      .min(0, 'must not be negative')
      .max(1e9, 'must be at most 1e9')
      .optional()
      .openapi({ description: 'What the conversion was worth (e.g. the order total); summed per variant.' }),
  })
  .openapi('ConversionEvent', {
    example: { receipt: 'r1.eyJtIjoiOGJjZGVkOGU4MzJiIn0.x3Jq1dQ0bJkM5lq2Vwz3FA', event: 'conversion', value: 42.5 },
  });

export const eventRoutes = new OpenAPIHono<AppEnv>();

eventRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/events',
  operationId: 'recordEvent',
  summary: 'Record a conversion of a visitor in an experiment',
  description:
    'The receipt is the one the visitor’s answer carried (`GET /v1/segment` or `POST /v1/score` with a `visitor` in a running experiment). A conversion counts once per visitor and experiment; a repeat answers `counted: false`. Public, rate-limited per client IP, CORS-controlled.',
  tags: ['Websites'],
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: EventBody } } } },
  responses: {
    200: {
      description: 'Recorded (`counted: true`), or already counted for this visitor and experiment.',
      content: {
        'application/json': {
          schema: z.object({
            experiment: z.string(),
            variant: z.enum(['control', 'personalised']),
            counted: z.boolean(),
          }),
        },
      },
    },
    400: problemReply('Not JSON, or a field is missing, unknown or wrong; each is named in `errors`.'),
    413: problemReply('Larger than 8 KiB.'),
    415: problemReply('Not sent as JSON.'),
    422: problemReply('The receipt is forged, altered, expired, or not from an experiment.'),
    429: problemReply('Rate limit reached; see Retry-After.'),
    503: problemReply('Conversions cannot be recorded now (no RECEIPT_SECRET or database, or the database failed).'),
  },
});

const refused = (reason: string) =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}invalid-receipt`,
    title: 'Invalid receipt',
    status: 422,
    detail: `receipt: ${reason}; nothing was counted`,
    errors: [{ name: 'receipt', reason }],
  });

const unavailable = (detail: string) =>
  problemResponse(
    { type: `${PROBLEM_TYPE_BASE}unavailable`, title: 'Service unavailable', status: 503, detail },
    { 'retry-after': '60' },
  );

const isExperimentClaims = (x: unknown): x is ExperimentClaims => {
  const c = x as Partial<ExperimentClaims> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.k === 'string' &&
    typeof c.h === 'string' &&
    (c.v === 'control' || c.v === 'personalised')
  );
};

eventRoutes.post('/v1/events', async (c) => {
  if (!(await limitByAddress(c, 'events'))) return tooManyRequests();
  const body = await readJson(c.req.raw, 8 * 1024);
  if (!body.ok) return problemResponse(body.problem);
  const parsed = EventBody.safeParse(body.value);
  if (!parsed.success) return bodyProblem(parsed.error.issues);
  const key = receiptKey(c.env.RECEIPT_SECRET);
  const db = c.env.MONITOR;
  if (!key || !db)
    return unavailable('conversions are not recorded: RECEIPT_SECRET or the MONITOR database is missing');
  const now = Date.now();
  const check = await verifyReceipt(await key, parsed.data.receipt, now);
  if (!check.ok) return refused(check.reason);
  const x = check.claims.x;
  if (!isExperimentClaims(x)) return refused('not from an answer in an experiment (it has no experiment claims)');
  try {
    // The receipt proves the exposure: write it first (a no-op when the isolate's flush got there), so a
    // conversion always has its visitor even if that isolate's buffer was lost.
    const exposure = {
      experiment: x.k,
      visitor: x.h,
      variant: x.v === 'control' ? 0 : 1,
      segment: check.claims.s,
      at: check.claims.t,
    } as const;
    const written = await db.batch([
      ...exposureStatements(db, [exposure]),
      db
        .prepare(
          'INSERT INTO experiment_conversions (experiment, visitor, value, at) VALUES (?, ?, ?, ?) ON CONFLICT (experiment, visitor) DO NOTHING',
        )
        .bind(x.k, x.h, parsed.data.value ?? null, Math.floor(now / 1000)),
    ]);
    const conversion = written[written.length - 1];
    return c.json({ experiment: x.k, variant: x.v, counted: conversion.meta.changes > 0 }, 200);
  } catch (e) {
    console.error(`POST /v1/events: the conversion was not written: ${String(e)}`);
    return unavailable('the conversion could not be written; send it again later');
  }
});
