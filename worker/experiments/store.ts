// The experiments, read from KV once per isolate and kept in module scope with
// their assignment index, like the model (worker/model-store.ts): a request
// never waits on KV once they are loaded; after the refresh interval the key
// is re-read in the background. A document that does not parse keeps the last
// good list serving.
import { type AssignmentIndex, buildIndex, EMPTY_INDEX } from './assign.ts';
import { EXPERIMENTS_KEY, type Experiment, type ExperimentsDocument } from './definition.ts';

export interface LoadedExperiments {
  experiments: Experiment[];
  index: AssignmentIndex;
}

const EMPTY: LoadedExperiments = { experiments: [], index: EMPTY_INDEX };

interface State {
  current: LoadedExperiments;
  loaded: boolean;
  checkedAt: number;
  refreshing: Promise<void> | null;
}

const state: State = { current: EMPTY, loaded: false, checkedAt: 0, refreshing: null };

/** For tests: forget the cached experiments so the next request reads KV. */
export function resetExperimentsCache(): void {
  state.current = EMPTY;
  state.loaded = false;
  state.checkedAt = 0;
  state.refreshing = null;
}

/** The stored list (empty when none was ever stored); throws only when KV does. */
export async function readExperiments(kv: KVNamespace): Promise<Experiment[]> {
  const doc = await kv.get<ExperimentsDocument>(EXPERIMENTS_KEY, 'json');
  return doc?.experiments ?? [];
}

async function refresh(kv: KVNamespace): Promise<void> {
  state.checkedAt = Date.now();
  try {
    const experiments = await readExperiments(kv);
    state.current = { experiments, index: buildIndex(experiments, Date.now()) };
    state.loaded = true;
  } catch (e) {
    // Keep assigning with the last good list; a broken document is an operator's to fix.
    console.error(`experiments not refreshed: ${(e as Error).message}`);
  }
}

/** The experiments and their index; blocks on KV only for an isolate's first read. */
export async function currentExperiments(
  kv: KVNamespace,
  refreshSeconds: number,
  ctx?: Pick<ExecutionContext, 'waitUntil'>,
): Promise<LoadedExperiments> {
  if (Date.now() - state.checkedAt < refreshSeconds * 1000) return state.current;
  const started = state.refreshing === null;
  state.refreshing ??= refresh(kv).finally(() => {
    state.refreshing = null;
  });
  if (!state.loaded || !ctx) await state.refreshing;
  else if (started) ctx.waitUntil(state.refreshing.catch(() => {}));
  return state.current;
}

/** Stores the whole list, then makes this isolate serve it at once (others within the refresh interval). */
export async function writeExperiments(kv: KVNamespace, experiments: Experiment[]): Promise<void> {
  const doc: ExperimentsDocument = { experiments };
  await kv.put(EXPERIMENTS_KEY, JSON.stringify(doc));
  await state.refreshing?.catch(() => {}); // an in-flight read may predate our write
  state.current = { experiments, index: buildIndex(experiments, Date.now()) };
  state.loaded = true;
  state.checkedAt = Date.now();
}
