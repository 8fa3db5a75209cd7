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

/** A JSON answer's headers for `origin`, shared between answers: pass it to `new Response`, never modify it. */
export function jsonAnswerHeaders(corsConfig: string | undefined, origin: string | null): Headers {
  const allowed = allowedOrigin(corsConfig, origin);
  const key = `${allowed ?? ''}\n${corsConfig ?? ''}`;
  let headers = built.get(key);
  if (!headers) {
    if (built.size >= MAX_BUILT) built.clear();
    headers = new Headers([['content-type', 'application/json'], ...pairsFor(allowed)]);
    built.set(key, headers);
  }
  return headers;
}

/**
 * A 200 JSON answer under /v1/* with every header the security and CORS
 * middlewares would add, which they then leave alone (the same headers, set
 * natively in one copy instead of one by one), plus the answer's own `extra`
 * headers (ETag, Cache-Control) set on a copy of them.
 */
export function jsonAnswer(c: Context<AppEnv>, body: BodyInit, extra?: Record<string, string>): Response {
  let headers = jsonAnswerHeaders(c.env.CORS_ORIGINS, c.req.raw.headers.get('origin'));
  if (extra) {
    headers = new Headers(headers);
    for (const name in extra) headers.set(name, extra[name]);
  }
  return markComplete(new Response(body, { headers }));
}
