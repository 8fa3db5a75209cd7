// The worker's HTTP surface: each route group lives in its own module and is
// mounted here. Everything the caller sent wrong is a 4xx problem; only a bug
// of ours is a 500, and then without internals in the body.
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { problemResponse } from './problem.ts';
import { healthRoutes } from './routes/health.ts';
import { modelRoutes } from './routes/model.ts';
import { scoreRoutes } from './routes/score.ts';

export function createApp() {
  const app = new Hono<AppEnv>();
  app.route('/', healthRoutes);
  app.route('/', modelRoutes);
  app.route('/', scoreRoutes);

  app.notFound((c) =>
    problemResponse({ type: 'https://edgeseg.dev/problems/not-found', title: 'Not found', status: 404, detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }),
  );
  app.onError((err, c) => {
    // Hono raises HTTPException for malformed requests it parses itself.
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problemResponse({ title: 'Bad request', status: status as 400, detail: err.message.slice(0, 200) });
    }
    console.error(`${c.req.method} ${c.req.path}:`, err);
    return problemResponse({ title: 'Internal error', status: 500, detail: 'an unexpected error; it has been logged' });
  });
  return app;
}
