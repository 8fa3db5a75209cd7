// GET /v1/embed.js — the script websites include to personalise per segment
// (source and usage in worker/embed/script.ts). Cached for an hour and
// revalidated by ETag; loadable cross-origin (CORP is cross-origin on /v1/*).
import { Hono } from 'hono';
import { sha256Hex } from '../../model/index.ts';
import { EMBED_SCRIPT } from '../embed/script.ts';
import type { AppEnv } from '../env.ts';
import { ifNoneMatchHits } from './segment.ts';

let etag: string | null = null; // computed on first use: no hashing at global scope

export const embedRoutes = new Hono<AppEnv>();

embedRoutes.get('/v1/embed.js', async (c) => {
  etag ??= `"${(await sha256Hex(EMBED_SCRIPT)).slice(0, 16)}"`;
  const headers = { etag, 'cache-control': 'public, max-age=3600' };
  if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers);
  return c.body(EMBED_SCRIPT, 200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' });
});
