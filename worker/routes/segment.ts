// GET /v1/segment?<field>=<value>&… — the answer POST /v1/score gives for one
// record, as a cacheable GET for websites: query values are read as text
// (numbers parsed), the ETag changes with the model version and the inputs,
// and If-None-Match gives 304 without scoring. The route is described to
// OpenAPI by its schema, and served by a plain handler that checks the query
// by the same rules (segmentQuery): the embed script calls it on every page
// view, and the schema's validator and a middleware chain cost a third of a
// request's CPU in workerd.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { asciiJson, explainValues, scoreHeldToJson, scorerFor, type FieldWarning } from '../../model/index.ts';
import { EXPLAIN_VALUES } from '../explain.ts';
import type { AppEnv } from '../env.ts';
import { invalidInput, noModel, problemResponse, type InvalidParam } from '../problem.ts';
import { limitByAddress, tooManyRequests } from '../rate-limit.ts';
import { currentModel } from './model-middleware.ts';
import { ScoreResult, problemReply, validationHook } from './openapi-schemas.ts';
import { VisitorParam, visitorProblem } from '../experiments/visitor.ts';
import { jsonAnswer } from '../api-headers.ts';
import { hash64Hex } from '../text-hash.ts';
import { experimentMembers, type ScoredVisit } from '../experiments/visit.ts';
import { withMembers } from '../experiments/answer.ts';
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
const MAX_VALUE_LENGTH = 200;

export const SegmentQuery = z
  .object({
    explain: z
      .enum(EXPLAIN_VALUES, { error: 'must be true or false' })
      .optional()
      .openapi({ description: "`true` adds `reasons`: each binary target's exact explanation (see ScoreResult)." }),
    visitor: VisitorParam.optional(),
  })
  .catchall(z.string({ error: 'must be given once, as text' }).max(MAX_VALUE_LENGTH))
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

/** The query in one text that no other query shares: names sorted, each name and value prefixed by its length. */
function canonicalQuery(query: Record<string, string>): string {
  let text = '';
  for (const k of Object.keys(query).sort()) text += `${k.length}:${k}${query[k].length}:${query[k]}`;
  return text;
}

/**
 * The answer's validator: the model version and a 64-bit hash of the
 * canonical query (a validator needs no cryptographic digest).
 */
export function segmentEtag(version: string, query: Record<string, string>): string {
  return `"${version}-${hash64Hex(canonicalQuery(query))}"`;
}

/**
 * The query as SegmentQuery reads it (Hono's `queries()`: each name with the
 * values it was given), checked by the same rules: each name once, values of
 * at most 200 characters, at most 100 names, `explain` true or false, a
 * well-formed `visitor`. Every problem is named, as the schema's validator names them.
 */
export function segmentQuery(
  queries: Record<string, string[]>,
): { ok: true; query: Record<string, string> } | { ok: false; problems: InvalidParam[] } {
  const query: Record<string, string> = Object.create(null);
  const problems: InvalidParam[] = [];
  let names = 0;
  for (const name in queries) {
    names++;
    const values = queries[name];
    const v = values[0];
    if (values.length !== 1) problems.push({ name, reason: 'must be given once, as text' });
    else if (name === 'explain' && v !== 'true' && v !== 'false')
      problems.push({ name, reason: 'must be true or false' });
    else if (name === 'visitor') {
      const problem = visitorProblem(v);
      if (problem) problems.push({ name, reason: problem });
    } else if (v.length > MAX_VALUE_LENGTH)
      problems.push({ name, reason: `must be at most ${MAX_VALUE_LENGTH} characters` });
    query[name] = v;
  }
  if (names > MAX_FIELDS) problems.push({ name: 'query', reason: `at most ${MAX_FIELDS} fields` });
  return problems.length ? { ok: false, problems } : { ok: true, query };
}

export const segmentRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
segmentRoutes.openAPIRegistry.registerPath(route);

