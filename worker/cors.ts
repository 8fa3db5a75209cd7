// CORS for /v1/*: browsers on the origins listed in CORS_ORIGINS may call the
// public API (the embed script's GET /v1/segment, single-record scoring).
// Credentials are never allowed and `Authorization` is not an allowed request
// header, so API keys cannot be used from a web page: batch and admin calls
// belong on servers. Because credentials are off, "*" is safe to accept.
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';

export interface OriginAllowlist {
  any: boolean;
  origins: Set<string>;
}

/** Parses CORS_ORIGINS ("https://a.example, http://localhost:8080" or "*"); entries that are not origins are ignored. */
export function parseAllowlist(config: string | undefined): OriginAllowlist {
  const origins = new Set<string>();
  let any = false;
  for (const raw of (config ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry === '*') {
      any = true;
      continue;
    }
    try {
      const url = new URL(entry);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null') origins.add(url.origin);
    } catch {
      // not a URL: ignored
    }
  }
  return { any, origins };
}

export function allowOrigin(list: OriginAllowlist, origin: string): string | null {
  if (!origin) return null;
  if (list.any) return '*';
  return list.origins.has(origin) ? origin : null;
}

const EXPOSE_HEADERS = ['etag', 'retry-after', 'content-type'];
const EXPOSE_HEADERS_VALUE = EXPOSE_HEADERS.join(',');

let cached: { config: string | undefined; list: OriginAllowlist; handler: MiddlewareHandler } | null = null;

function corsFor(config: string | undefined): { list: OriginAllowlist; handler: MiddlewareHandler } {
  if (cached && cached.config === config) return cached;
  const list = parseAllowlist(config);
  const handler = cors({
    origin: (origin) => allowOrigin(list, origin),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type', 'if-none-match'],
    exposeHeaders: EXPOSE_HEADERS,
    maxAge: 600,
    credentials: false,
  });
  cached = { config, list, handler };
  return cached;
}

/** Preflights (OPTIONS /v1/*) are answered by Hono's cors with this allowlist. */
export const apiPreflight = createMiddleware<AppEnv>(
  async (c, next) => corsFor(c.env.CORS_ORIGINS).handler(c, next) as Promise<void>,
);

/**
 * Sets on an answer to a simple (non-preflight) /v1 request the headers Hono's
 * cors would give it (Access-Control-Allow-Origin when allowed,
 * Access-Control-Expose-Headers, Vary: Origin appended), once the route has
 * answered: Hono's cors sets them on a placeholder response before the route
 * runs, which makes the router copy the route's answer twice.
 */
export function setCorsHeaders(config: string | undefined, origin: string | null, headers: Headers): void {
  const allowed = allowedOrigin(config, origin);
  if (allowed) headers.set('access-control-allow-origin', allowed);
  headers.set('access-control-expose-headers', EXPOSE_HEADERS_VALUE);
  headers.append('vary', 'Origin');
}

/** The Access-Control-Allow-Origin value for `origin` under the CORS_ORIGINS `config`, or null. */
export function allowedOrigin(config: string | undefined, origin: string | null): string | null {
  return origin ? allowOrigin(corsFor(config).list, origin) : null;
}

/**
 * The headers `apiCors` puts on an answer to a simple (non-preflight) request
 * whose origin is allowed as `allowed` (null: not allowed, or no Origin).
 */
export function corsHeaders(allowed: string | null): [string, string][] {
  const headers: [string, string][] = [
    ['access-control-expose-headers', EXPOSE_HEADERS_VALUE],
    ['vary', 'Origin'],
  ];
  if (allowed) headers.push(['access-control-allow-origin', allowed]);
  return headers;
}
