// The edge rows' ceiling: the worker as deployed — the same app, router,
// answer step and answer headers — except that POST /v1/score only reads
// and parses the record, as the real route does, then answers the real
// route's answer to the bench record (the CEILING_ANSWER binding) without
// checking, scoring or counting anything. Its throughput against the real
// worker's GET /health is the best any scoring route through this app could
// reach on workerd: whatever checking, scoring and counting cost comes off it.
import { Hono } from 'hono';
import { jsonAnswer } from '../../worker/api-headers.ts';
import { createWorker, ROUTE_GROUPS } from '../../worker/app.ts';
import { parseJson, readBytes } from '../../worker/body.ts';
import type { AppEnv, Env } from '../../worker/env.ts';
import { problemResponse } from '../../worker/problem.ts';
import { scoreRoutes } from '../../worker/routes/score.ts';

const ceilingRoutes = new Hono<AppEnv>();

ceilingRoutes.post('/v1/score', async (c) => {
  const bytes = await readBytes(c.req.raw);
  if (!bytes.ok) return problemResponse(bytes.problem);
  const body = parseJson(bytes.bytes);
  if (!body.ok) return problemResponse(body.problem);
  return jsonAnswer(c, (c.env as Env & { CEILING_ANSWER: string }).CEILING_ANSWER);
});

export default createWorker(ROUTE_GROUPS.map((g) => (g === scoreRoutes ? ceilingRoutes : g)));
