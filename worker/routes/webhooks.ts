// POST /v1/webhooks/signup — a back end's sign-up webhook (Standard Webhooks),
// verified, mapped to the model's fields, scored, and remembered by
// `webhook-id` so a retried delivery gets the first answer and nothing runs
// twice. When FORWARD_URL is set the scored event is forwarded, signed the same
// way, by the WebhookLedger Durable Object (retries with back-off).
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { scoreRecord, scorerFor, sha256Hex } from '../../model/index.ts';
import { counted, executionContext, requestTally } from '../monitor/count.ts';
import { receiptsOff, receiptWanted, withReceipts } from '../receipt-answer.ts';
import { readText } from '../body.ts';
import type { AppEnv, Env } from '../env.ts';
import { invalidInput, noModel, problemResponse, PROBLEM_TYPE_BASE } from '../problem.ts';
import { limitPublic } from '../rate-limit.ts';
import { fieldMapping, mapRecord, MappingError } from '../webhooks/mapping.ts';
import { signer, verifyWebhook, webhookHeaders } from '../webhooks/verify.ts';
import type { RecordOutcome } from '../durable/webhook-ledger.ts';
import { currentModel } from './model-middleware.ts';
import { ScoreResult, issuesToParams, problemReply, validationHook } from './openapi-schemas.ts';

export const MAX_WEBHOOK_BYTES = 256 * 1024;
export const LEDGER_NAME = 'signup';

export const SignupEvent = z
  .object({
    type: z.string().min(1).max(200).openapi({ example: 'user.created' }),
    timestamp: z.string().max(64).optional().openapi({ example: '2026-05-01T12:00:00Z' }),
    data: z.record(z.string(), z.unknown()).openapi({
      description:
        'The sign-up. By default each model field is read from `data.<field>`; WEBHOOK_FIELD_MAP can name other paths.',
      example: { email: 'ada@example.com', age: 34, region: 'West', channel: 'web' },
    }),
  })
  .openapi('SignupEvent', { description: 'A Standard Webhooks payload.' });

export const SignupScored = ScoreResult.extend({
  webhookId: z.string(),
  type: z.string(),
}).openapi('SignupScored');

export const WebhookHeaders = z.object({
  'webhook-id': z.string().openapi({ example: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W' }),
  'webhook-timestamp': z
    .string()
    .openapi({ description: 'Seconds since the epoch; within five minutes of now.', example: '1746100800' }),
  'webhook-signature': z
    .string()
    .openapi({ description: 'Space-separated `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`.' }),
});

export const ledger = (env: Env) => env.WEBHOOK_LEDGER.getByName(LEDGER_NAME);

export const webhookRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

// The raw body must be verified before it is parsed, so the route reads it
// itself (a zod body validator would parse first) and then validates with the
// same SignupEvent schema that is documented here.
webhookRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/v1/webhooks/signup',
  operationId: 'receiveSignupWebhook',
  summary: 'Score a sign-up webhook (Standard Webhooks)',
  description:
    'Verifies `webhook-signature` with WEBHOOK_SECRET (five-minute tolerance), maps the payload to the model fields and scores it. ' +
    'A repeated `webhook-id` returns the first answer with `Idempotent-Replayed: true` and is not processed again.',
  tags: ['Webhooks'],
  // No API key: the caller is authenticated by the webhook-signature header (WEBHOOK_SECRET).
  security: [],
  request: {
    headers: WebhookHeaders,
    body: { required: true, content: { 'application/json': { schema: SignupEvent } } },
  },
  responses: {
    200: {
      description: 'Scored (or the first answer to this webhook-id).',
      headers: z.object({ 'Idempotent-Replayed': z.enum(['true', 'false']) }),
      content: { 'application/json': { schema: SignupScored } },
    },
    400: problemReply('Not a Standard Webhooks payload, or a field has the wrong type.'),
    401: problemReply('Missing headers, a signature that does not verify, or a timestamp outside the tolerance.'),
    409: problemReply('This webhook-id was already used for a different payload.'),
    413: problemReply('Body larger than 256 KiB.'),
    429: problemReply('Rate limit reached; see Retry-After.'),
    503: problemReply('Webhooks are not configured (WEBHOOK_SECRET) or no model is published.'),
  },
});

