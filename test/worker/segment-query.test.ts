// GET /v1/segment checks its query by hand (worker/routes/segment.ts,
// segmentQuery) while OpenAPI describes it with the SegmentQuery schema: the
// two must accept the same queries and name the same fields when they refuse.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { issuesToParams } from '../../worker/routes/openapi-schemas.ts';
import { SegmentQuery, segmentQuery } from '../../worker/routes/segment.ts';

/** What the schema's validator is given: Hono's `queries()` with single values unwrapped. */
const asValidated = (queries: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(queries).map(([k, v]) => (v.length === 1 ? [k, v[0]] : [k, v])));

const schemaVerdict = (queries: Record<string, string[]>) => {
  const r = SegmentQuery.safeParse(asValidated(queries));
  return r.success ? null : issuesToParams(r.error.issues, 'query').map((p) => p.name);
};

const ourVerdict = (queries: Record<string, string[]>) => {
  const r = segmentQuery(queries);
  // issuesToParams joins a path's parts, turning "a.[0]" into "a[0]"; a one-part path goes through it too.
  return r.ok ? null : r.problems.map((p) => p.name.replace(/\.\[/g, '['));
};

const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('true', 'false', 'yes', '', 'visitor-1', 'a\u0007b', 'x'.repeat(128), 'x'.repeat(129)),
  fc.string({ minLength: 195, maxLength: 205 }),
);
const queries = fc.dictionary(
  fc.oneof(fc.constantFrom('age', 'region', 'explain', 'visitor', 'receipt', '_via'), fc.string({ maxLength: 8 })),
  fc.array(value, { minLength: 1, maxLength: 2 }),
  { maxKeys: 12 },
);

describe('the query of GET /v1/segment', () => {
  it('is accepted and refused as the OpenAPI schema accepts and refuses it, naming the same fields', () => {
    fc.assert(
      fc.property(queries, (q) => {
        const ours = ourVerdict(q);
        const schema = schemaVerdict(q);
        expect(ours === null).toBe(schema === null);
        if (ours && schema) expect(new Set(ours)).toEqual(new Set(schema));
        if (ours === null) expect(segmentQuery(q)).toEqual({ ok: true, query: asValidated(q) });
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses more than 100 fields, as the schema does', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}`, ['1']]));
    expect(ourVerdict(many)).toEqual(['query']);
    expect(schemaVerdict(many)).toEqual(['query']);
    expect(ourVerdict(Object.fromEntries(Object.entries(many).slice(0, 100)))).toBeNull();
  });
});
