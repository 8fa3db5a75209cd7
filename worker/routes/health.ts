// GET /health — liveness plus which model this isolate serves, so operators
// can see a rollout or rollback reach every isolate.
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { modelCacheState } from '../model-store.ts';
import { currentModel } from './model-middleware.ts';

/** Random per isolate: tells isolates apart in /health answers (made lazily: no randomness at global scope). */
let isolateId: string | null = null;

export const healthRoutes = new Hono<AppEnv>();

healthRoutes.get('/health', async (c) => {
  const loaded = await currentModel(c);
  const state = modelCacheState();
  c.header('cache-control', 'no-store');
  return c.json({
    status: 'ok',
    model: loaded?.version ?? null,
    isolate: (isolateId ??= crypto.randomUUID().slice(0, 8)),
    loadedAt: loaded ? new Date(loaded.loadedAt).toISOString() : null,
    ...(state.lastError ? { lastError: state.lastError } : {}),
  });
});
