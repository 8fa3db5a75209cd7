// GET /v1/segment?<field>=<value>&… — the answer POST /v1/score gives for one
// record, as a cacheable GET for websites: query values are read as text
// (numbers parsed), the ETag changes with the model version and the inputs,
// and If-None-Match gives 304 without scoring.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { scoreRecord, sha256Hex } from '../../model/index.ts';
import type { AppEnv } from '../env.ts';
import { invalidInput, problemResponse } from '../problem.ts';
import { limitPublic } from '../rate-limit.ts';
import { requireModel } from './model-middleware.ts';
import { ScoreResult, problemReply, validationHook } from './openapi-schemas.ts';
import { VisitorParam } from '../experiments/visitor.ts';
import { sha256 } from '../crypto/hmac-sha256.ts';
import { experimentMembers } from '../experiments/visit.ts';

/** Browsers and shared caches may keep an answer this long; a new model changes the ETag. */
export const SEGMENT_MAX_AGE = 60;
const MAX_FIELDS = 100;

export const SegmentQuery = z
  .object({ visitor: VisitorParam.optional() })
  .catchall(z.string({ error: 'must be given once, as text' }).max(200))
  .refine((q) => Object.keys(q).length <= MAX_FIELDS, { message: `at most ${MAX_FIELDS} fields` })
  .openapi({
    description:
      "The record's fields by name (see GET /v1/model for the inputs); any may be left out and is then imputed. A field given twice is refused.",
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
  const query = c.req.valid('query');
  const cacheControl = `public, max-age=${SEGMENT_MAX_AGE}`;
  const { visitor, ...fields } = query;
  if (visitor === undefined) {
    const etag = await segmentEtag(loaded.version, query);
    if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) {
      return c.body(null, 304, { etag, 'cache-control': cacheControl });
    }
    c.header('etag', etag);
  }
  const record: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(fields)) record[k] = v;
  const out = scoreRecord(loaded.compiled, record, { text: true });
  if (!out.ok)
    return problemResponse(invalidInput(out.problems.map((p) => ({ name: p.field, reason: p.reason })))) as never;
  c.header('cache-control', cacheControl);
  if (visitor === undefined) return c.json({ model: loaded.version, ...out.result }, 200);
  // With a visitor the answer also depends on the experiments, so the ETag covers what they add.
  const visit = { model: loaded.version, segment: out.result.segment.id, scores: out.result.scores };
  const members = await experimentMembers(c, visit, visitor);
  // (Not the receipt: a fresh nonce each time; the one cached with the answer stays valid.)
  const etag = visitorEtag(loaded.version, { ...query, '': JSON.stringify(members?.experiment ?? null) });
  if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) {
    return c.body(null, 304, { etag, 'cache-control': cacheControl });
  }
  c.header('etag', etag);
  return c.json({ model: loaded.version, ...out.result, ...members }, 200);
});
