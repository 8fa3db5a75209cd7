// visitorProblem answers what the VisitorParam schema answers (the OpenAPI
// description's), for any text: the same ids accepted, the same first reason.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { MAX_VISITOR_LENGTH, VisitorParam, visitorProblem } from '../../worker/experiments/visitor.ts';

const schemaProblem = (v: string) => {
  const r = VisitorParam.safeParse(v);
  return r.success ? null : r.error.issues[0].message;
};

describe('visitorProblem', () => {
  it('answers as the schema does, for any text', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc.string({ unit: 'binary', maxLength: 140 }),
      fc.constantFrom('', 'a\u0000', '\u007f', 'x'.repeat(MAX_VISITOR_LENGTH), 'x'.repeat(MAX_VISITOR_LENGTH + 1)),
      fc.string({ minLength: MAX_VISITOR_LENGTH - 2, maxLength: MAX_VISITOR_LENGTH + 2 }).map((s) => `${s}\u0007`),
    );
    fc.assert(
      fc.property(text, (v) => visitorProblem(v) === schemaProblem(v)),
      { numRuns: 3000 },
    );
  });
});
