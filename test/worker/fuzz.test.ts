// Property tests: random and hostile methods, paths, query strings, headers,
// bodies and signatures, sent to every route. Whatever arrives, the answer is
// a 2xx/3xx/4xx with a well-formed body (problem+json for every 4xx), secure
// headers are on it, it comes back promptly, and the published models are
// exactly as they were.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { direct } from '../support/worker-direct.ts';
import { OPERATOR_KEY, signedHeaders } from '../support/keys.ts';
import { sampleModelText, seedModel } from '../support/worker.ts';

const RUNS = 400;
const TIME_LIMIT_MS = 20_000;
const ANSWER_WITHIN_MS = 5_000;

let version: string;
let modelKeys: string[];
beforeAll(async () => {
  version = await seedModel();
  modelKeys = (await env.MODELS.list({ prefix: 'model:' })).keys.map((k) => k.name).sort();
});

// ---- arbitraries -----------------------------------------------------------

/** Any text, including control characters, lone surrogates and very long runs. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '%',
    '%zz',
    '%E0%A4%A',
    '../..',
    '__proto__',
    'constructor',
    'NaN',
    'Infinity',
    '-0',
    '1e309',
    'null',
    '[]',
    '{}',
    '🙂',
    'x'.repeat(5000),
  ),
);

/** What a client can put in a header: printable ASCII (CR, LF and NUL cannot be sent at all). */
const headerValue = anyText.map((s) => s.replace(/[^\u0020-\u007e]/g, '?').slice(0, 8000));

const sampleFields = [
  'age',
  'annual_income',
  'spending_score',
  'visits_per_month',
  'avg_basket',
  'tenure_months',
  'region',
  'channel',
  'loyalty_tier',
];
const fieldName = fc.oneof(fc.constantFrom(...sampleFields), anyText);
const fieldValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), anyText, fc.double(), fc.integer());

/** A record-like object: mostly the model's fields, with hostile names and values mixed in. */
const recordLike = fc.dictionary(fieldName, fieldValue, { maxKeys: 12 });

const queryString = fc.oneof(
  fc.dictionary(fieldName, anyText, { maxKeys: 10 }).map((q) => new URLSearchParams(q).toString()),
  fc.webQueryParameters(),
  anyText.map((s) => encodeURI(s.replace(/[\uD800-\uDFFF]/g, '?'))),
  fc
    .array(fc.tuple(fc.constantFrom(...sampleFields), anyText), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString()),
);

const jsonBody = fc
  .oneof(
    recordLike,
    fc.record({ records: fc.oneof(fc.array(recordLike, { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })) }),
    fc.jsonValue({ maxDepth: 4 }),
  )
  .map((v) => JSON.stringify(v));

/** A model document with one part replaced or removed (anything but a clean copy). */
const mutatedModel = fc
  .tuple(
    fc.constantFrom('format', 'version', 'inputs', 'features', 'segmentation', 'targets', 'projection', 'training'),
    fc.jsonValue({ maxDepth: 2 }),
    fc.boolean(),
  )
  .map(([key, value, remove]) => {
    const m = JSON.parse(sampleModelText());
    if (remove) delete m[key];
    else m[key] = value;
    return JSON.stringify(m);
  });

/** Sign-ups a back end could plausibly send: the model's fields with values of either type, sometimes absent. */
const plausibleData = fc.record(
  {
    email: fc.emailAddress(),
    age: fc.oneof(fc.integer({ min: -5, max: 130 }), fc.integer({ min: 0, max: 99 }).map(String), fc.constant(null)),
    annual_income: fc.oneof(fc.double({ min: 0, max: 500, noNaN: true }), fc.constant('')),
    region: fc.oneof(fc.constantFrom('West', 'East', 'north', ' SOUTH '), anyText),
    channel: fc.constantFrom('app', 'web', 'store', 'fax'),
  },
  { requiredKeys: [] },
);

const signupBody = fc
  .record(
    {
      type: fc.oneof(fc.constant('user.created'), fc.jsonValue({ maxDepth: 1 })),
      timestamp: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      data: fc.oneof(plausibleData, plausibleData, recordLike, fc.jsonValue({ maxDepth: 3 })),
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.stringify(v));

const body = fc.oneof(
  { weight: 4, arbitrary: jsonBody },
  { weight: 2, arbitrary: signupBody },
  { weight: 2, arbitrary: mutatedModel },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.constant('{"age": NaN}') },
  { weight: 1, arbitrary: fc.nat({ max: 3 }).map((n) => '['.repeat(5000 * (n + 1))) },
);

