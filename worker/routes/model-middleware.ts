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

/** The request's execution context, for waitUntil; undefined without one (e.g. app.request in a unit test). */
export function executionContext(c: Context<AppEnv>): Pick<ExecutionContext, 'waitUntil'> | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

/** The active model or null, using the isolate's cache. */
export async function currentModel(c: Context<AppEnv>): Promise<LoadedModel | null> {
  return activeModel(c.env.MODELS, refreshSeconds(c.env), executionContext(c));
}

export const requireModel = createMiddleware<AppEnv>(async (c, next) => {
  const loaded = await currentModel(c);
  if (!loaded) return problemResponse(noModel());
  c.set('model', loaded);
  await next();
});
