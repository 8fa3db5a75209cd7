// Helpers for experiment tests: create and clear experiments through the admin API.
import { env } from 'cloudflare:workers';
import { EXPERIMENTS_KEY } from '../../worker/experiments/definition.ts';
import { resetExposures } from '../../worker/experiments/exposures.ts';
import { resetExperimentsCache } from '../../worker/experiments/store.ts';
import { bearer } from './keys.ts';
import { call, postJson } from './worker.ts';

export async function clearExperiments(): Promise<void> {
  await env.MODELS.delete(EXPERIMENTS_KEY);
  resetExperimentsCache();
}

export const createExperiment = (body: unknown, headers: Record<string, string> = bearer()) =>
  postJson('/v1/admin/experiments', body, headers);

export const listExperiments = async () =>
  (await (await call('/v1/admin/experiments', { headers: bearer() })).json<any>()).experiments as any[];

export const stopExperiment = (key: string, headers: Record<string, string> = bearer()) =>
  call(`/v1/admin/experiments/${key}/stop`, { method: 'POST', headers });

/** Empties the experiment tables of the real local D1 and this isolate's exposure buffer. */
export async function clearExperimentCounts(): Promise<void> {
  resetExposures();
  const db = env.MONITOR!;
  await db.batch(
    ['experiment_exposures', 'experiment_conversions', 'experiment_counts', 'experiment_p_values'].map((t) =>
      db.prepare(`DELETE FROM ${t}`),
    ),
  );
}

export const results = (key: string) => call(`/v1/admin/experiments/${key}`, { headers: bearer() });

export const convert = (receipt: string, value?: number) =>
  postJson(
    '/v1/events',
    value === undefined ? { receipt, event: 'conversion' } : { receipt, event: 'conversion', value },
  );
