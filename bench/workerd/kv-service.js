// A KV namespace for plain workerd: the worker's `MODELS` binding is a
// `kvNamespace` binding pointing at this service, and workerd turns each
// `env.MODELS.get(key)` into a GET of /<key> here (the same request a KV
// binding makes in production, answered from memory). Only reads are served:
// the benchmark publishes nothing at run time.
export default {
  async fetch(request, env) {
    if (request.method !== 'GET') return new Response('read-only', { status: 405 });
    const key = decodeURIComponent(new URL(request.url).pathname.slice(1));
    const value = env.ENTRIES[key];
    return value === undefined ? new Response(null, { status: 404 }) : new Response(value);
  },
};
