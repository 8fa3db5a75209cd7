// The `explain` query parameter shared by every scoring route: `true` adds
// each binary head's exact `reasons` to the answer; absent or `false` leaves
// the answer exactly as it is without it.
import { invalidInput, type Problem } from './problem.ts';

/** The values `explain` accepts. */
export const EXPLAIN_VALUES = ['true', 'false'] as const;

/** The `explain` parameter of a request URL: false when absent, a 400 problem naming it when it is not true or false. */
export function explainOf(url: string): boolean | Problem {
  // No query string (the common case): no parsing at all.
  const q = url.indexOf('?');
  if (q < 0) return false;
  const given = new URLSearchParams(url.slice(q)).getAll('explain');
  if (!given.length) return false;
  if (given.length > 1) return invalidInput([{ name: 'explain', reason: 'must be given once' }]);
  return explainValue(given[0]);
}

/** `true` or `false` as text; anything else is a 400 problem naming `explain`. */
export function explainValue(text: string): boolean | Problem {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return invalidInput([{ name: 'explain', reason: `must be true or false, got "${text.slice(0, 40)}"` }]);
}
