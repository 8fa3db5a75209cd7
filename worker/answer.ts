// What the response middlewares (security headers, CORS) share: answers that
// already carry every header they add, and a route's answer's headers made
// writable.
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

/**
 * Answers built whole with the headers the middlewares would add (see
 * jsonAnswer in api-headers.ts). The middlewares leave them as they are:
 * setting a dozen headers one by one costs a scoring request as much CPU as
 * the scoring, and a prebuilt Headers object is copied natively instead.
 */
const complete = new WeakSet<Response>();

export const markComplete = (res: Response): Response => {
  complete.add(res);
  return res;
};

export const isComplete = (res: Response): boolean => complete.has(res);

/** The answer's headers, copied once into a new Response when they are immutable (answers passed through from fetch()). */
export function mutableHeaders(c: Context<AppEnv>): Headers {
  const headers = c.res.headers;
  try {
    headers.set('x-content-type-options', 'nosniff'); // set by securityHeaders on every answer anyway
    return headers;
  } catch {
    c.res = new Response(c.res.body, c.res);
    return c.res.headers;
  }
}
