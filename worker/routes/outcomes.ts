// POST /v1/outcomes — what became of scored visitors, reported against the
// receipts their answers carried (docs/monitoring.md). Each outcome is
// checked on its own: a forged, tampered or expired receipt, or a target the
// receipt has no score for, is rejected by its index and counts nothing. A
// receipt and target is counted once (outcome_receipts' primary key; its
// trigger adds the count), however often it is reported.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { requireApiKey } from '../auth.ts';
import type { AppEnv } from '../env.ts';
import { outcomeBin } from '../monitor/outcome-stats.ts';
import { PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import { limitPerKey } from '../rate-limit.ts';
import { receiptsOff } from '../receipt-answer.ts';
import { receiptKey, verifyReceipt, type ReceiptClaims } from '../receipts.ts';
import { problemReply, validationHook } from './openapi-schemas.ts';
import { monitorOff } from './monitor.ts';

export const MAX_OUTCOMES = 1000;
/** Rows per INSERT: 7 bound values each, under D1's 100 per statement. */
const ROWS_PER_STATEMENT = 14;

const Outcome = z
  .object({
    receipt: z.string().openapi({ description: 'The `receipt` of a scoring answer (asked for with `?receipt=true`).' }),
    values: z.record(z.string(), z.boolean()).openapi({
      description: 'Per target the receipt scored: whether the outcome was positive.',
      example: { purchased: true },
    }),
  })
  .openapi('Outcome');

const OutcomesBody = z.object({
  outcomes: z
    .array(z.unknown().openapi({ type: 'object' }))
    .min(1, 'must hold at least one outcome')
    .max(MAX_OUTCOMES, `at most ${MAX_OUTCOMES} outcomes per request`)
    .openapi({
      description: `1 to ${MAX_OUTCOMES} outcomes, each as Outcome.`,
      items: { $ref: '#/components/schemas/Outcome' },
    }),
});

const OutcomesAnswer = z
  .object({
    accepted: z.number().int().openapi({ description: 'Outcomes that counted (at least one target new).' }),
    rejected: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  })
  .openapi('OutcomesAnswer');

interface Pair {
  index: number;
  receipt: string;
  target: string;
  claims: ReceiptClaims;
  label: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The pairs an outcome reports, or why it is rejected. */
async function readOutcome(key: CryptoKey, item: unknown, index: number, nowMs: number): Promise<Pair[] | string> {
  if (!isObj(item)) return 'must be an object with receipt and values';
  const values = item.values;
  if (!isObj(values) || Object.keys(values).length === 0) return 'values must name at least one target';
  const check = await verifyReceipt(key, item.receipt, nowMs);
  if (!check.ok) return `receipt: ${check.reason}`;
  const pairs: Pair[] = [];
  for (const [target, v] of Object.entries(values)) {
    if (!(target in check.claims.p)) return `values.${target.slice(0, 60)}: the receipt has no score for this target`;
    if (typeof v !== 'boolean') return `values.${target.slice(0, 60)}: must be true or false`;
    pairs.push({ index, receipt: check.claims.n, target, claims: check.claims, label: v ? 1 : 0 });
  }
  return pairs;
}

const insertSql = (rows: number) =>
  `INSERT INTO outcome_receipts (receipt, target, model, segment, bin, label, issued) VALUES ${Array(rows)
    .fill('(?, ?, ?, ?, ?, ?, ?)')
    .join(', ')} ON CONFLICT (receipt, target) DO NOTHING RETURNING receipt, target`;

/** Stores the pairs (one transaction); returns the keys `receipt target` counted now. */
async function storePairs(db: D1Database, pairs: Pair[]): Promise<Set<string>> {
  const statements: D1PreparedStatement[] = [];
  for (let at = 0; at < pairs.length; at += ROWS_PER_STATEMENT) {
    const part = pairs.slice(at, at + ROWS_PER_STATEMENT);
    const values = part.flatMap((p) => [
      p.receipt,
      p.target,
      p.claims.m,
      p.claims.s,
      outcomeBin(p.claims.p[p.target]),
      p.label,
      p.claims.t,
    ]);
    statements.push(db.prepare(insertSql(part.length)).bind(...values));
  }
  const results = await db.batch<{ receipt: string; target: string }>(statements);
  const counted = new Set<string>();
  for (const r of results) for (const row of r.results) counted.add(`${row.receipt} ${row.target}`);
  return counted;
}

export const outcomeRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
outcomeRoutes.openAPIRegistry.register('Outcome', Outcome);

outcomeRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/outcomes',
    operationId: 'reportOutcomes',
    summary: 'Report outcomes against receipts',
    description: `Up to ${MAX_OUTCOMES} outcomes, each a receipt and per target whether it came true. Each is accepted or rejected on its own; a receipt and target counts once. Feeds live ROC-AUC, calibration and conversion by segment (GET /v1/admin/monitor).`,
    tags: ['Operators'],
    security: [{ apiKey: [] }],
    middleware: [requireApiKey, limitPerKey] as const,
    request: { body: { required: true, content: { 'application/json': { schema: OutcomesBody } } } },
    responses: {
      200: {
        description: 'What counted and what was rejected, by index.',
        content: { 'application/json': { schema: OutcomesAnswer } },
      },
      400: problemReply('Not a list of 1 to 1,000 outcomes.'),
      401: problemReply('Missing or wrong API key.'),
      429: problemReply('Rate limit for this key reached; see Retry-After.'),
      503: problemReply('Receipts or monitoring are not configured, or the database is unavailable (retry).'),
    },
  }),
  async (c) => {
    const db = c.env.MONITOR;
    if (!db) return monitorOff() as never;
    const key = receiptKey(c.env.RECEIPT_SECRET);
    if (!key) return problemResponse(receiptsOff()) as never;
    const k = await key;
    const { outcomes } = c.req.valid('json');
    const now = Date.now();
    const read = await Promise.all(outcomes.map((item, i) => readOutcome(k, item, i, now)));
    const rejected: { index: number; reason: string }[] = [];
    const pairs: Pair[] = [];
    read.forEach((r, index) => {
      if (typeof r === 'string') rejected.push({ index, reason: r });
      else pairs.push(...r);
    });
    let counted: Set<string>;
    try {
      counted = pairs.length ? await storePairs(db, pairs) : new Set();
    } catch (e) {
      console.error('POST /v1/outcomes: D1 failed:', String((e as Error)?.message ?? e).slice(0, 200));
      return problemResponse(
        {
          type: `${PROBLEM_TYPE_BASE}unavailable`,
          title: 'Outcomes not stored',
          status: 503,
          detail: 'the monitoring database is unavailable; nothing was counted, send the same outcomes again',
        },
        { 'retry-after': '10' },
      ) as never;
    }
    // A key counted now belongs to the first outcome that reported it.
    const accepted = new Set<number>();
    for (const p of pairs) {
      const id = `${p.receipt} ${p.target}`;
      if (counted.delete(id)) accepted.add(p.index);
    }
    const seen = new Set(rejected.map((r) => r.index));
    for (const p of pairs)
      if (!accepted.has(p.index) && !seen.has(p.index)) {
        seen.add(p.index);
        rejected.push({ index: p.index, reason: 'already counted (this receipt and target were reported before)' });
      }
    rejected.sort((a, b) => a.index - b.index);
    return c.json({ accepted: accepted.size, rejected }, 200);
  },
);
