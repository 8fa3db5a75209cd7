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

/** Why `value` is not a visitor id, or null when it is one. */
export function visitorProblem(value: string): string | null {
  const r = VisitorParam.safeParse(value);
  return r.success ? null : r.error.issues[0].message;
}
