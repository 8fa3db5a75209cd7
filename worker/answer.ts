// What the answer headers step (security headers, CORS) shares: answers that
// already carry every header it adds, and an answer's headers made writable.

/**
 * The last answer built whole by jsonAnswer (api-headers.ts), with every
 * header the step would add: the step leaves it as it is, since setting a
 * dozen headers one by one costs a scoring request as much CPU as the
 * scoring. One reference, not a WeakSet of every answer: weak entries for
 * each response lengthen the collector's pauses. Requests of one isolate
 * interleave, so another answer may have replaced the reference by the time
 * an answer reaches the step; then its headers are set again to the same
 * values, which costs time but changes nothing.
 */
let lastComplete: Response | null = null;

export const markComplete = (res: Response): Response => {
  lastComplete = res;
  return res;
};

export const isComplete = (res: Response): boolean => res === lastComplete;

/** The answer and its headers, copied once into a new Response when they are immutable (answers passed through from fetch()). */
export function writableHeaders(res: Response): [Response, Headers] {
  try {
    res.headers.set('x-content-type-options', 'nosniff'); // set on every answer anyway
    return [res, res.headers];
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set('x-content-type-options', 'nosniff');
    return [copy, copy.headers];
  }
}
