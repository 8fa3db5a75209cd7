// Cold start inside workerd, through the production code path: the worker's
// own model store (worker/model-store.ts) reads `model:active` and the model
// from the MODELS KV binding, parses and validates the document and compiles
// it — what the first request of a new isolate does. GET /?loads=N forgets the
// cached model before each load. workerd's clock ticks in milliseconds, so the
// first load of a fresh isolate is timed to the millisecond (the benchmark
// repeats it over fresh processes) and a warm isolate is timed over N loads.
import { ACTIVE_KEY, modelKey } from '../../model/index.ts';
import { activeModel, resetModelCache } from '../../worker/model-store.ts';

interface Env {
  MODELS: KVNamespace;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const loads = Math.max(1, Number(new URL(request.url).searchParams.get('loads') ?? 1));
    let version = '';
    let inputs = 0;
    let k = 0;
    const t0 = performance.now();
    for (let i = 0; i < loads; i++) {
      resetModelCache();
      const loaded = await activeModel(env.MODELS, 30);
      if (!loaded) return new Response('no model in KV', { status: 503 });
      version = loaded.version;
      inputs = loaded.compiled.inputNames.length;
      k = loaded.compiled.k;
    }
    const ms = (performance.now() - t0) / loads;
    // The two KV reads alone, for how much of a load is the store's round trips.
    const t1 = performance.now();
    let bytes = 0;
    for (let i = 0; i < loads; i++) {
      await env.MODELS.get(ACTIVE_KEY);
      bytes = (await env.MODELS.get(modelKey(version)))?.length ?? 0;
    }
    const kvMs = (performance.now() - t1) / loads;
    return Response.json({ ms, kvMs, version, inputs, k, bytes });
  },
};
