// The worker's HTTP surface: each route group lives in its own module and is
// mounted here. Everything the caller sent wrong is a 4xx problem; only a bug
// of ours is a 500, and then without internals in the body.
import { Hono } from 'hono';
import type { AppEnv, Env } from './env.ts';
import { internalError, problemResponse } from './problem.ts';
import { healthRoutes } from './routes/health.ts';
import { modelRoutes } from './routes/model.ts';
import { scoreRoutes } from './routes/score.ts';
import { apiPreflight } from './cors.ts';
import { finishAnswer } from './answer-headers.ts';
import { segmentRoutes } from './routes/segment.ts';
import { embedRoutes } from './routes/embed.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { adminRoutes } from './routes/admin.ts';
import { monitorRoutes } from './routes/monitor.ts';
import { outcomeRoutes } from './routes/outcomes.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { checkDrift } from './monitor/alerts.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { eventRoutes } from './routes/events.ts';
import { experimentResultRoutes } from './routes/experiment-results.ts';
import { dashboardRoutes } from './routes/dashboard.tsx';
import { dashboardExperimentRoutes } from './routes/dashboard-experiments.tsx';

/** The route groups, in the order they are mounted (monitorRoutes after adminRoutes, whose /v1/admin/* key check and limit it relies on). */
export const ROUTE_GROUPS: readonly Hono<AppEnv>[] = [
  healthRoutes,
  modelRoutes,
  scoreRoutes,
  segmentRoutes,
  embedRoutes,
  webhookRoutes,
  adminRoutes,
  monitorRoutes,
  outcomeRoutes,
  experimentRoutes,
  eventRoutes,
  experimentResultRoutes,
  openApiRoutes,
  dashboardRoutes,
  dashboardExperimentRoutes,
];

/** The app; `groups` replaces the route groups (the bench's ceiling worker swaps the scoring route). */
export function createApp(groups: readonly Hono<AppEnv>[] = ROUTE_GROUPS) {
  const app = new Hono<AppEnv>();
  // Secure and CORS headers are set on every answer after the router (finishAnswer), not as
  // middlewares; preflights for the API are answered here.
  app.options('/v1/*', apiPreflight);
  for (const group of groups) app.route('/', group);

  app.notFound((c) =>
    problemResponse({
      type: 'https://edgeseg.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`,
    }),
  );
  app.onError((err, c) => {
    // Hono raises HTTPException for malformed requests it parses itself.
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problemResponse({ title: 'Bad request', status: status as 400, detail: err.message.slice(0, 200) });
    }
    console.error(`${c.req.method} ${c.req.path}:`, err);
    return problemResponse(internalError());
  });
  return app;
}

/**
 * The worker: every request, POST /v1/score included, through the app's router, then the answer
 * headers step; the hourly Cron Trigger checks live drift (worker/monitor/alerts.ts).
 */
export function createWorker(groups: readonly Hono<AppEnv>[] = ROUTE_GROUPS) {
  const app = createApp(groups);
  return {
    fetch: (req: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> =>
      finishAnswer(req, env, app.fetch(req, env, ctx)),
    scheduled: async (controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> => {
      await checkDrift(env, controller.scheduledTime);
    },
  };
}
