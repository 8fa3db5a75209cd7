// Sign-up webhooks: Standard Webhooks verification (signed here with the
// standardwebhooks library), field mapping, idempotency by webhook-id, and
// forwarding through the WebhookLedger Durable Object with retries.
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Env } from '../../worker/env.ts';
import { MAX_ATTEMPTS } from '../../worker/durable/webhook-ledger.ts';
import { call, seedModel } from '../support/worker.ts';
import { FORWARD_SECRET, bearer, signedHeaders } from '../support/keys.ts';
import { direct } from '../support/worker-direct.ts';

let version: string;
beforeAll(async () => {
  version = await seedModel();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const signup = (
  data: Record<string, unknown> = {
    email: 'ada@example.com',
    age: 34,
    annual_income: 71,
    region: 'West',
    channel: 'web',
  },
) => JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data });

function send(body: string, headers: Record<string, string>): Promise<Response> {
  return call('/v1/webhooks/signup', { method: 'POST', headers, body });
}

/** With some configuration changed (FORWARD_URL, WEBHOOK_FIELD_MAP). */
const sendWith = (overrides: Partial<Env>, body: string, headers: Record<string, string>) =>
  direct('/v1/webhooks/signup', { method: 'POST', headers, body }, overrides);

const ledger = () => env.WEBHOOK_LEDGER.getByName('signup');

