// The headers the /v1 middlewares (security headers, CORS) give a routed
// answer, for handlers that build their answer whole. workerd converts header
// pairs handed over as JS values one by one, and thirteen of them cost as much
// CPU as the rest of a scoring request; a ready Headers object is copied
// natively. So the JSON answer's headers are built once per allowed origin,
// and an answer built with them (jsonAnswer) passes the middlewares untouched.
import type { Context } from 'hono';
import { markComplete } from './answer.ts';
import type { AppEnv } from './env.ts';
import { allowedOrigin, corsHeaders } from './cors.ts';
import { API_SECURITY_HEADERS } from './security-headers.ts';

/** Security and CORS headers for an answer whose origin is allowed as `allowed` (null: not allowed, or none sent). */
const pairsFor = (allowed: string | null): [string, string][] => [...API_SECURITY_HEADERS, ...corsHeaders(allowed)];

const built = new Map<string, Headers>();
/** Origins are allowlisted, so few entries are ever built; the bound only guards against a churning config. */
const MAX_BUILT = 64;

/**
 * A JSON answer's headers for `origin`, with `Cache-Control: cacheControl`
 * when given (a route's few fixed values), shared between answers: pass it to
 * `new Response`, never modify it.
 */
export function jsonAnswerHeaders(
  corsConfig: string | undefined,
  origin: string | null,
  cacheControl?: string,
): Headers {
  const allowed = allowedOrigin(corsConfig, origin);
  const key = `${allowed ?? ''}\n${corsConfig ?? ''}\n${cacheControl ?? ''}`;
  let headers = built.get(key);
  if (!headers) {
    if (built.size >= MAX_BUILT) built.clear();
    const pairs: [string, string][] = [['content-type', 'application/json'], ...pairsFor(allowed)];
    if (cacheControl !== undefined) pairs.push(['cache-control', cacheControl]);
    headers = new Headers(pairs);
    built.set(key, headers);
  }
  return headers;
}

/** What a cacheable answer adds: its Cache-Control (one of a route's few values) and its ETag. */
export interface AnswerCaching {
  control: string;
  etag: string;
}

/**
 * A 200 JSON answer under /v1/* with every header the security and CORS
 * middlewares would add, which they then leave alone (the same headers, set
 * natively in one copy instead of one by one), plus `caching`'s: the
 * Cache-Control in the shared headers, the ETag set on the answer's own copy
 * (copying the shared Headers into a new one and setting both cost workerd
 * more than the rest of a GET /v1/segment's answer).
 */
export function jsonAnswer(c: Context<AppEnv>, body: BodyInit, caching?: AnswerCaching): Response {
  const headers = jsonAnswerHeaders(c.env.CORS_ORIGINS, c.req.raw.headers.get('origin'), caching?.control);
  const res = new Response(body, { headers });
  if (caching) res.headers.set('etag', caching.etag);
  return markComplete(res);
}
