// GET /openapi.json (OpenAPI 3.1) and GET /docs (the API reference page).
// The description is generated from the zod schemas the routes validate with
// (segment, admin and webhook modules register themselves), plus the active
// model's input schema, which is what validates a record: every input with its
// type, training range or known levels.
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import type { Model } from '../../model/index.ts';
import type { AppEnv } from '../env.ts';
import { MAX_BATCH } from './score.ts';
import { adminRoutes } from './admin.ts';
import { monitorRoutes } from './monitor.ts';
import { outcomeRoutes } from './outcomes.ts';
import { experimentRoutes } from './experiments.ts';
import { eventRoutes } from './events.ts';
import { experimentResultRoutes } from './experiment-results.ts';
import { currentModel } from './model-middleware.ts';
import { ExplainQuery, Problem, ReceiptQuery, ScoreResult, problemReply } from './openapi-schemas.ts';
import { segmentRoutes } from './segment.ts';
import { SignupScored, WebhookHeaders, webhookRoutes } from './webhooks.ts';
import { DRIFT_EVENT, FORWARDED_TYPE } from '../durable/webhook-ledger.ts';
import { addExamples, exampleOf } from './openapi-examples.ts';
import { VisitorParam } from '../experiments/visitor.ts';

/** The repository carries no open-source licence: the API is offered on the owner's terms. */
const LICENSE = { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-edgeseg-proprietary' };

const contract = new OpenAPIHono<AppEnv>();
contract.route('/', segmentRoutes);
contract.route('/', adminRoutes);
contract.route('/', monitorRoutes);
contract.route('/', outcomeRoutes);
contract.route('/', experimentRoutes);
contract.route('/', eventRoutes);
contract.route('/', experimentResultRoutes);
contract.route('/', webhookRoutes);
contract.openAPIRegistry.register('Problem', Problem);

/** Replaced in the document by the active model's inputs. */
const RecordSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()])).openapi('Record', {
  description: "One customer's raw fields by name; a missing field is imputed and reported in `warnings`.",
});

contract.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/score',
  operationId: 'score',
  summary: 'Score one record (public) or a batch (API key)',
  description: `One record; or a batch of at most ${MAX_BATCH} (needs \`Authorization: Bearer <key>\`) as \`{ "records": [...] }\` or as a table \`{ "columns": [...], "data": [[...], ...] }\`, scored in order. Public calls are rate-limited per client IP, keyed calls per key.`,
  tags: ['Scoring'],
  security: [{}, { apiKey: [] }],
  request: {
    query: ExplainQuery.extend({ receipt: ReceiptQuery, visitor: VisitorParam.optional() }),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.union([
            RecordSchema,
            z.object({ records: z.array(RecordSchema).min(1).max(MAX_BATCH) }),
            z
              .object({
                columns: z.array(z.string()).min(1),
                data: z
                  .array(z.array(z.union([z.number(), z.string(), z.null()])))
                  .min(1)
                  .max(MAX_BATCH),
                index: z.array(z.unknown()).optional(),
              })
              .openapi('Table', {
                description:
                  'Rows of values in the order of `columns` (pandas `to_json(orient="split")`; `index` is ignored): the compact batch form, a third of the bytes of `records`.',
              }),
          ]),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The score of the record, or `results` in the order of `records` or of the rows of `data`.',
      content: {
        'application/json': {
          schema: z.union([
            ScoreResult,
            z.object({ model: z.string(), results: z.array(ScoreResult.omit({ model: true })) }),
          ]),
        },
      },
    },
    400: problemReply(
      'A field is unknown or of the wrong type (named as `age`, `records[3].age` or `data[3].age`), a column is unknown or named twice, a row has the wrong length, the body is not a JSON object, or `explain` is not true or false.',
    ),
    401: problemReply('A batch without a valid API key, or a wrong key.'),
    413: problemReply('Body larger than 1 MiB.'),
    415: problemReply('Not sent as JSON.'),
    429: problemReply('Rate limit reached; see Retry-After.'),
    503: problemReply('No model is published yet, or receipt=true without RECEIPT_SECRET.'),
  },
});

