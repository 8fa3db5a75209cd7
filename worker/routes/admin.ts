// /v1/admin/* — model operations and the webhook outbox, for operators with an
// API key. Publishing goes through model/contract/publish.ts, the contract the CLI's
// `npm run publish` uses too: the same validation (including version = hash of
// content) and the same `model:<version>` / `model:active` layout. A refused
// upload never touches `model:active`, so scoring carries on.
//
// Activation takes effect at once in the isolate that handled it; every other
// isolate re-reads `model:active` within MODEL_REFRESH_SECONDS (plus KV's own
// propagation, up to 60 s across locations). GET /health shows, per isolate,
// which version it serves.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import {
  ACTIVE_KEY,
  MODEL_PREFIX,
  checkModelDocument,
  modelKey,
  publishModel,
  type Model,
  type ModelMetadata,
  READABLE_FORMATS,
  ModelError,
} from '../../model/index.ts';
import { requireApiKey } from '../auth.ts';
import { readText } from '../body.ts';
import type { AppEnv } from '../env.ts';
import { activeModel, markModelStale, modelCacheState } from '../model-store.ts';
import { problemResponse, PROBLEM_TYPE_BASE, type InvalidParam } from '../problem.ts';
import { limitPerKey } from '../rate-limit.ts';
import { refreshSeconds } from './model-middleware.ts';
import { ModelVersion, VersionParam, problemReply, validationHook } from './openapi-schemas.ts';
import { ledger } from './webhooks.ts';

/** Models are ~10–100 KB; this leaves room for wide schemas while bounding what a key holder can send. */
export const MAX_MODEL_BYTES = 4 * 1024 * 1024;

export const adminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
adminRoutes.use('/v1/admin/*', requireApiKey, limitPerKey);

adminRoutes.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
  type: 'http',
  scheme: 'bearer',
  description: 'An API key whose SHA-256 is listed in the API_KEY_HASHES secret.',
});
const security = [{ apiKey: [] }];
const common = {
  401: problemReply('Missing or wrong API key.'),
  429: problemReply('Rate limit for this key reached; see Retry-After.'),
};

const notFound = (detail: string) =>
  problemResponse({ type: `${PROBLEM_TYPE_BASE}not-found`, title: 'Not found', status: 404, detail });

/** Makes this isolate serve what `model:active` now says, before answering. */
async function serveActiveNow(c: { env: AppEnv['Bindings'] }): Promise<string | null> {
  await modelCacheState().refreshing?.catch(() => {}); // an in-flight read may predate our write
  markModelStale();
  const loaded = await activeModel(c.env.MODELS, refreshSeconds(c.env));
  return loaded?.version ?? null;
}

async function listVersions(kv: KVNamespace): Promise<ModelMetadata[]> {
  const out: ModelMetadata[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<ModelMetadata> = await kv.list<ModelMetadata>({ prefix: MODEL_PREFIX, cursor });
    for (const key of page.keys) {
      if (key.name === ACTIVE_KEY) continue;
      const version = key.name.slice(MODEL_PREFIX.length);
      out.push(key.metadata ?? { version, trainedAt: '', rows: 0, k: 0, targets: [], publishedAt: '' });
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.version.localeCompare(b.version));
}

// GET /v1/admin/models
adminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/models',
    operationId: 'listModels',
    summary: 'List published model versions with their held-out metrics',
    tags: ['Operators'],
    security,
    responses: {
      200: {
        description:
          'Versions, newest first; `active` is what `model:active` names, `serving` what this isolate serves.',
        content: {
          'application/json': {
            schema: z.object({
              active: z.string().nullable(),
              serving: z.string().nullable(),
              versions: z.array(ModelVersion),
            }),
          },
        },
      },
      ...common,
    },
  }),
  async (c) => {
    const [active, versions] = await Promise.all([c.env.MODELS.get(ACTIVE_KEY), listVersions(c.env.MODELS)]);
    c.header('cache-control', 'no-store');
    return c.json(
      {
        active,
        serving: modelCacheState().current?.version ?? null,
        versions: versions.map((v) => ({ ...v, active: v.version === active })),
      },
      200,
    );
  },
);

