// Examples for /openapi.json: every JSON request body and answer gets one.
// Most are made from the schema they illustrate (its own `example`s, the
// first of an enum, a value of the right type), so they cannot drift from it;
// a record to score is made from the active model's inputs, and a problem
// from its status and description. Redocly's lint checks each one against
// its schema (no-invalid-media-type-examples, see redocly.yaml).

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI objects built at run time from zod's output, walked as plain JSON
type Json = Record<string, any>;

const PROBLEM_TITLES: Record<string, [string, string]> = {
  '400': ['invalid-input', 'Invalid input'],
  '401': ['unauthorized', 'Unauthorized'],
  '404': ['not-found', 'Not found'],
  '409': ['conflict', 'Conflict'],
  '413': ['too-large', 'Payload too large'],
  '415': ['unsupported-media-type', 'Unsupported media type'],
  '422': ['invalid-model', 'Unprocessable content'],
  '429': ['rate-limited', 'Too many requests'],
  '503': ['no-model', 'No model published'],
};

function resolve(doc: Json, schema: Json): Json {
  let s = schema;
  for (let n = 0; s?.$ref && n < 10; n++)
    s = doc.components?.schemas?.[String(s.$ref).replace('#/components/schemas/', '')] ?? {};
  return s ?? {};
}

/** A value valid against `schema` (the subset of JSON Schema the document uses). */
export function exampleOf(doc: Json, schema: Json, depth = 0): unknown {
  const s = resolve(doc, schema);
  if (depth > 8) return null;
  if ('example' in s) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const choice = s.anyOf ?? s.oneOf;
  if (Array.isArray(choice)) return exampleOf(doc, choice[0], depth + 1);
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((p: Json) => exampleOf(doc, p, depth + 1)));
  const type = Array.isArray(s.type) ? (s.type.find((t: string) => t !== 'null') ?? 'null') : s.type;
  switch (type) {
    case 'string':
      return s.format === 'date-time'
        ? '2026-01-01T00:00:00.000Z'
        : s.format === 'uri'
          ? 'https://example.com/'
          : 'text';
    case 'number':
    case 'integer':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      if (Array.isArray(s.prefixItems)) return s.prefixItems.map((p: Json) => exampleOf(doc, p, depth + 1));
      const n = Math.max(1, s.minItems ?? 0);
      return Array.from({ length: n }, () => exampleOf(doc, s.items ?? {}, depth + 1));
    }
    default: {
      const out: Json = {};
      for (const [name, p] of Object.entries<Json>(s.properties ?? {})) out[name] = exampleOf(doc, p, depth + 1);
      return out;
    }
  }
}

function problemExample(status: string, description: string): Json {
  const [slug, title] = PROBLEM_TITLES[status] ?? ['bad-request', 'Bad request'];
  return {
    type: `https://edgeseg.dev/problems/${slug}`,
    title,
    status: Number(status),
    detail: description.replace(/`/g, ''),
  };
}

/** Fills in an example for each JSON body and answer that has none; `overrides` by operationId wins. */
export function addExamples(
  doc: Json,
  overrides: Record<string, { request?: Json; responses?: Record<string, Json> }> = {},
): void {
  const operations: Json[] = [];
  for (const item of Object.values<Json>({ ...doc.paths, ...doc.webhooks })) {
    for (const op of Object.values<Json>(item)) if (op && typeof op === 'object' && op.responses) operations.push(op);
  }
  for (const op of operations) {
    const own = overrides[op.operationId] ?? {};
    for (const [type, media] of Object.entries<Json>(op.requestBody?.content ?? {})) {
      if (!type.includes('json') || media.example !== undefined || media.examples) continue;
      if (own.request) media.examples = own.request;
      else media.example = exampleOf(doc, media.schema ?? {});
    }
    for (const [status, response] of Object.entries<Json>(op.responses)) {
      for (const [type, media] of Object.entries<Json>(response.content ?? {})) {
        if (media.example !== undefined || media.examples) continue;
        if (type === 'application/problem+json') media.example = problemExample(status, response.description ?? '');
        else if (own.responses?.[status]) media.examples = own.responses[status];
        else if (type.includes('json')) media.example = exampleOf(doc, media.schema ?? {});
      }
    }
  }
}