contract.openAPIRegistry.registerPath({
  method: 'get',
  path: '/v1/model',
  operationId: 'getModel',
  summary: 'The active model: inputs, segments with profiles, held-out metrics',
  tags: ['Scoring'],
  security: [],
  responses: {
    200: {
      description: 'No raw weights. ETag is the version.',
      content: { 'application/json': { schema: z.object({ version: z.string() }).passthrough() } },
    },
    304: { description: 'Not modified: the If-None-Match ETag is the active version.' },
    503: problemReply('No model is published yet.'),
  },
});

contract.openAPIRegistry.registerPath({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  summary: 'Liveness and the model version this isolate serves',
  tags: ['Operators'],
  security: [],
  responses: {
    200: {
      description: 'Asked repeatedly, shows a rollout or rollback reaching each isolate.',
      content: {
        'application/json': {
          schema: z.object({
            status: z.literal('ok'),
            model: z.string().nullable(),
            isolate: z.string(),
            loadedAt: z.string().nullable(),
            lastError: z.string().optional(),
          }),
        },
      },
    },
  },
});

contract.openAPIRegistry.registerPath({
  method: 'get',
  path: '/v1/embed.js',
  operationId: 'getEmbedScript',
  summary: 'The script websites include to personalise per segment',
  description:
    'A script element with `src` …/v1/embed.js, `data-fields="region=West&age=34"` and `async` sets `data-segment`, `data-segment-label` and `data-segment-state` on `<html>` and dispatches `edgeseg:segment` (detail: the score) or `edgeseg:error` on `document`. `window.edgeseg.segment({…})` asks again.',
  tags: ['Websites'],
  security: [],
  responses: {
    200: { description: 'JavaScript, cached an hour, ETag.', content: { 'text/javascript': { schema: z.string() } } },
    304: { description: 'Not modified: the If-None-Match ETag is current.' },
  },
});

// Registered here, not in webhooks.ts: a mounted app's webhooks get a path prefix.
contract.openAPIRegistry.registerWebhook({
  method: 'post',
  path: FORWARDED_TYPE,
  operationId: 'signupScored',
  summary: 'A scored sign-up, forwarded to FORWARD_URL',
  description:
    'Signed with FORWARD_SECRET like the incoming webhook (`webhook-id` is `scored_<incoming id>`); retried with back-off until a 2xx.',
  security: [],
  request: {
    headers: WebhookHeaders,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            type: z.literal(FORWARDED_TYPE),
            timestamp: z.string(),
            data: SignupScored.extend({ sourceType: z.string() }),
          }),
        },
      },
    },
  },
  responses: { 200: { description: 'Any 2xx acknowledges the event.' } },
});

contract.openAPIRegistry.registerWebhook({
  method: 'post',
  path: DRIFT_EVENT,
  operationId: 'modelDrift',
  summary: 'Live drift or a fall in live accuracy, sent to ALERT_URL',
  description:
    'Sent by the hourly drift check once per condition and model version (docs/monitoring.md), signed with ALERT_SECRET (FORWARD_SECRET when it is unset) through the same outbox and retries as forwarded sign-ups (`webhook-id` is `scored_drift_<model>_<ms>`).',
  security: [],
  request: {
    headers: WebhookHeaders,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            type: z.literal(DRIFT_EVENT),
            timestamp: z.string(),
            data: z.object({
              model: z.string(),
              window: z.object({ name: z.string(), from: z.string().nullable(), to: z.string() }),
              records: z.number().int(),
              conditions: z.array(
                z.object({
                  condition: z.string().openapi({
                    description: '`input:<name>`, `segments`, `score:<target>` or `auc:<target>`.',
                  }),
                  psi: z.number().optional(),
                  rocAuc: z.number().optional(),
                  trainingRocAuc: z.number().optional(),
                  outcomes: z.number().int().optional(),
                }),
              ),
            }),
          }),
        },
      },
    },
  },
  responses: { 200: { description: 'Any 2xx acknowledges the event.' } },
});

