// GET /v1/embed.js: the script a website includes (its browser behaviour is
// exercised in test/browser/embed.test.ts with a real browser).
import { describe, expect, it } from 'vitest';
import { call } from '../support/worker.ts';

describe('GET /v1/embed.js', () => {
  it('serves a small script, cacheable and loadable from other origins', async () => {
    const res = await call('/v1/embed.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const text = await res.text();
    expect(new TextEncoder().encode(text).byteLength).toBeLessThan(4096);
    expect(text).toContain('/v1/segment?');
    expect(text).toContain('data-segment');
    expect(text).toContain('edgeseg:segment');
  });

  it('answers 304 to its own ETag', async () => {
    const etag = (await call('/v1/embed.js')).headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    const res = await call('/v1/embed.js', { headers: { 'if-none-match': etag } });
    expect(res.status).toBe(304);
  });
});