const authorization = fc.option(
  fc.oneof(
    fc.constant(`Bearer ${OPERATOR_KEY}`),
    headerValue.map((v) => `Bearer ${v}`),
    fc.constantFrom(
      'Bearer',
      'Bearer ',
      `bearer ${OPERATOR_KEY}`,
      `Basic ${btoa(`a:${OPERATOR_KEY}`)}`,
      `Bearer ${OPERATOR_KEY} extra`,
    ),
    headerValue,
  ),
  { nil: undefined },
);

/** A version or id segment: random, encoded, or hostile; never one of the stored versions. */
const segment = fc
  .oneof(anyText, fc.webSegment(), fc.stringMatching(/^[a-z0-9-]{4,64}$/))
  .map((s) => (s === version ? `${s}x` : s));
const encodedSegment = fc
  .tuple(segment, fc.boolean())
  .map(([s, raw]) =>
    raw ? s.replace(/[/?#\s\uD800-\uDFFF]/g, '_') : encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?')),
  );

const route = fc.oneof(
  fc.constantFrom(
    '/health',
    '/v1/model',
    '/v1/score',
    '/v1/segment',
    '/v1/embed.js',
    '/v1/webhooks/signup',
    '/v1/admin/models',
    '/v1/admin/webhooks/events',
    '/v1/admin/experiments',
    '/v1/events',
    '/openapi.json',
    '/docs',
    '/v1/nope',
  ),
  encodedSegment.map((v) => `/v1/admin/models/${v}`),
  encodedSegment.map((v) => `/v1/admin/models/${v}/activate`),
  encodedSegment.map((v) => `/v1/admin/webhooks/events/${v}/replay`),
  encodedSegment.map((v) => `/v1/admin/experiments/${v}`),
  encodedSegment.map((v) => `/v1/admin/experiments/${v}/stop`),
);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

const request: fc.Arbitrary<Sent> = fc.record({
  method,
  path: route,
  query: fc.option(queryString, { nil: undefined }),
  body,
  contentType: fc.option(
    fc.oneof(
      fc.constantFrom(
        'application/json',
        'application/problem+json',
        'text/plain',
        'multipart/form-data',
        'application/json; charset=utf-8',
      ),
      headerValue,
    ),
    { nil: undefined },
  ),
  authorization,
  webhook: fc.oneof(
    fc.constant('none' as const),
    fc.constant('signed' as const),
    fc.record({
      id: headerValue,
      timestamp: fc.oneof(headerValue, fc.integer().map(String)),
      signature: fc.oneof(
        headerValue,
        fc.base64String().map((s) => `v1,${s}`),
      ),
    }),
  ),
  extra: fc.dictionary(
    fc.constantFrom(
      'if-none-match',
      'origin',
      'accept',
      'access-control-request-method',
      'access-control-request-headers',
      'x-forwarded-for',
      'cookie',
    ),
    headerValue,
    { maxKeys: 4 },
  ),
  ip: fc.ipV4(),
});

interface Sent {
  method: string;
  path: string;
  query: string | undefined;
  body: string;
  contentType: string | undefined;
  authorization: string | undefined;
  webhook: 'none' | 'signed' | { id: string; timestamp: string; signature: string };
  extra: Record<string, string>;
  ip: string;
}

// ---- the property ----------------------------------------------------------

function build(r: Sent): { path: string; init: RequestInit } {
  const headers = new Headers();
  for (const [k, v] of Object.entries(r.extra)) headers.set(k, v);
  headers.set('cf-connecting-ip', r.ip); // spread the load over many clients so limits rarely cut a run short
  if (r.contentType !== undefined) headers.set('content-type', r.contentType);
  if (r.authorization !== undefined) headers.set('authorization', r.authorization);
  if (r.webhook === 'signed') {
    for (const [k, v] of Object.entries(signedHeaders(r.body))) if (k !== 'content-type') headers.set(k, v);
  } else if (r.webhook !== 'none') {
    headers.set('webhook-id', r.webhook.id);
    headers.set('webhook-timestamp', r.webhook.timestamp);
    headers.set('webhook-signature', r.webhook.signature);
  }
  const hasBody = !['GET', 'HEAD'].includes(r.method);
  return {
    path: r.path + (r.query !== undefined ? `?${r.query}` : ''),
    init: { method: r.method, headers, body: hasBody ? r.body : undefined },
  };
}

async function answerWithin(path: string, init: RequestInit): Promise<Response> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([direct(path, init), hang]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkAnswer(r: Sent): Promise<void> {
  const { path, init } = build(r);
  const res = await answerWithin(path, init);
  const where = `${r.method} ${path.slice(0, 120)} → ${res.status}`;
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  expect(res.status, where).toBeLessThan(500);
  expect(res.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(res.headers.get('content-security-policy'), where).toBeTruthy();
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  if (r.method === 'HEAD') {
    expect(text, where).toBe('');
  } else if (res.status >= 400) {
    expect(type, where).toContain('application/problem+json');
    const problem = JSON.parse(text);
    expect(problem.status, where).toBe(res.status);
    expect(typeof problem.title, where).toBe('string');
    expect(text, where).not.toContain(OPERATOR_KEY);
    expect(text, where).not.toContain(env.WEBHOOK_SECRET!.slice(6));
  } else if (type.includes('json') && res.status !== 204 && res.status !== 304) {
    expect(() => JSON.parse(text), where).not.toThrow();
  }
}

async function modelsUnchanged(): Promise<void> {
  expect(await env.MODELS.get('model:active')).toBe(version);
  expect((await env.MODELS.list({ prefix: 'model:' })).keys.map((k) => k.name).sort()).toEqual(modelKeys);
  const health = await (await direct('/health')).json<any>();
  expect(health.model).toBe(version);
}

const params = { numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT_MS, endOnFailure: true };

describe('hostile requests', () => {
  it('to any route: a 2xx–4xx answer with a valid body, never a 5xx or a hang', async () => {
    await fc.assert(fc.asyncProperty(request, checkAnswer), params);
    await modelsUnchanged();
  }, 60_000);

  it('to the webhook route, signed and unsigned: refused or scored, never a 5xx', async () => {
    const webhook = fc
      .record({ r: request, body: fc.oneof(signupBody, signupBody, body), signed: fc.boolean() })
      .map(({ r, body, signed }) => ({
        ...r,
        method: 'POST',
        path: '/v1/webhooks/signup',
        body,
        webhook: signed ? ('signed' as const) : r.webhook,
      }));
    await fc.assert(fc.asyncProperty(webhook, checkAnswer), params);
    await modelsUnchanged();
  }, 60_000);

  it('to the admin routes with a valid key: malformed models and versions are refused and the model stays', async () => {
    const admin = fc
      .record({
        r: request,
        path: fc.oneof(
          fc.constant('/v1/admin/models'),
          encodedSegment.map((v) => `/v1/admin/models/${v}/activate`),
          encodedSegment.map((v) => `/v1/admin/webhooks/events/${v}/replay`),
          fc.constant('/v1/admin/experiments'),
          encodedSegment.map((v) => `/v1/admin/experiments/${v}/stop`),
        ),
        body: fc.oneof(mutatedModel, jsonBody, anyText),
      })
      .map(({ r, path, body }) => ({
        ...r,
        method: 'POST',
        path,
        body,
        authorization: `Bearer ${OPERATOR_KEY}`,
        contentType: 'application/json',
      }));
    await fc.assert(fc.asyncProperty(admin, checkAnswer), params);
    await modelsUnchanged();
  }, 60_000);

  it('to the public scoring routes with field-like input: scored or refused with named fields', async () => {
    const scoring = fc.oneof(
      fc
        .record({ r: request, q: queryString })
        .map(({ r, q }) => ({ ...r, method: 'GET', path: '/v1/segment', query: q })),
      fc.record({ r: request, b: jsonBody }).map(({ r, b }) => ({
        ...r,
        method: 'POST',
        path: '/v1/score',
        body: b,
        contentType: 'application/json',
        authorization: undefined,
      })),
    );
    await fc.assert(fc.asyncProperty(scoring, checkAnswer), params);
    await modelsUnchanged();
  }, 60_000);
});

it('still scores normally after the onslaught', async () => {
  const res = await direct('/v1/segment?age=30&region=West');
  expect(res.status).toBe(200);
  expect((await res.json<any>()).model).toBe(version);
  expect(inject('sampleModel')).toBe(sampleModelText());
});
