// A scored visitor meets the experiments: the members a scoring answer gains
// when the visitor is in a running experiment covering their segment.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { executionContext, refreshSeconds } from '../routes/model-middleware.ts';
import { assign } from './assign.ts';
import { currentExperiments } from './store.ts';

/** `{ experiment: { key, variant } }` for a visitor in a running experiment, else null (the answer is unchanged). */
export async function experimentMembers(
  c: Context<AppEnv>,
  segment: number,
  visitor: string,
): Promise<Record<string, unknown> | null> {
  const loaded = await currentExperiments(c.env.MODELS, refreshSeconds(c.env), executionContext(c));
  const assignment = assign(loaded.index, segment, visitor, Date.now());
  if (!assignment) return null;
  return { experiment: { key: assignment.key, variant: assignment.variant } };
}
