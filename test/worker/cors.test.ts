// CORS on /v1/*: an allowlist from CORS_ORIGINS, never credentials, never the
// Authorization header (API keys stay on servers).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { allowOrigin, parseAllowlist } from '../../worker/cors.ts';
import { call, seedModel } from '../support/worker.ts';
import { direct } from '../support/worker-direct.ts';

const allowed = 'http://localhost:8080'; // in wrangler.toml's CORS_ORIGINS

describe('CORS', () => {
  it('lets an allowed origin read /v1/segment, without credentials, varying on Origin', async () => {
    await seedModel();
    const res = await call('/v1/segment?age=30', { headers: { origin: allowed } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
    expect(res.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it('puts the CORS headers on problem answers too, so a page can read why it was refused', async () => {
    const res = await call('/v1/segment?shoe_size=42', { headers: { origin: allowed } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('gives another origin no CORS headers (the browser then blocks the read)', async () => {
    const res = await call('/v1/segment?age=30', { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from an allowed origin with methods and headers, but not Authorization', async () => {
    const res = await call('/v1/score', {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowHeaders = res.headers.get('access-control-allow-headers')!.toLowerCase();
    expect(allowHeaders).toContain('content-type');
    expect(allowHeaders).not.toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives POST /v1/score answers the same CORS and security headers as routed /v1 answers, per request', async () => {
    await seedModel();
    const score = (origin?: string) =>
      call('/v1/score', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: '{"age": 30}',
      });
    const routed = await call('/v1/segment?age=30', { headers: { origin: allowed } });
    const first = await score(allowed);
    expect(first.status).toBe(200);
    for (const name of [
      'access-control-allow-origin',
      'access-control-expose-headers',
      'vary',
      'content-security-policy',
      'cross-origin-resource-policy',
      'x-content-type-options',
      'strict-transport-security',
      'referrer-policy',
      'x-frame-options',
      'permissions-policy',
    ]) {
      expect(first.headers.get(name), name).toBe(routed.headers.get(name));
    }
    // Answers share one prebuilt set of headers: changing one answer's headers (in the
    // worker's own isolate, where they are mutable), or another origin's answer,
    // must not reach the next answer.
    const inside = await direct('/v1/score', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: allowed },
      body: '{"age": 30}',
    });
    inside.headers.set('access-control-allow-origin', 'https://evil.example');
    expect(
      (
        await direct('/v1/score', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: allowed },
          body: '{}',
        })
      ).headers.get('access-control-allow-origin'),
    ).toBe(allowed);
    expect((await score()).headers.get('access-control-allow-origin')).toBeNull();
    expect((await score('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await score(allowed)).headers.get('access-control-allow-origin')).toBe(allowed);
  });

  it('does not apply outside /v1/*', async () => {
    const res = await call('/health', { headers: { origin: allowed } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('reads the allowlist from configuration, normalising origins and ignoring junk', () => {
    expect(env.CORS_ORIGINS).toContain(allowed);
    const list = parseAllowlist(' https://shop.example/ , http://localhost:8080,not a url, ftp://x.example ');
    expect([...list.origins]).toEqual(['https://shop.example', 'http://localhost:8080']);
    expect(allowOrigin(list, 'https://shop.example')).toBe('https://shop.example');
    expect(allowOrigin(list, 'https://shop.example.evil')).toBeNull();
    expect(allowOrigin(list, '')).toBeNull();
    // "*" is honoured (credentials are never sent, so it cannot leak a session).
    expect(allowOrigin(parseAllowlist('*'), 'https://any.example')).toBe('*');
    expect(allowOrigin(parseAllowlist(''), allowed)).toBeNull();
  });
});
