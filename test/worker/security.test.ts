// Secure headers on every response (a route's own CSP wins), and no secret in
// a log line or an error body, whatever the caller sends.
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_CSP, HTML_CSP } from '../../worker/security-headers.ts';
import { withAnswerHeaders } from '../../worker/answer-headers.ts';
import { direct } from '../support/worker-direct.ts';
import { FORWARD_SECRET, OPERATOR_KEY, SECOND_KEY, WEBHOOK_SECRET, bearer, signedHeaders } from '../support/keys.ts';
import { call, seedModel } from '../support/worker.ts';

beforeAll(async () => {
  await seedModel();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('secure headers', () => {
  it.each([
    ['a JSON answer', '/health', {}],
    ['a 304', '/v1/embed.js', { 'if-none-match': '*' }],
    ['a 401 problem', '/v1/admin/models', {}],
    ['a 404 problem', '/nope', {}],
    ['the embed script', '/v1/embed.js', {}],
    ['the OpenAPI description', '/openapi.json', {}],
  ])('are on %s', async (_name, path, headers) => {
    const res = await call(path, { headers });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('permissions-policy')).toContain('camera=()');
    expect(res.headers.get('content-security-policy')).toBeTruthy();
  });

  it('let API responses be read cross-origin (CORP) but keep other paths same-origin', async () => {
    expect((await call('/v1/embed.js')).headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await call('/health')).headers.get('cross-origin-resource-policy')).toBe('same-origin');
  });

  // As in honojs/hono's middleware tests: a small app, its answers through the step.
  const routes = new Hono();
  routes.get('/json', (c) => c.json({ ok: true }));
  routes.get('/page', (c) => c.html('<p>page</p>'));
  routes.get('/own-csp', (c) =>
    c.html('<p>own</p>', 200, {
      'content-security-policy': "default-src 'self'; script-src 'self' https://cdn.example",
      'x-frame-options': 'SAMEORIGIN',
    }),
  );
  routes.get('/passthrough', () => fetch('data:text/plain,hello'));
  // What the worker does with every answer the router gives.
  const app = {
    request: async (path: string) =>
      withAnswerHeaders(new Request(`http://edgeseg.test${path}`), {}, await routes.request(path)),
  };

  it.each([
    ['/json', API_CSP],
    ['/page', HTML_CSP],
    ['/own-csp', "default-src 'self'; script-src 'self' https://cdn.example"],
  ])('set %s a CSP only when the route set none', async (path, csp) => {
    const res = await app.request(path);
    expect(res.headers.get('content-security-policy')).toBe(csp);
  });

  it('keep a header the route chose and still add the rest', async () => {
    const res = await app.request('/own-csp');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('work on responses passed through from fetch (immutable headers)', async () => {
    const res = await app.request('/passthrough');
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('API keys on POST /v1/score', () => {
  const record = { age: 40, region: 'West' };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    call('/v1/score', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('scores one record without a key', async () => {
    expect((await post(record)).status).toBe(200);
  });

  it('refuses a batch without a key, or with a wrong one, with a bare 401', async () => {
    for (const headers of [{}, bearer('esk_wrong')]) {
      const res = await post({ records: [record] }, headers);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        type: 'https://edgeseg.dev/problems/unauthorized',
        title: 'Unauthorized',
        status: 401,
      });
    }
    // Even a malformed batch: the key is checked before the shape is discussed.
    expect((await post({ records: 'all of them' })).status).toBe(401);
  });

  it('scores a batch with a key', async () => {
    const res = await post({ records: [record, record] }, bearer());
    expect(res.status).toBe(200);
    expect((await res.json<any>()).results).toHaveLength(2);
  });

  it('refuses a single record sent with a wrong key rather than quietly treating it as public', async () => {
    expect((await post(record, bearer('esk_wrong'))).status).toBe(401);
  });
});

describe('no secrets in logs or error bodies', () => {
  const secrets = [
    OPERATOR_KEY,
    SECOND_KEY,
    WEBHOOK_SECRET.slice('whsec_'.length),
    FORWARD_SECRET.slice('whsec_'.length),
    ...env.API_KEY_HASHES!.split(','),
    'tok3n-in-url',
  ];

  it('holds across wrong keys, forged and misconfigured webhooks, refused models and a failing forward target', async () => {
    const logged: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(
          args
            .map((a) =>
              a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a),
            )
            .join(' '),
        );
      });
    }
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('no', { status: 500 }));
    const bodies: string[] = [];
    const keep = async (res: Response) => {
      bodies.push(await res.text());
      return res;
    };

    await keep(await call('/v1/admin/models', { headers: bearer(`${OPERATOR_KEY}x`) }));
    await keep(
      await call('/v1/admin/models', { headers: { authorization: `Bearer ${env.API_KEY_HASHES!.split(',')[0]}` } }),
    );
    await keep(
      await call('/v1/score', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer('nope') },
        body: '{"records":[{}]}',
      }),
    );
    const signup = JSON.stringify({ type: 'user.created', data: { age: 30 } });
    await keep(
      await call('/v1/webhooks/signup', {
        method: 'POST',
        headers: { ...signedHeaders(signup), 'webhook-signature': `v1,${WEBHOOK_SECRET}` },
        body: signup,
      }),
    );
    await keep(
      await direct(
        '/v1/webhooks/signup',
        { method: 'POST', headers: signedHeaders(signup), body: signup },
        { WEBHOOK_SECRET: 'not-a-secret' },
      ),
    );
    await keep(
      await direct(
        '/v1/webhooks/signup',
        { method: 'POST', headers: signedHeaders(signup), body: signup },
        { WEBHOOK_FIELD_MAP: '{"age": "data..x"}' },
      ),
    );
    await keep(
      await call('/v1/admin/models', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer() },
        body: '{"format":"edgeseg.model/1"}',
      }),
    );
    // A forward target that fails, whose URL carries a token.
    await keep(
      await direct(
        '/v1/webhooks/signup',
        { method: 'POST', headers: signedHeaders(signup), body: signup },
        { FORWARD_URL: 'https://hooks.example.test/in?token=tok3n-in-url' },
      ),
    );
    const ledger = env.WEBHOOK_LEDGER.getByName('signup');
    const { runDurableObjectAlarm, runInDurableObject } = await import('cloudflare:test');
    for (let i = 0; i < 8; i++) {
      await runInDurableObject(ledger, (_o, state) => {
        state.storage.sql.exec("UPDATE events SET next_attempt_at = 0 WHERE forward_state = 'pending'");
      });
      await runDurableObjectAlarm(ledger);
    }
    await keep(await call('/v1/admin/webhooks/events?state=failed', { headers: bearer() }));

    expect(logged.join('\n')).toContain('failed after'); // the forwarding failure was logged…
    for (const secret of secrets) {
      expect(logged.join('\n'), 'logs').not.toContain(secret); // …without the token or any secret
      expect(bodies.join('\n'), 'bodies').not.toContain(secret);
    }
  });
});
