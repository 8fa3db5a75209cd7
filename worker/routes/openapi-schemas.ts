// The schemas shared by validation and by the OpenAPI description: routes
// validate with these very objects and /openapi.json is generated from them.
import { z } from '@hono/zod-openapi';
import { invalidInput, problemResponse, type InvalidParam } from '../problem.ts';

export const Problem = z
  .object({
    type: z.string().openapi({ example: 'https://edgeseg.dev/problems/invalid-input' }),
    title: z.string().openapi({ example: 'Invalid input' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().optional().openapi({ example: 'age: must be a number, got a string' }),
    errors: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (`application/problem+json`).' });

export const problemContent = { 'application/problem+json': { schema: Problem } } as const;
export const problemReply = (description: string) => ({ description, content: problemContent });

export const Warning = z
  .object({
    field: z.string(),
    code: z.enum(['missing', 'unseen_category', 'out_of_range', 'not_finite']),
    message: z.string(),
  })
  .openapi('Warning');

export const Contribution = z
  .object({
    input: z.string().openapi({ description: 'An input, or a derived feature (logistic heads only).' }),
    value: z.union([z.number(), z.string(), z.null()]).openapi({
      description:
        'The value scored: the number after imputation, the category level, or null for a level not seen in training.',
    }),
    contribution: z.number().openapi({ description: 'Its share of the log-odds, from `base`.' }),
  })
  .openapi('Contribution');

export const Reason = z
  .object({
    base: z.number().openapi({
      description:
        "The head's log-odds with no input known: at the training mean (logistic) or the trees' expected value (boosted).",
    }),
    contributions: z.array(Contribution).openapi({
      description: 'Every input, largest |contribution| first (ties in input order); base + Σ contribution = log-odds.',
    }),
  })
  .openapi('Reason');

/** The `explain` query parameter of the scoring routes. */
export const ExplainQuery = z.object({
  explain: z.enum(['true', 'false']).optional().openapi({
    description:
      '`true` adds `reasons`, the exact explanation of each binary target; otherwise the answer is as without it.',
  }),
});

export const ScoreResult = z
  .object({
    model: z.string().openapi({ description: 'Version of the model that scored the record.', example: '8bcded8e832b' }),
    segment: z.object({ id: z.number().int(), label: z.string() }),
    scores: z
      .record(z.string(), z.number())
      .openapi({ description: 'Probability of the positive class, per binary target.', example: { purchased: 0.55 } }),
    classes: z
      .record(z.string(), z.object({ label: z.string(), probabilities: z.record(z.string(), z.number()) }))
      .optional()
      .openapi({
        description:
          'Multi-class targets only (absent otherwise): the most probable class and the probability of each class.',
        example: { plan: { label: 'pro', probabilities: { basic: 0.2, pro: 0.7, team: 0.1 } } },
      }),
    projection: z.tuple([z.number(), z.number()]).openapi({ description: '2-D map position (PCA).' }),
    warnings: z.array(Warning),
    reasons: z
      .record(z.string(), Reason)
      .optional()
      .openapi({
        description:
          'With `explain=true` only: per binary target, its log-odds as `base` plus one contribution per input (see docs/api.md).',
        example: {
          purchased: {
            base: -0.31,
            contributions: [
              { input: 'channel', value: 'app', contribution: 0.52 },
              { input: 'age', value: 29, contribution: -0.12 },
            ],
          },
        },
      }),
    experiment: z
      .object({ key: z.string(), variant: z.enum(['control', 'personalised']) })
      .optional()
      .openapi({
        description:
          'Only with a `visitor` whose segment is in a running experiment: its key and the variant to show (`control`: the default page).',
        example: { key: 'spring-hero', variant: 'personalised' },
      }),
    receipt: z.string().optional().openapi({
      description:
        'A signed receipt of this answer, with `receipt=true` (for `POST /v1/outcomes`) or for a visitor in an experiment (with its experiment claims; send it back with `POST /v1/events` when the visitor converts).',
      example: 'r1.eyJtIjoiOGJjZGVkOGU4MzJiIn0.x3Jq1dQ0bJkM5lq2Vwz3FA',
    }),
  })
  .openapi('ScoreResult');

/** `?receipt=true` on a scoring route (docs/monitoring.md). */
export const ReceiptQuery = z
  .enum(['true', 'false'])
  .optional()
  .openapi({ description: 'true: each result carries a `receipt` for reporting its outcome. Default false.' });

export const ModelVersion = z
  .object({
    version: z.string(),
    trainedAt: z.string(),
    rows: z.number().int(),
    k: z.number().int(),
    targets: z.array(z.object({ name: z.string(), rocAuc: z.number(), accuracy: z.number() })),
    publishedAt: z.string(),
    active: z.boolean(),
  })
  .openapi('ModelVersion');

/** Model versions are content hashes (see model/contract/version.ts); validate.ts allows 4–64 of a-z, 0-9, '-'. */
export const VersionParam = z.object({
  version: z
    .string()
    .regex(/^[a-z0-9-]{4,64}$/, 'must be 4–64 characters of a-z, 0-9 and -')
    .openapi({ param: { name: 'version', in: 'path' }, example: '8bcded8e832b' }),
});

/** zod issues as the `errors` of an invalid-input problem, named by where they are. */
export function issuesToParams(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  where: string,
): InvalidParam[] {
  return issues.slice(0, 50).map((i) => ({
    name: i.path.length
      ? i.path
          .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
          .join('.')
          .replace(/\.\[/g, '[')
      : where,
    reason: i.message,
  }));
}

/** A strict object's failed parse as a 400 problem, each unknown field named on its own. */
export function bodyProblem(
  issues: readonly { code?: string; keys?: string[]; path: readonly PropertyKey[]; message: string }[],
) {
  const named = issues.flatMap((i): { path: readonly PropertyKey[]; message: string }[] =>
    i.code === 'unrecognized_keys' && i.keys ? i.keys.map((k) => ({ path: [k], message: 'unknown field' })) : [i],
  );
  return problemResponse(invalidInput(issuesToParams(named, 'body')));
}

/** The defaultHook of every OpenAPIHono: a failed validation is a 400 problem, never Hono's plain JSON. */
export function validationHook(
  result:
    | { success: true }
    | {
        success: false;
        error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
        target?: string;
      },
  _c: unknown,
) {
  if (!result.success)
    return problemResponse(invalidInput(issuesToParams(result.error.issues, result.target ?? 'request')));
  return undefined;
}
