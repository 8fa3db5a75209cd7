// Loads the active model for routes that need one, answering 503 with the
// publish instructions when none exists yet.
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { activeModel, type LoadedModel } from '../model-store.ts';
import { noModel, problemResponse } from '../problem.ts';

declare module 'hono' {
  interface ContextVariableMap {
    model: LoadedModel;
  }
}

export const refreshSeconds = (env: { MODEL_REFRESH_SECONDS?: string }) => {
  const n = Number(env.MODEL_REFRESH_SECONDS ?? 30);
  return Number.isFinite(n) && n >= 0 ? n : 30;
};

/** The active model or null, using the isolate's cache. */
export async function currentModel(c: Context<AppEnv>): Promise<LoadedModel | null> {
  let ctx: Pick<ExecutionContext, 'waitUntil'> | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // no execution context (e.g. app.request in a unit test)
  }
  return activeModel(c.env.MODELS, refreshSeconds(c.env), ctx);
}

export const requireModel = createMiddleware<AppEnv>(async (c, next) => {
  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  c.set('model', loaded);
  await next();
});
