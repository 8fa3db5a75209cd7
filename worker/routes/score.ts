// POST /v1/score — one record, or `{ "records": [...] }` (up to 1,000), scored
// with the active model. Bad input is a 400 naming every field at fault.
import { scoreToJson, type RecordProblem } from '../../model/score-json.ts';
import { readJson } from '../body.ts';
import type { Env } from '../env.ts';
import { internalError, invalidInput, noModel, problemResponse, type InvalidParam } from '../problem.ts';
import { refreshSeconds } from './model-middleware.ts';
import { activeModel } from '../model-store.ts';
import { unauthorized } from '../auth.ts';
import { identifyAndLimit } from '../rate-limit.ts';
import { apiHeaderPairs, jsonAnswerHeaders } from '../api-headers.ts';

export const MAX_BATCH = 1000;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ScoreBody =
  | { kind: 'single'; record: Record<string, unknown> }
  | { kind: 'batch'; records: Record<string, unknown>[] };

/** Tells a single record from a batch and checks the batch's shape. */
export function classifyBody(body: unknown): { ok: true; body: ScoreBody } | { ok: false; errors: InvalidParam[] } {
  if (!isPlainObject(body)) return { ok: false, errors: [{ name: 'body', reason: 'must be a JSON object of field values, or { "records": [...] }' }] };
  if (!('records' in body)) return { ok: true, body: { kind: 'single', record: body } };
  const extra = Object.keys(body).filter((k) => k !== 'records');
  const errors: InvalidParam[] = extra.map((name) => ({ name, reason: 'unknown field beside "records"' }));
  const records = body.records;
  if (!Array.isArray(records)) return { ok: false, errors: [...errors, { name: 'records', reason: 'must be an array of records' }] };
  if (records.length === 0) errors.push({ name: 'records', reason: 'must hold at least one record' });
  if (records.length > MAX_BATCH) errors.push({ name: 'records', reason: `holds ${records.length} records; at most ${MAX_BATCH} per request` });
  if (errors.length) return { ok: false, errors };
  records.forEach((r, i) => { if (!isPlainObject(r)) errors.push({ name: `records[${i}]`, reason: 'must be an object of field values' }); });
  if (errors.length) return { ok: false, errors };
  return { ok: true, body: { kind: 'batch', records: records as Record<string, unknown>[] } };
}

/** Gives an answer built here the headers the /v1 middlewares give routed answers. */
function withApiHeaders(res: Response, env: Env, req: Request): Response {
  for (const [name, value] of apiHeaderPairs(env.CORS_ORIGINS, req.headers.get('origin'))) res.headers.set(name, value);
  return res;
}

/**
 * POST /v1/score, answered without the router: it is the API's hottest call
 * (a personalising site makes one per page view), so it builds its answer
 * whole, with the headers and caller checks the routed API applies, instead
 * of passing through the middleware chain. Single records are public (limited
 * per client IP); a batch needs an API key (limited per key).
 */
export async function handleScore(req: Request, env: Env, waitUntil?: (p: Promise<unknown>) => void): Promise<Response> {
  try {
    const caller = await identifyAndLimit(env, req);
    if (caller instanceof Response) return withApiHeaders(caller, env, req);
    const loaded = await activeModel(env.MODELS, refreshSeconds(env), waitUntil);
    if (!loaded) return withApiHeaders(problemResponse(noModel()), env, req);
    const body = await readJson(req);
    if (!body.ok) return withApiHeaders(problemResponse(body.problem), env, req);
    if (isPlainObject(body.value) && 'records' in body.value && !caller.keyHash) return withApiHeaders(unauthorized(), env, req);
    const shape = classifyBody(body.value);
    if (!shape.ok) return withApiHeaders(problemResponse(invalidInput(shape.errors)), env, req);
    const records = shape.body.kind === 'single' ? [shape.body.record] : shape.body.records;
    const scored = scoreToJson(loaded.compiled, loaded.version, records, shape.body.kind === 'batch');
    if (!scored.ok) {
      const name = (p: RecordProblem) => (shape.body.kind === 'single' ? p.field : `records[${p.index}].${p.field}`);
      return withApiHeaders(problemResponse(invalidInput(scored.problems.map((p) => ({ name: name(p), reason: p.reason })))), env, req);
    }
    return new Response(scored.json, { headers: jsonAnswerHeaders(env.CORS_ORIGINS, req.headers.get('origin')) });
  } catch (e) {
    console.error('POST /v1/score:', e);
    return withApiHeaders(problemResponse(internalError()), env, req);
  }
}