const unverified = (status: 400 | 401, detail: string) =>
  problemResponse({ type: `${PROBLEM_TYPE_BASE}webhook-unverified`, title: 'Webhook not verified', status, detail });

const unavailable = (detail: string) =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}webhooks-unavailable`,
    title: 'Webhooks unavailable',
    status: 503,
    detail,
  });

function answer(outcome: Exclude<RecordOutcome, { outcome: 'conflict' }>): Response {
  return new Response(outcome.response, {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'idempotent-replayed': String(outcome.outcome === 'replay'),
    },
  });
}

const conflict = () =>
  problemResponse({
    type: `${PROBLEM_TYPE_BASE}webhook-id-reused`,
    title: 'Webhook id reused',
    status: 409,
    detail: 'this webhook-id was already processed with a different payload; send a new id for a new event',
  });

webhookRoutes.post('/v1/webhooks/signup', limitPublic('webhook'), async (c) => {
  const wh = signer(c.env.WEBHOOK_SECRET);
  if (!wh) {
    console.error('WEBHOOK_SECRET is missing or not a whsec_<base64> secret; sign-up webhooks are refused');
    return unavailable('sign-up webhooks are not configured on this worker');
  }
  const receipt = receiptWanted(c.req.query('receipt'));
  if (typeof receipt === 'object') return problemResponse(receipt);
  const body = await readText(c.req.raw, MAX_WEBHOOK_BYTES);
  if (!body.ok) return problemResponse(body.problem);
  const verified = verifyWebhook(
    wh,
    body.text,
    webhookHeaders((name) => c.req.header(name)),
  );
  if (!verified.ok) return unverified(verified.status, verified.reason);

  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    return problemResponse(invalidInput([{ name: 'body', reason: 'is not valid JSON' }]));
  }
  const event = SignupEvent.safeParse(json);
  if (!event.success) return problemResponse(invalidInput(issuesToParams(event.error.issues, 'body')));

  const bodyHash = await sha256Hex(body.text);
  const book = ledger(c.env);
  const seen = await book.lookup(verified.id, bodyHash);
  if (seen) return seen.outcome === 'conflict' ? conflict() : answer(seen);

  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  let mapping: ReturnType<typeof fieldMapping>;
  try {
    mapping = fieldMapping(c.env.WEBHOOK_FIELD_MAP, loaded.compiled.inputNames);
  } catch (e) {
    if (!(e instanceof MappingError)) throw e;
    console.error(e.message);
    return unavailable(`the webhook field mapping is misconfigured: ${e.message}`);
  }
  const scored = scoreRecord(loaded.compiled, mapRecord(json, mapping), { text: true, ignoreUnknown: true });
  if (!scored.ok) {
    return problemResponse(
      invalidInput(scored.problems.map((p) => ({ name: mapping.names.get(p.field) ?? p.field, reason: p.reason }))),
    );
  }
  const cm = loaded.compiled;
  const tally = requestTally(c.env, cm, loaded.version, false);
  if (tally) {
    const sc = scorerFor(cm); // still holding this record: scoreRecord used the model's shared scorer
    tally.add(sc.values, scored.result.segment.id, sc.probs, scored.result.warnings);
    counted(c.env, executionContext(c), cm, loaded.version, 'webhook', tally, 1);
  }
  let response = JSON.stringify({
    webhookId: verified.id,
    type: event.data.type,
    model: loaded.version,
    ...scored.result,
  });
  if (receipt) {
    const signed = await withReceipts(response, c.env.RECEIPT_SECRET, Date.now());
    if (signed === null) return problemResponse(receiptsOff());
    response = signed;
  }
  const outcome = await book.record({
    id: verified.id,
    bodyHash,
    type: event.data.type,
    response,
    forwardUrl: c.env.FORWARD_URL?.trim() || null,
  });
  return outcome.outcome === 'conflict' ? conflict() : answer(outcome);
});
