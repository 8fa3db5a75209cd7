// The visitor id a site passes to be bucketed (`visitor` on GET /v1/segment
// and POST /v1/score): the site's own id or the embed's random first-party id.
// It is only ever hashed; it is never stored or echoed.
import { z } from '@hono/zod-openapi';

export const MAX_VISITOR_LENGTH = 128;

/** The query parameter, shared by validation and the OpenAPI description. */
export const VisitorParam = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_VISITOR_LENGTH, `must be at most ${MAX_VISITOR_LENGTH} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .openapi({
    description:
      'A stable id of the visitor (the embed keeps a random one in localStorage). When the visitor’s segment is in a running experiment, the answer carries `experiment`. Only ever hashed, never stored.',
    example: '6f1c2a9e-0d1b-4c55-9a51-1d2a2b8f4e01',
  });

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `value` is not a visitor id, or null when it is one: VisitorParam's
 * checks in its order, with its messages, without running the schema on
 * every request (about 1 µs of a request in workerd); a test holds the two
 * together.
 */
export function visitorProblem(value: string): string | null {
  if (value.length < 1) return 'must not be empty';
  if (value.length > MAX_VISITOR_LENGTH) return `must be at most ${MAX_VISITOR_LENGTH} characters`;
  if (CONTROL.test(value)) return 'must not contain control characters';
  return null;
}