describe('POST /v1/webhooks/signup', () => {
  it('scores a sign-up signed with the standardwebhooks library, reading fields from data by name', async () => {
    const body = signup();
    const headers = signedHeaders(body);
    const res = await send(body, headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBe('false');
    const scored = await res.json<any>();
    expect(scored).toMatchObject({ webhookId: headers['webhook-id'], type: 'user.created', model: version });
    expect(scored.segment.label).toEqual(expect.any(String));
    expect(scored.scores.purchased).toBeGreaterThan(0);
    // Fields absent from the payload are imputed and said so; `email` is not a model field and is ignored.
    expect(scored.warnings.map((w: { field: string }) => w.field)).toContain('spending_score');
    const direct = await (
      await call('/v1/score', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ age: 34, annual_income: 71, region: 'West', channel: 'web' }),
      })
    ).json<any>();
    expect(scored.scores).toEqual(direct.scores);
  });

  it('answers a replayed webhook-id with the first answer and records it once', async () => {
    const body = signup();
    const id = `msg_${crypto.randomUUID()}`;
    const first = await send(body, signedHeaders(body, { id }));
    // A sender's retry: same id and body, signed again later.
    const again = await send(body, signedHeaders(body, { id, at: new Date(Date.now() + 30_000) }));
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.text()).toBe(await first.text());
    const events = (await ledger().list({ limit: 500 })).filter((e) => e.id === id);
    expect(events).toHaveLength(1);
  });

  it('refuses the same webhook-id with a different payload as a conflict', async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const a = signup({ age: 30 });
    const b = signup({ age: 60 });
    expect((await send(a, signedHeaders(a, { id }))).status).toBe(200);
    const res = await send(b, signedHeaders(b, { id }));
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  type Tamper = (headers: Record<string, string>, body: string) => Record<string, string>;
  it.each<[string, Tamper, RegExp]>([
    ['a forged signature', (h) => ({ ...h, 'webhook-signature': 'v1,' + btoa('x'.repeat(32)) }), /no valid signature/],
    [
      'a body signed with another secret',
      (h, body) =>
        signedHeaders(body, { id: h['webhook-id'], secret: 'whsec_' + btoa('another secret, same length!!') }),
      /no valid signature/,
    ],
    [
      'a stale timestamp (6 minutes old)',
      (_h, body) => signedHeaders(body, { at: new Date(Date.now() - 6 * 60_000) }),
      /tolerance/,
    ],
    [
      'a timestamp from the future',
      (_h, body) => signedHeaders(body, { at: new Date(Date.now() + 6 * 60_000) }),
      /tolerance/,
    ],
    ['no webhook-signature', ({ 'webhook-signature': _s, ...h }) => h, /missing webhook-signature/],
    [
      'a v2 signature only',
      (h) => ({ ...h, 'webhook-signature': h['webhook-signature'].replace('v1,', 'v2,') }),
      /no valid signature/,
    ],
  ])('refuses %s with 401 and processes nothing', async (_name, tamper, reason) => {
    const body = signup();
    const headers = tamper(signedHeaders(body), body);
    const res = await send(body, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<any>();
    expect(problem.detail).toMatch(reason);
    expect(JSON.stringify(problem)).not.toContain(env.WEBHOOK_SECRET!.slice(6, 20));
    expect(await ledger().get(headers['webhook-id'] ?? 'none')).toBeNull();
  });

  it('refuses a body changed after signing', async () => {
    const body = signup({ age: 30 });
    const res = await send(body.replace('30', '31'), signedHeaders(body));
    expect(res.status).toBe(401);
  });

  it('refuses a signed payload that is not a Standard Webhooks event, naming what is wrong', async () => {
    const body = JSON.stringify({ event: 'signup', user: { age: 30 } });
    const res = await send(body, signedHeaders(body));
    expect(res.status).toBe(400);
    const names = (await res.json<any>()).errors.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['type', 'data']));
  });

  it('names a field of the wrong type by its place in the payload', async () => {
    const body = signup({ age: 'thirty' });
    const res = await send(body, signedHeaders(body));
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors).toEqual([expect.objectContaining({ name: 'data.age' })]);
  });

  it('reads nested fields through WEBHOOK_FIELD_MAP', async () => {
    const map = JSON.stringify({ age: 'data.profile.age', region: 'data.addresses[0].region', channel: 'data.source' });
    const body = JSON.stringify({
      type: 'user.created',
      timestamp: new Date().toISOString(),
      data: { profile: { age: '52' }, addresses: [{ region: 'East' }], source: 'store' },
    });
    const res = await sendWith({ WEBHOOK_FIELD_MAP: map }, body, signedHeaders(body));
    expect(res.status).toBe(200);
    const scored = await res.json<any>();
    const direct = await (await call('/v1/segment?age=52&region=East&channel=store')).json<any>();
    expect(scored.segment).toEqual(direct.segment);
    expect(scored.scores).toEqual(direct.scores);
    // And a mapped path that holds the wrong type is named by that path.
    const bad = JSON.stringify({ type: 'user.created', data: { profile: { age: { years: 52 } } } });
    const refused = await sendWith({ WEBHOOK_FIELD_MAP: map }, bad, signedHeaders(bad));
    expect((await refused.json<any>()).errors[0].name).toBe('data.profile.age');
  });

  it('answers 503 (not a crash) when WEBHOOK_SECRET is not configured', async () => {
    const body = signup();
    const res = await sendWith({ WEBHOOK_SECRET: undefined }, body, signedHeaders(body));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('forwarding scored sign-ups', () => {
  const FORWARD_URL = 'https://hooks.example.test/edgeseg?token=s3cret';

  async function dueNow(id: string) {
    await runInDurableObject(ledger(), (_obj, state) => {
      state.storage.sql.exec('UPDATE events SET next_attempt_at = 0 WHERE id = ?', id);
    });
    await runDurableObjectAlarm(ledger());
  }

  it('forwards the scored event once, signed with FORWARD_SECRET the Standard Webhooks way', async () => {
    // What the Durable Object sent, captured as plain data (its streams belong to it).
    const received: { url: string; headers: Record<string, string>; body: string }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      received.push({
        url: String(input),
        headers: Object.fromEntries(new Headers(init?.headers)),
        body: String(init?.body),
      });
      return new Response('ok');
    });
    const body = signup();
    const id = `msg_${crypto.randomUUID()}`;
    const scored = await (await sendWith({ FORWARD_URL }, body, signedHeaders(body, { id }))).json<any>();
    await sendWith({ FORWARD_URL }, body, signedHeaders(body, { id })); // a replay forwards nothing more
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(ledger());
      expect((await ledger().get(id))?.forward?.state).toBe('delivered');
    });
    const mine = received.filter((r) => r.headers['webhook-id'] === `scored_${id}`);
    expect(mine).toHaveLength(1);
    expect(mine[0].url).toBe(FORWARD_URL);
    const event = new Webhook(FORWARD_SECRET).verify(mine[0].body, mine[0].headers) as any;
    expect(event).toMatchObject({
      type: 'signup.scored',
      data: { webhookId: id, sourceType: 'user.created', segment: scored.segment, scores: scored.scores },
    });
  });

  it('retries a failing receiver with back-off, keeps the event as failed, and an operator can replay it', async () => {
    let up = false;
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => (up ? new Response('ok') : new Response('down', { status: 503 })));
    const body = signup();
    const id = `msg_${crypto.randomUUID()}`;
    expect((await sendWith({ FORWARD_URL }, body, signedHeaders(body, { id }))).status).toBe(200);
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(ledger());
      expect((await ledger().get(id))?.forward?.attempts).toBe(1);
    });
    const afterFirst = (await ledger().get(id))!.forward!;
    expect(afterFirst).toMatchObject({ state: 'pending', lastError: 'HTTP 503' });
    // The next attempt waits: about 5 s after the first failure, not now.
    const wait = Date.parse(afterFirst.nextAttemptAt!) - Date.now();
    expect(wait).toBeGreaterThan(3_000);
    expect(wait).toBeLessThan(6_000);
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) await dueNow(id);
    const failed = (await ledger().get(id))!.forward!;
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: MAX_ATTEMPTS,
      nextAttemptAt: null,
      lastError: 'HTTP 503',
      target: 'https://hooks.example.test',
    });
    expect(fetchSpy.mock.calls.filter(([url]) => String(url) === FORWARD_URL).length).toBeGreaterThanOrEqual(
      MAX_ATTEMPTS,
    );

    // Visible to an operator (without the URL's token), and replayable.
    const listed = await (await call('/v1/admin/webhooks/events?state=failed', { headers: bearer() })).json<any>();
    expect(listed.events.map((e: { id: string }) => e.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain('s3cret');
    up = true;
    const replay = await call(`/v1/admin/webhooks/events/${encodeURIComponent(id)}/replay`, {
      method: 'POST',
      headers: bearer(),
    });
    expect(replay.status).toBe(202);
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(ledger());
      expect((await ledger().get(id))?.forward?.state).toBe('delivered');
    });
    const again = await call(`/v1/admin/webhooks/events/${encodeURIComponent(id)}/replay`, {
      method: 'POST',
      headers: bearer(),
    });
    expect(again.status).toBe(409);
  });
});
