// Errors as RFC 9457 problem details (`application/problem+json`): a type, a
// title, the status, a human detail and, for bad input, every field at fault.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface InvalidParam {
  name: string;
  reason: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: ContentfulStatusCode;
  detail?: string;
  errors?: InvalidParam[];
  [extra: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://edgeseg.dev/problems/';

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const body = { type: problem.type ?? 'about:blank', ...problem };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}

export const problem = (_c: Context, p: Problem, headers?: Record<string, string>) => problemResponse(p, headers);

export const invalidInput = (errors: InvalidParam[], detail?: string): Problem => ({
  type: `${PROBLEM_TYPE_BASE}invalid-input`,
  title: 'Invalid input',
  status: 400,
  detail:
    detail ??
    errors
      .map((e) => `${e.name}: ${e.reason}`)
      .slice(0, 10)
      .join('; '),
  errors,
});

export const noModel = (): Problem => ({
  type: `${PROBLEM_TYPE_BASE}no-model`,
  title: 'No model published',
  status: 503,
  detail:
    'No model is active yet. Train and publish one: npm run train -- --data data/customers.csv --config data/customers.config.json && npm run publish -- --model models/model.json',
});

/** A bug of ours: logged by the caller, never described to the client. */
export const internalError = (): Problem => ({
  title: 'Internal error',
  status: 500,
  detail: 'an unexpected error; it has been logged',
});
