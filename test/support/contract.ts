// The contract checked against reality: every answer a worker test receives
// (success or problem) is validated against the schema /openapi.json gives
// for that operation (found by method and path template), status and media
// type, so an answer that drifts from the document fails the test that got
// it. Requests the document does not describe (the dashboard, /docs,
// preflights, unknown paths) are not checked. JSON Schema 2020-12 with
// @cfworker/json-schema: ajv compiles validators with `new Function`, which
// workerd refuses.
import { Validator } from '@cfworker/json-schema';

type Json = Record<string, any>;
type Fetch = (path: string) => Promise<Response>;

let cached: { text: string; doc: Json; validators: Map<string, Validator> } | null = null;

/** Component references rewritten to `$defs`, where a standalone schema keeps them. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(v);
  }
  return out;
}

async function document(fetchDoc: Fetch) {
  const text = await (await fetchDoc('/openapi.json')).text();
  if (cached?.text !== text) cached = { text, doc: JSON.parse(text), validators: new Map() };
  return cached;
}

function findOperation(doc: Json, method: string, pathname: string): { template: string; op: Json } | null {
  let best: { template: string; op: Json } | null = null;
  for (const [template, item] of Object.entries<Json>(doc.paths ?? {})) {
    const op = item[method.toLowerCase()];
    if (!op) continue;
    if (template === pathname) return { template, op };
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`);
    if (pattern.test(pathname)) best = { template, op };
  }
  return best;
}

/** Throws when `res` is not what the document promises for `method url`; returns `res` untouched. */
export async function checkAnswer(fetchDoc: Fetch, method: string, url: string, res: Response): Promise<Response> {
  if (method === 'OPTIONS' || method === 'HEAD') return res;
  const pathname = new URL(url, 'http://edgeseg.test').pathname;
  const { doc, validators } = await document(fetchDoc);
  const found = findOperation(doc, method, pathname);
  if (!found) return res;
  const where = `${method} ${pathname} (${found.op.operationId}) answered ${res.status}`;
  const responses: Json = found.op.responses ?? {};
  const response = responses[String(res.status)] ?? responses[`${String(res.status)[0]}XX`] ?? responses.default;
  if (!response)
    throw new Error(`${where}, a status /openapi.json does not list (it lists ${Object.keys(responses).join(', ')})`);
  const body = await res.clone().text();
  const content: Json | undefined = response.content;
  if (!content || body === '') {
    if (body !== '' && res.status !== 200)
      throw new Error(`${where} with a body, but /openapi.json gives that status none`);
    return res;
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  const media = content[type];
  if (!media)
    throw new Error(`${where} as ${type || 'no content type'}; /openapi.json gives ${Object.keys(content).join(', ')}`);
  if (!type.includes('json') || !media.schema) return res;
  const key = `${found.template} ${method} ${res.status} ${type}`;
  let validator = validators.get(key);
  if (!validator) {
    const schema = { ...(rewriteRefs(media.schema) as Json), $defs: rewriteRefs(doc.components?.schemas ?? {}) };
    validator = new Validator(schema, '2020-12', false);
    validators.set(key, validator);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`${where} with a body that is not JSON: ${body.slice(0, 200)}`);
  }
  const result = validator.validate(value);
  if (!result.valid) {
    const errors = result.errors
      .filter((e) => !/^(anyOf|allOf|oneOf|\$ref|properties|items|prefixItems)$/.test(e.keyword))
      .slice(0, 5);
    throw new Error(
      `${where} with a body that does not match its schema in /openapi.json:\n${(errors.length ? errors : result.errors.slice(0, 5)).map((e) => `  ${e.instanceLocation}: ${e.error}`).join('\n')}\n  body: ${body.slice(0, 300)}`,
    );
  }
  return res;
}