segmentRoutes.get('/v1/segment', async (c) => {
  // The route's checks in the order its description gives them: the caller's limit, the model, the query.
  if (!(await limitByAddress(c, 'public'))) return tooManyRequests();
  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  const read = segmentQuery(c.req.queries());
  if (!read.ok) return problemResponse(invalidInput(read.problems));
  const given = read.query;
  const query: Record<string, string> = Object.create(null);
  for (const k in given) if (!CONTROLS.includes(k) || loaded.compiled.inputIndex.has(k)) query[k] = given[k];
  const receipt = query.receipt === undefined ? receiptWanted(given.receipt) : false;
  if (typeof receipt === 'object') return problemResponse(receipt);
  const source = query._via === undefined && given._via === 'embed' ? 'embed' : 'segment';
  const visitor = query.visitor === undefined ? given.visitor : undefined;
  const cacheControl = `public, max-age=${SEGMENT_MAX_AGE}`;
  // Without a visitor, the answer follows from the model and the query alone: 304 before scoring.
  const etag = visitor === undefined ? segmentEtag(loaded.version, query) : null;
  if (etag && !receipt && ifNoneMatchHits(c.req.header('if-none-match'), etag)) {
    return c.body(null, 304, { etag, 'cache-control': cacheControl });
  }
  const record: Record<string, unknown> = Object.create(null);
  for (const k in query) if (k !== 'explain') record[k] = query[k];
  const cm = loaded.compiled;
  // Read, score and explain with the shared scorer before returning: nothing of it outlives this call.
  const scorer = scorerFor(cm);
  const warnings: FieldWarning[] = [];
  const problems = scorer.read(record, { text: true }, warnings);
  if (problems) return problemResponse(invalidInput(problems.map((p) => ({ name: p.field, reason: p.reason }))));
  const tally = requestTally(c.env, cm, loaded.version, false);
  // The answer's text, written as POST /v1/score writes it; from the result object when the
  // experiments need its segment and scores, or it carries reasons.
  let json: string;
  let visit: ScoredVisit | null = null;
  if (query.explain === 'true' || visitor !== undefined) {
    const result = query.explain === 'true' ? explainValues(scorer, warnings) : scorer.scoreValues(warnings);
    tally?.add(scorer.values, result.segment.id, scorer.probs, result.warnings);
    json = asciiJson({ model: loaded.version, ...result });
    visit = { model: loaded.version, segment: result.segment.id, scores: result.scores };
  } else json = scoreHeldToJson(scorer, loaded.version, warnings, tally);
  counted(c.env, executionContext(c), cm, loaded.version, source, tally, 1);
  // The plain answer (most requests: the embed script's without an experiment running).
  if (etag !== null && !receipt) return jsonAnswer(c, json, { control: cacheControl, etag });
  const members = visitor === undefined || visit === null ? null : await experimentMembers(c, visit, visitor);
  if (members) json = withMembers(json, members);
  if (receipt) {
    // Each receipt is new: never cached or revalidated. An experiment's answer has its receipt already.
    const signed = members?.receipt ? json : await withReceipts(json, c.env.RECEIPT_SECRET, Date.now());
    if (signed === null) return problemResponse(receiptsOff());
    c.header('cache-control', 'private, no-store');
    return c.body(signed, 200, { 'content-type': 'application/json' });
  }
  // With a visitor the answer also depends on the experiments: the ETag covers the assignment
  // (not the receipt, a fresh nonce each time; the one cached with the answer stays valid).
  const tag =
    etag ??
    segmentEtag(loaded.version, { ...query, visitor: visitor!, '': JSON.stringify(members?.experiment ?? null) });
  if (etag === null && ifNoneMatchHits(c.req.header('if-none-match'), tag)) {
    return c.body(null, 304, { etag: tag, 'cache-control': cacheControl });
  }
  return jsonAnswer(c, json, { control: cacheControl, etag: tag });
});