// POST /v1/admin/models
const ModelDocument = z
  .object({ format: z.enum(READABLE_FORMATS), version: z.string() })
  .passthrough()
  .openapi('ModelDocument', {
    description:
      'A model.json as written by `npm run train` (validated in full before it is stored; a model in an older format is still read).',
  });

adminRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/admin/models',
  operationId: 'publishModel',
  summary: 'Publish a model (validated first; a refused one changes nothing)',
  description:
    'Stores `model:<version>` and, unless `activate=false`, points `model:active` at it. Same validation as `npm run publish`.',
  tags: ['Operators'],
  security,
  request: {
    query: z.object({ activate: z.enum(['true', 'false']).optional().openapi({ description: 'Default true.' }) }),
    body: { required: true, content: { 'application/json': { schema: ModelDocument } } },
  },
  responses: {
    200: {
      description: 'This exact version was already stored (activated if asked).',
      content: {
        'application/json': {
          schema: z.object({ version: z.string(), active: z.string().nullable(), created: z.boolean() }),
        },
      },
    },
    201: {
      description: 'Stored (and activated unless activate=false).',
      content: {
        'application/json': {
          schema: z.object({ version: z.string(), active: z.string().nullable(), created: z.boolean() }),
        },
      },
    },
    400: problemReply('Not JSON.'),
    413: problemReply('Larger than 4 MiB.'),
    415: problemReply('Not sent as JSON.'),
    422: problemReply('Not a valid model; every problem is named in `errors`.'),
    ...common,
  },
});

const ActivateQuery = z.object({ activate: z.enum(['true', 'false']).optional() });

