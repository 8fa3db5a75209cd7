// GET /experiments — the dashboard's Experiments page: every experiment with
// its results, read like GET /v1/admin/experiments/<key> reads them.
import { Hono } from 'hono';
import { ExperimentsPage } from '../../dashboard/pages/experiments.tsx';
import type { AppEnv } from '../env.ts';
import { flushExposures } from '../experiments/exposures.ts';
import { type ExperimentResults, experimentResults, readCounts } from '../experiments/results.ts';
import { withRunningPValues } from '../experiments/p-values.ts';
import { readExperiments } from '../experiments/store.ts';
import { dashboardAuth } from './dashboard-auth.ts';
import { dashboardHeaders } from './dashboard-headers.ts';
import { page } from './dashboard.tsx';
import { currentModel } from './model-middleware.ts';

export const dashboardExperimentRoutes = new Hono<AppEnv>();
// On the GET only: any other method is the API's plain 404 problem.
dashboardExperimentRoutes.get('/experiments', dashboardHeaders, dashboardAuth, async (c) => {
  const [loaded, experiments] = await Promise.all([currentModel(c), readExperiments(c.env.MODELS)]);
  const now = Date.now();
  const results: ExperimentResults[] = [];
  let unavailable = false;
  const db = c.env.MONITOR;
  try {
    if (db) await flushExposures(db);
    // Newest first; a handful of experiments, each one small indexed read.
    for (const e of [...experiments].reverse()) {
      const counted = experimentResults(e, db ? await readCounts(db, e.key) : [], now);
      results.push(db ? await withRunningPValues(db, counted) : counted);
    }
    unavailable = !db && experiments.length > 0;
  } catch (e) {
    console.error(`dashboard experiments: ${String(e)}`);
    unavailable = true;
  }
  return page(
    c,
    <ExperimentsPage experiments={results} model={loaded?.compiled.model ?? null} unavailable={unavailable} />,
  );
});
