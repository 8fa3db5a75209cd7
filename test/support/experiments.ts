// Helpers for experiment tests: create and clear experiments through the admin API.
import { env } from 'cloudflare:workers';
import { EXPERIMENTS_KEY } from '../../worker/experiments/definition.ts';
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