const invalidModel = (errors: InvalidParam[]) =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}invalid-model`,
    title: 'Invalid model',
    status: 422,
    detail: `the model was refused and nothing changed: ${errors
      .slice(0, 3)
      .map((e) => `${e.name}: ${e.reason}`)
      .join('; ')}`,
    errors,
  });

const modelProblems = (e: ModelError): InvalidParam[] =>
  e.problems.slice(0, 100).map((p) => {
    const at = p.indexOf(': ');
    return at > 0 ? { name: p.slice(0, at), reason: p.slice(at + 2) } : { name: 'model', reason: p };
  });

adminRoutes.post('/v1/admin/models', async (c) => {
  const query = ActivateQuery.safeParse(c.req.query());
  if (!query.success) return validationHook({ success: false, error: query.error, target: 'query' }, c)!;
  const type = c.req.header('content-type');
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type.trim())) {
    return problemResponse({
      type: `${PROBLEM_TYPE_BASE}unsupported-media-type`,
      title: 'Unsupported media type',
      status: 415,
      detail: 'send the model with content-type: application/json',
    });
  }
  const body = await readText(c.req.raw, MAX_MODEL_BYTES);
  if (!body.ok) return problemResponse(body.problem);
  try {
    JSON.parse(body.text);
  } catch {
    return problemResponse({
      type: `${PROBLEM_TYPE_BASE}invalid-input`,
      title: 'Invalid input',
      status: 400,
      detail: 'the body is not JSON',
      errors: [{ name: 'body', reason: 'is not valid JSON' }],
    });
  }
  let model: Model;
  try {
    model = await checkModelDocument(body.text); // validate before anything is written
  } catch (e) {
    if (e instanceof ModelError) return invalidModel(modelProblems(e));
    console.error('model validation failed unexpectedly:', (e as Error)?.message);
    return invalidModel([{ name: 'model', reason: 'could not be validated' }]);
  }
  const existed = (await c.env.MODELS.get(modelKey(model.version))) !== null;
  const activate = query.data.activate !== 'false';
  await publishModel(c.env.MODELS, body.text, { activate });
  const active = activate ? await serveActiveNow(c) : await c.env.MODELS.get(ACTIVE_KEY);
  if (!existed) c.header('location', `/v1/admin/models/${model.version}`);
  return c.json({ version: model.version, active, created: !existed }, existed ? 200 : 201);
});

// GET /v1/admin/models/{version}
adminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/models/{version}',
    operationId: 'getModelVersion',
    summary: 'Download a stored model document',
    tags: ['Operators'],
    security,
    request: { params: VersionParam },
    responses: {
      200: {
        description: 'The model JSON exactly as published.',
        content: { 'application/json': { schema: ModelDocument } },
      },
      400: problemReply('Not a version.'),
      404: problemReply('No such version.'),
      ...common,
    },
  }),
  async (c) => {
    const { version } = c.req.valid('param');
    const text = await c.env.MODELS.get(modelKey(version));
    if (text === null) return notFound(`no model ${version} is stored`) as never;
    return c.body(text, 200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    }) as never;
  },
);

// POST /v1/admin/models/{version}/activate
adminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/models/{version}/activate',
    operationId: 'activateModel',
    summary: 'Serve a stored version (publish or roll back)',
    description:
      'Re-validates the stored document, then points `model:active` at it. This isolate switches at once; others within MODEL_REFRESH_SECONDS.',
    tags: ['Operators'],
    security,
    request: { params: VersionParam },
    responses: {
      200: {
        description: 'Now active.',
        content: {
          'application/json': {
            schema: z.object({ active: z.string(), previous: z.string().nullable(), serving: z.string().nullable() }),
          },
        },
      },
      400: problemReply('Not a version.'),
      404: problemReply('No such version.'),
      422: problemReply('The stored document no longer validates; the active version is unchanged.'),
      ...common,
    },
  }),
  async (c) => {
    const { version } = c.req.valid('param');
    const text = await c.env.MODELS.get(modelKey(version));
    if (text === null) return notFound(`no model ${version} is stored; GET /v1/admin/models lists them`) as never;
    try {
      await checkModelDocument(text);
    } catch (e) {
      return invalidModel(
        e instanceof ModelError ? modelProblems(e) : [{ name: 'model', reason: 'could not be validated' }],
      ) as never;
    }
    const previous = await c.env.MODELS.get(ACTIVE_KEY);
    await c.env.MODELS.put(ACTIVE_KEY, version);
    const serving = await serveActiveNow(c);
    return c.json({ active: version, previous, serving }, 200);
  },
);

// The webhook outbox: events whose forwarding failed are kept here for replay.
const LedgerEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    receivedAt: z.string(),
    forward: z
      .object({
        state: z.enum(['pending', 'delivered', 'failed']),
        target: z.string(),
        attempts: z.number().int(),
        nextAttemptAt: z.string().nullable(),
        lastError: z.string().nullable(),
        deliveredAt: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi('WebhookEvent');

adminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/webhooks/events',
    operationId: 'listWebhookEvents',
    summary: 'Processed sign-up webhooks and their forwarding state',
    tags: ['Operators'],
    security,
    request: {
      query: z.object({
        state: z.enum(['pending', 'delivered', 'failed']).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Newest first.',
        content: { 'application/json': { schema: z.object({ events: z.array(LedgerEventSchema) }) } },
      },
      400: problemReply('Bad state or limit.'),
      ...common,
    },
  }),
  async (c) => {
    const { state, limit } = c.req.valid('query');
    const events = await ledger(c.env).list({ state, limit });
    c.header('cache-control', 'no-store');
    return c.json({ events }, 200);
  },
);

adminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/webhooks/events/{id}/replay',
    operationId: 'replayWebhookEvent',
    summary: 'Forward a failed event again',
    description: 'Queues the event for delivery from attempt 1, to the current FORWARD_URL (or the one it had).',
    tags: ['Operators'],
    security,
    request: {
      params: z.object({
        id: z
          .string()
          .min(1)
          .max(256)
          .openapi({ param: { name: 'id', in: 'path' } }),
      }),
    },
    responses: {
      202: {
        description: 'Queued.',
        content: { 'application/json': { schema: z.object({ event: LedgerEventSchema }) } },
      },
      400: problemReply('Not an event id (1–256 characters).'),
      404: problemReply('No such event.'),
      409: problemReply('The event has not failed (pending or delivered).'),
      ...common,
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const result = await ledger(c.env).replay(id, c.env.FORWARD_URL?.trim() || null);
    if (!result.ok) {
      if (result.reason === 'not-found') return notFound(`no webhook event ${id}`) as never;
      return problemResponse({
        type: `${PROBLEM_TYPE_BASE}not-failed`,
        title: 'Not failed',
        status: 409,
        detail: 'only events whose forwarding failed can be replayed',
      }) as never;
    }
    return c.json({ event: result.event }, 202);
  },
);
