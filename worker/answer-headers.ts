// The one step every answer passes through after the router: secure headers
// on everything, CORS headers on the API. It runs on the finished Response,
// outside Hono's middleware chain, so a route with no middleware of its own
// is dispatched straight to its handler (Hono skips composing a chain of
// one) — the same for every route, POST /v1/score included.
import { getPath } from 'hono/utils/url';
import { isComplete, writableHeaders } from './answer.ts';
import { setCorsHeaders } from './cors.ts';
import type { Env } from './env.ts';
import { setSecurityHeaders } from './security-headers.ts';

/** `res` with the secure headers it lacks, and for /v1/* (preflights aside: Hono's cors answered them) the CORS headers. */
export function withAnswerHeaders(req: Request, env: Pick<Env, 'CORS_ORIGINS'>, res: Response): Response {
  if (isComplete(res)) return res; // built with these headers (jsonAnswer)
  const path = getPath(req);
  const [answer, headers] = writableHeaders(res);
  if (path.startsWith('/v1/') && req.method !== 'OPTIONS')
    setCorsHeaders(env.CORS_ORIGINS, req.headers.get('origin'), headers);
  setSecurityHeaders(path, headers);
  return answer;
}

/** withAnswerHeaders on whatever the router answers, in time or later. */
export function finishAnswer(
  req: Request,
  env: Pick<Env, 'CORS_ORIGINS'>,
  res: Response | Promise<Response>,
): Response | Promise<Response> {
  return res instanceof Promise ? res.then((r) => withAnswerHeaders(req, env, r)) : withAnswerHeaders(req, env, res);
}
