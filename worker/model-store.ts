// The active model, read from KV and compiled once per isolate and kept in
// module scope. A request never waits on KV once a model is loaded: after the
// refresh interval, `model:active` is re-checked in the background
// (stale-while-revalidate). A document that fails validation is refused and
// the last good model keeps serving.
import { compileModel, type CompiledModel, parseModel, ACTIVE_KEY, modelKey } from '../model/index.ts';

export interface LoadedModel {
  version: string;
  compiled: CompiledModel;
  loadedAt: number;
}

export interface StoreState {
  current: LoadedModel | null;
  checkedAt: number;
  refreshing: Promise<void> | null;
  lastError: string | null;
}

const state: StoreState = { current: null, checkedAt: 0, refreshing: null, lastError: null };

/** For tests: forget the cached model so the next request reads KV. */
export function resetModelCache(): void {
  state.current = null;
  state.checkedAt = 0;
  state.refreshing = null;
  state.lastError = null;
}

export function modelCacheState(): Readonly<StoreState> {
  return state;
}

async function refresh(kv: KVNamespace): Promise<void> {
  const version = await kv.get(ACTIVE_KEY);
  state.checkedAt = Date.now();
  if (version === null) {
    state.current = null;
    return;
  }
  if (state.current?.version === version) return;
  const text = await kv.get(modelKey(version));
  if (text === null) {
    state.lastError = `model:active points at ${version}, which is not stored`;
    return;
  }
  try {
    const model = parseModel(text);
    state.current = { version: model.version, compiled: compileModel(model), loadedAt: Date.now() };
    state.lastError = null;
  } catch (e) {
    // Keep serving the last good model.
    state.lastError = `model ${version} refused: ${(e as Error).message}`;
    console.error(state.lastError);
  }
}

/**
 * The current model (or null when none is published). Blocks on KV only for
 * the first load in an isolate; later refreshes run in the background.
 */
export async function activeModel(
  kv: KVNamespace,
  refreshSeconds: number,
  ctx?: Pick<ExecutionContext, 'waitUntil'>,
): Promise<LoadedModel | null> {
  const stale = Date.now() - state.checkedAt >= refreshSeconds * 1000;
  if (!stale) return state.current;
  // One refresh at a time per isolate, whoever asked first.
  const started = state.refreshing === null;
  state.refreshing ??= refresh(kv).finally(() => {
    state.refreshing = null;
  });
  if (state.current === null || !ctx) {
    await state.refreshing;
  } else if (started) {
    ctx.waitUntil(state.refreshing.catch(() => {}));
  }
  return state.current;
}

/** Forces the next request to re-read `model:active` (after an admin publish or rollback). */
export function markModelStale(): void {
  state.checkedAt = 0;
}
