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
    if (entry === '*') { any = true; continue; }
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

let cached: { config: string | undefined; handler: MiddlewareHandler } | null = null;

function corsFor(config: string | undefined): MiddlewareHandler {
  if (cached && cached.config === config) return cached.handler;
  const list = parseAllowlist(config);
  const handler = cors({
    origin: (origin) => allowOrigin(list, origin),
    allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type', 'if-none-match'],
    exposeHeaders: ['etag', 'retry-after', 'content-type'],
    maxAge: 600,
    credentials: false,
  });
  cached = { config, handler };
  return handler;
}

export const apiCors = createMiddleware<AppEnv>((c, next) => corsFor(c.env.CORS_ORIGINS)(c, next) as Promise<void>);
