// GET /v1/segment?<field>=<value>&… — the answer POST /v1/score gives for one
// record, as a cacheable GET for websites: query values are read as text
// (numbers parsed), the ETag changes with the model version and the inputs,
// and If-None-Match gives 304 without scoring.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { asciiJson, explainValues, scorerFor, sha256Hex, type FieldWarning } from '../../model/index.ts';
import { EXPLAIN_VALUES } from '../explain.ts';
import type { AppEnv } from '../env.ts';
import { invalidInput, problemResponse } from '../problem.ts';
import { limitPublic } from '../rate-limit.ts';
import { requireModel } from './model-middleware.ts';
import { ScoreResult, problemReply, validationHook } from './openapi-schemas.ts';
import { VisitorParam } from '../experiments/visitor.ts';
import { sha256 } from '../crypto/hmac-sha256.ts';
import { experimentMembers } from '../experiments/visit.ts';
import { counted, executionContext, requestTally } from '../monitor/count.ts';
import { receiptsOff, receiptWanted, withReceipts } from '../receipt-answer.ts';

/**
 * Query parameters that are not fields (unless the model has a field of that name):
 * `receipt=true` adds a receipt; `_via=embed` marks a request from the embed script, counted as such;
 * `visitor=<id>` assigns the visitor to a running experiment (docs/experiments.md).
 */
const CONTROLS = ['receipt', '_via', 'visitor'];

/** Browsers and shared caches may keep an answer this long; a new model changes the ETag. */
export const SEGMENT_MAX_AGE = 60;
const MAX_FIELDS = 100;

export const SegmentQuery = z
  .object({
    explain: z
      .enum(EXPLAIN_VALUES, { error: 'must be true or false' })
      .optional()
      .openapi({ description: "`true` adds `reasons`: each binary target's exact explanation (see ScoreResult)." }),
    visitor: VisitorParam.optional(),
  })
  .catchall(z.string({ error: 'must be given once, as text' }).max(200))
  .refine((q) => Object.keys(q).length <= MAX_FIELDS, { message: `at most ${MAX_FIELDS} fields` })
  .openapi({
    description:
      "The record's fields by name (see GET /v1/model for the inputs); any may be left out and is then imputed. A field given twice is refused. `explain` is not a field: `explain=true` adds `reasons`. Unless the model has fields so named, `receipt=true` adds a receipt (docs/monitoring.md) and `_via=embed` (sent by the embed script) counts the request as the embed script's.",
    example: { age: '29', region: 'West', channel: 'app' },
  });

const route = createRoute({
  method: 'get',
  path: '/v1/segment',
  operationId: 'getSegment',
  summary: 'Segment and scores for one visitor (cacheable)',
  description: 'Same answer as `POST /v1/score` for one record. Public, rate-limited per client IP, CORS-controlled.',
  tags: ['Websites'],
  security: [],
  middleware: [limitPublic('public'), requireModel] as const,
  request: { query: SegmentQuery },
  responses: {
    200: {
      description: 'The segment, per-target probabilities, map position and warnings.',
      headers: z.object({ ETag: z.string(), 'Cache-Control': z.string() }),
      content: { 'application/json': { schema: ScoreResult } },
    },
    304: { description: 'Not modified: the If-None-Match ETag is current (same model, same inputs).' },
    400: problemReply('A field is unknown, given twice, or of the wrong type.'),
    429: problemReply('Rate limit reached; see Retry-After.'),
    503: problemReply('No model is published yet.'),
  },
});

/** RFC 9110 weak comparison of an If-None-Match list against our ETag. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

const canonicalQuery = (query: Record<string, string>) =>
  Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');

export async function segmentEtag(version: string, query: Record<string, string>): Promise<string> {
  return `"${version}-${(await sha256Hex(canonicalQuery(query))).slice(0, 16)}"`;
}

/** The same, synchronously, for answers to a visitor (whose path also signs a receipt; see worker/crypto/hmac-sha256.ts). */
function visitorEtag(version: string, query: Record<string, string>): string {
  let hex = '';
  for (const b of sha256(canonicalQuery(query)).subarray(0, 8)) hex += (b + 256).toString(16).slice(1);
  return `"${version}-${hex}"`;
}

export const segmentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

segmentRoutes.openapi(route, async (c) => {
  const loaded = c.get('model');
  const given = c.req.valid('query');
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(given))
    if (!CONTROLS.includes(k) || loaded.compiled.inputIndex.has(k)) query[k] = v;
  const receipt = query.receipt === undefined ? receiptWanted(given.receipt) : false;
  if (typeof receipt === 'object') return problemResponse(receipt) as never;
  const source = query._via === undefined && given._via === 'embed' ? 'embed' : 'segment';
  const visitor = query.visitor === undefined ? given.visitor : undefined;
  const cacheControl = `public, max-age=${SEGMENT_MAX_AGE}`;
  // Without a visitor, the answer follows from the model and the query alone: 304 before scoring.
  const etag = visitor === undefined ? await segmentEtag(loaded.version, query) : null;
  if (etag && !receipt && ifNoneMatchHits(c.req.header('if-none-match'), etag)) {
    return c.body(null, 304, { etag, 'cache-control': cacheControl });
  }
  const record: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(query)) if (k !== 'explain') record[k] = v;
  const cm = loaded.compiled;
  // Read, score and explain with the shared scorer before returning: nothing of it outlives this call.
  const scorer = scorerFor(cm);
  const warnings: FieldWarning[] = [];
  const problems = scorer.read(record, { text: true }, warnings);
  if (problems)
    return problemResponse(invalidInput(problems.map((p) => ({ name: p.field, reason: p.reason })))) as never;
  const result = query.explain === 'true' ? explainValues(scorer, warnings) : scorer.scoreValues(warnings);
  const tally = requestTally(c.env, cm, loaded.version, false);
  if (tally) {
    tally.add(scorer.values, result.segment.id, scorer.probs, result.warnings);
    counted(c.env, executionContext(c), cm, loaded.version, source, tally, 1);
  }
  const visit = { model: loaded.version, segment: result.segment.id, scores: result.scores };
  const members = visitor === undefined ? null : await experimentMembers(c, visit, visitor);
  const answer = { model: loaded.version, ...result, ...members };
  if (receipt) {
    // Each receipt is new: never cached or revalidated. An experiment's answer has its receipt already.
    const signed = members?.receipt
      ? asciiJson(answer)
      : await withReceipts(asciiJson(answer), c.env.RECEIPT_SECRET, Date.now());
    if (signed === null) return problemResponse(receiptsOff()) as never;
    c.header('cache-control', 'private, no-store');
    return c.body(signed, 200, { 'content-type': 'application/json' }) as never;
  }
  // With a visitor the answer also depends on the experiments: the ETag covers the assignment
  // (not the receipt, a fresh nonce each time; the one cached with the answer stays valid).
  const tag =
    etag ??
    visitorEtag(loaded.version, { ...query, visitor: visitor!, '': JSON.stringify(members?.experiment ?? null) });
  if (etag === null && ifNoneMatchHits(c.req.header('if-none-match'), tag)) {
    return c.body(null, 304, { etag: tag, 'cache-control': cacheControl });
  }
  c.header('etag', tag);
  c.header('cache-control', cacheControl);
  return c.json(answer, 200);
});
