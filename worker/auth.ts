// API keys: callers send `Authorization: Bearer <key>`; the worker stores only
// SHA-256 hex digests of accepted keys (secret API_KEY_HASHES, comma-separated)
// and compares digests in constant time. A wrong or missing key gets a bare 401.
import { createMiddleware } from 'hono/factory';
import { sha256Hex } from '../model/index.ts';
import type { AppEnv } from './env.ts';
import { problemResponse } from './problem.ts';

/** Equal-length strings compared without an early exit. */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

let parsedHashes: { raw: string; hashes: string[] } = { raw: '', hashes: [] };

export function acceptedHashes(env: { API_KEY_HASHES?: string }): string[] {
  const raw = env.API_KEY_HASHES ?? '';
  if (raw !== parsedHashes.raw) {
    parsedHashes = {
      raw,
      hashes: raw
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => /^[0-9a-f]{64}$/.test(h)),
    };
  }
  return parsedHashes.hashes;
}

// Digests of keys this isolate has accepted, so a client's every request is not hashed again
// (SHA-256 was ~2.5% of a 1,000-record batch's CPU). Only accepted keys are kept, a bounded number;
// the digest is still compared with the current list on every request, so a key removed from
// API_KEY_HASHES stops working at once.
const acceptedDigests = new Map<string, string>();
const CACHED_KEYS = 256;

/** The key's digest if it is accepted (the digest identifies the key for rate limits), else null. */
export async function acceptedKey(
  env: { API_KEY_HASHES?: string },
  key: string | null | undefined,
): Promise<string | null> {
  if (!key || key.length > 512) return null;
  const hashes = acceptedHashes(env);
  if (hashes.length === 0) return null;
  const cached = acceptedDigests.get(key);
  const digest = cached ?? (await sha256Hex(key));
  let ok = false;
  for (const h of hashes) ok = constantTimeEqual(h, digest) || ok; // check all: no timing hint of which
  if (!ok) return null;
  if (cached === undefined) {
    if (acceptedDigests.size >= CACHED_KEYS) acceptedDigests.clear();
    acceptedDigests.set(key, digest);
  }
  return digest;
}

export function bearerToken(header: string | undefined | null): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1] : null;
}

export const unauthorized = () =>
  problemResponse(
    { type: 'https://edgeseg.dev/problems/unauthorized', title: 'Unauthorized', status: 401 },
    { 'www-authenticate': 'Bearer realm="edgeseg"' },
  );

declare module 'hono' {
  interface ContextVariableMap {
    /** SHA-256 of the caller's API key, set by requireApiKey. */
    apiKeyHash: string;
  }
}

export const requireApiKey = createMiddleware<AppEnv>(async (c, next) => {
  const hash = await acceptedKey(c.env, bearerToken(c.req.header('authorization')));
  if (!hash) return unauthorized();
  c.set('apiKeyHash', hash);
  await next();
});
