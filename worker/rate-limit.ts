// Rate limits, through the Workers rate-limiting binding ([[ratelimits]] in
// wrangler.toml). Why the binding and not a Durable Object: the binding costs
// no storage and no extra round trip (counters live in the Cloudflare location
// that serves the request), and miniflare simulates it, so `npm start` and the
// tests run the same code. Its counts are per location and approximate, which
// suits abuse protection; exact global quotas (billing) would need a Durable
// Object on every request. Public routes are limited per client IP, keyed
// routes per API key (its SHA-256, never the key itself).
import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import type { AppEnv, Env } from './env.ts';
import { acceptedKey, bearerToken, unauthorized } from './auth.ts';
import { problemResponse } from './problem.ts';

/** The `period` of both [[ratelimits]] bindings in wrangler.toml (the binding cannot report it). */
export const RATE_LIMIT_PERIOD_SECONDS = 60;

export const tooManyRequests = () =>
  problemResponse(
    {
      type: 'https://edgeseg.dev/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: `rate limit reached; retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds`,
    },
    { 'retry-after': String(RATE_LIMIT_PERIOD_SECONDS) },
  );

/**
 * The client's address as Cloudflare reports it (`CF-Connecting-IP` is set by
 * the edge and cannot be forged through it). IPv6 clients are counted per /64,
 * the block one subscriber usually holds.
 */
export function clientAddress(header: string | undefined): string {
  const ip = (header ?? '').trim().slice(0, 64);
  if (!ip) return 'unknown';
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::', 2);
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

async function allowed(binding: RateLimit | undefined, key: string): Promise<boolean> {
  if (!binding) return true; // not configured (e.g. a unit test's bare env): no limit
  try {
    return (await binding.limit({ key })).success;
  } catch (e) {
    // A limiter outage must not take the API down with it.
    console.warn(`rate limiter unavailable: ${(e as Error).message}`);
    return true;
  }
}

const addressAllowed = (env: Env, ip: string | null | undefined, scope: string) =>
  allowed(env.RATE_LIMIT_PUBLIC, `${scope}:${clientAddress(ip ?? undefined)}`);

export const limitByAddress = (c: Context<AppEnv>, scope: string) =>
  addressAllowed(c.env, c.req.header('cf-connecting-ip'), scope);

/** Per client IP, for public routes. */
export const limitPublic = (scope = 'public') =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!(await limitByAddress(c, scope))) return tooManyRequests();
    await next();
  });

const keyAllowed = (env: Env, keyHash: string) => allowed(env.RATE_LIMIT_KEYS, `key:${keyHash}`);

/** Per API key; put after requireApiKey. */
export const limitPerKey = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await keyAllowed(c.env, c.get('apiKeyHash')))) return tooManyRequests();
  await next();
});

/**
 * For routes open to everyone that accept a key too (POST /v1/score): a key,
 * when sent, must be valid (a wrong one is a bare 401, never a silent
 * downgrade), and the caller is limited per key; without one, per IP.
 * Answers the key's digest (null without a key), or the refusal to send.
 */
export async function identifyAndLimit(env: Env, req: Request): Promise<{ keyHash: string | null } | Response> {
  const header = req.headers.get('authorization');
  if (header !== null) {
    const hash = await acceptedKey(env, bearerToken(header));
    if (!hash) return unauthorized();
    if (!(await keyAllowed(env, hash))) return tooManyRequests();
    return { keyHash: hash };
  }
  // Unbound (a bare local config): no limit, and no address to work out.
  if (env.RATE_LIMIT_PUBLIC && !(await addressAllowed(env, req.headers.get('cf-connecting-ip'), 'public'))) {
    return tooManyRequests();
  }
  return { keyHash: null };
}
