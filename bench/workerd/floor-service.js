// workerd's own floor for the edge rows: a worker that does no work. A GET
// gets a small JSON answer; a POST has its body read whole, then the same
// answer. Measured beside the real routes, it shows what receiving a POST
// body costs workerd itself, before any of our code runs.
const ANSWER = '{"status":"ok","model":"0123456789ab","isolate":"01234567","loadedAt":"2026-01-01T00:00:00.000Z"}';

export default {
  async fetch(request) {
    if (request.method === 'POST') await request.arrayBuffer();
    return new Response(ANSWER, { headers: { 'content-type': 'application/json' } });
  },
};