// biome-ignore lint/suspicious/noExplicitAny: OpenAPI objects built at run time from zod's output, walked as plain JSON
type Json = Record<string, any>;

/** JSON Schema of one record, from the model's inputs: what readRecord accepts. */
export function recordJsonSchema(model: Model): Json {
  const properties: Json = {};
  for (const f of model.inputs) {
    properties[f.name] =
      f.type === 'number'
        ? {
            type: ['number', 'null'],
            description: `${f.label ?? f.name}. Training range ${f.min}..${f.max}; missing → ${f.impute}.`,
            examples: [f.impute],
          }
        : {
            type: ['string', 'null'],
            description: `${f.label ?? f.name}. Known levels: ${f.levels.join(', ')} (others are treated as unseen); missing → ${f.impute}.`,
            examples: f.levels.slice(0, 5),
          };
  }
  return {
    type: 'object',
    description: `A record for model ${model.version}; every field is optional.`,
    properties,
    additionalProperties: false,
  };
}

let cachedDoc: { key: string; doc: Json } | null = null;

export function openApiDocument(origin: string, model: Model | null): Json {
  const key = `${origin} ${model?.version ?? '-'}`;
  if (cachedDoc?.key === key) return cachedDoc.doc;
  const doc = contract.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'edgeseg',
      license: LICENSE,
      version: model?.version ?? 'no model published',
      description:
        'Customer segmentation and purchase prediction at the edge. Errors are `application/problem+json` (RFC 9457). ' +
        'Public routes are rate-limited per client IP and CORS-controlled; batch scoring and /v1/admin/* need `Authorization: Bearer <key>`.',
    },
    servers: [{ url: origin }],
  }) as Json;
  if (model) {
    doc.components.schemas.Record = recordJsonSchema(model);
    const segment = doc.paths['/v1/segment']?.get;
    if (segment) {
      const inputs = new Set(model.inputs.map((f) => f.name));
      // Declared parameters that are not fields (visitor) stay; the fields are the model's inputs.
      const declared = ((segment.parameters ?? []) as Json[]).filter((p) => !inputs.has(p.name));
      segment.parameters = model.inputs.map((f) => ({
        name: f.name,
        in: 'query',
        required: false,
        description:
          f.type === 'number' ? `number (training range ${f.min}..${f.max})` : `one of ${f.levels.join(', ')}`,
        schema: { type: 'string' },
      }));
      segment.parameters.push(...declared);
    }
  }
  const record = (model ? exampleOf(doc, doc.components.schemas.Record) : { age: 34, region: 'West' }) as Json;
  const { reasons, ...result } = exampleOf(doc, doc.components.schemas.ScoreResult) as Json;
  const { model: _version, ...row } = result;
  const columns = Object.keys(record);
  addExamples(doc, {
    score: {
      request: {
        record: { summary: 'One record (public)', value: record },
        records: { summary: 'A batch as records (API key)', value: { records: [record, record] } },
        table: { summary: 'A batch as a table (API key)', value: { columns, data: [columns.map((c) => record[c])] } },
      },
      responses: {
        '200': {
          record: { summary: 'One record', value: result },
          batch: { summary: 'A batch', value: { model: result.model, results: [row, row] } },
          explained: { summary: 'One record with explain=true', value: { ...result, reasons } },
        },
      },
    },
  });
  cachedDoc = { key, doc };
  return doc;
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem 1.5rem;color:#1d2330}
h1{margin-bottom:.2rem} h2{margin-top:2.2rem;border-bottom:1px solid #dde} code,pre{font:13px ui-monospace,monospace}
pre{background:#f4f5f8;padding:.6rem;overflow:auto;max-height:22rem} .op{margin:1.4rem 0;padding:.2rem 1rem;border-left:4px solid #4a6cf7}
.m{display:inline-block;min-width:3.5rem;font-weight:700;text-transform:uppercase} .key{color:#a33;font-size:12px}
table{border-collapse:collapse} td,th{border:1px solid #dde;padding:.2rem .5rem;text-align:left;vertical-align:top}
`;
let styleHash: string | null = null;

const schemaText = (schema: unknown) => JSON.stringify(schema, null, 2);
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** Escaped text with `code` spans, the only markdown the descriptions use. */
const prose = (text: unknown) => raw(escapeHtml(String(text ?? '')).replace(/`([^`]+)`/g, '<code>$1</code>'));

function renderReference(doc: Json) {
  const ops: { tag: string; method: string; path: string; op: Json }[] = [];
  for (const [path, item] of Object.entries<Json>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) ops.push({ tag: op.tags?.[0] ?? 'Other', method, path, op });
  }
  const tags = [...new Set(ops.map((o) => o.tag))];
  const operation = ({ method, path, op }: { method: string; path: string; op: Json }) => html`
    <div class="op" id="${method}-${path}">
      <h3><span class="m">${method}</span> <code>${path}</code> ${op.security?.some((s: Json) => 'apiKey' in s) ? html`<span class="key">API key</span>` : ''}</h3>
      <p><strong>${prose(op.summary)}</strong></p>
      ${op.description ? html`<p>${prose(op.description)}</p>` : ''}
      ${
        op.parameters?.length
          ? html`<table><tr><th>parameter</th><th>in</th><th>about</th></tr>${op.parameters.map(
              (p: Json) =>
                html`<tr><td><code>${p.name}</code>${p.required ? ' *' : ''}</td><td>${p.in}</td><td>${prose(p.description ?? p.schema?.description ?? p.schema?.type)}</td></tr>`,
            )}</table>`
          : ''
      }
      ${
        op.requestBody
          ? html`<p>Body (${Object.keys(op.requestBody.content ?? {}).join(', ')}):</p><pre>${schemaText(Object.values<Json>(op.requestBody.content ?? {})[0]?.schema)}</pre>`
          : ''
      }
      <table><tr><th>status</th><th>meaning</th></tr>${Object.entries<Json>(op.responses ?? {}).map(
        ([status, r]) => html`<tr><td>${status}</td><td>${prose(r.description)}</td></tr>`,
      )}</table>
    </div>`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>edgeseg API reference</title><style>${raw(STYLE)}</style></head>
<body>
<h1>edgeseg API</h1>
<p>${prose(doc.info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${doc.openapi}) · model ${doc.info.version}</p>
${tags.map((tag) => html`<h2>${tag}</h2>${ops.filter((o) => o.tag === tag).map(operation)}`)}
${doc.webhooks ? html`<h2>Webhooks edgeseg sends</h2>${Object.entries<Json>(doc.webhooks).map(([name, item]) => operation({ method: 'post', path: name, op: item.post }))}` : ''}
<h2>Schemas</h2>
${Object.entries<Json>(doc.components?.schemas ?? {}).map(([name, s]) => html`<h3 id="schema-${name}">${name}</h3><pre>${schemaText(s)}</pre>`)}
</body></html>`;
}

export const openApiRoutes = new Hono<AppEnv>();

openApiRoutes.get('/openapi.json', async (c) => {
  const loaded = await currentModel(c);
  c.header('cache-control', 'public, max-age=60');
  return c.json(openApiDocument(new URL(c.req.url).origin, loaded?.compiled.model ?? null));
});

openApiRoutes.get('/docs', async (c) => {
  const loaded = await currentModel(c);
  const doc = openApiDocument(new URL(c.req.url).origin, loaded?.compiled.model ?? null);
  styleHash ??= btoa(String.fromCharCode(...(await sha256Bytes(STYLE))));
  c.header(
    'content-security-policy',
    `default-src 'none'; style-src 'sha256-${styleHash}'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
  );
  c.header('cache-control', 'public, max-age=60');
  return c.html(renderReference(doc));
});

async function sha256Bytes(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
