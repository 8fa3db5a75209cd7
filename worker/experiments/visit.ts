// A scored visitor meets the experiments: the members a scoring answer gains
// when the visitor is in a running experiment covering their segment — the
// experiment and variant, and a signed receipt whose experiment claims let a
// later conversion be counted — and the exposure, buffered for D1.
import type { Context } from 'hono';
import type { AppEnv, Env } from '../env.ts';
import { receiptClaims, signReceiptSync } from '../receipts.ts';
import { executionContext, refreshSeconds } from '../routes/model-middleware.ts';
import { assign } from './assign.ts';
import { recordExposure } from './exposures.ts';
import { currentExperiments } from './store.ts';
import { visitorHash } from './visitor-hash.ts';

/** The experiment claims a receipt carries (`x`): key, variant and the keyed hash of the visitor. */
export interface ExperimentClaims {
  k: string;
  v: 'control' | 'personalised';
  h: string;
}

export interface ScoredVisit {
  model: string;
  segment: number;
  scores: Record<string, number>;
}

export function flushSeconds(env: Pick<Env, 'EXPERIMENT_FLUSH_SECONDS'>): number {
  const n = Number(env.EXPERIMENT_FLUSH_SECONDS ?? 10);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 25) : 10;
}

let warnedNoSecret = false;

/**
 * `{ experiment: { key, variant }, receipt }` for a visitor in a running
 * experiment, else null (the answer is unchanged). Without RECEIPT_SECRET the
 * visitor is still assigned, but nothing is recorded and no receipt is given.
 */
export async function experimentMembers(
  c: Context<AppEnv>,
  visit: ScoredVisit,
  visitor: string,
): Promise<Record<string, unknown> | null> {
  const ctx = executionContext(c);
  const loaded = await currentExperiments(c.env.MODELS, refreshSeconds(c.env), ctx);
  const now = Date.now();
  const assignment = assign(loaded.index, visit.segment, visitor, now);
  if (!assignment) return null;
  const experiment = { key: assignment.key, variant: assignment.variant };
  const secret = c.env.RECEIPT_SECRET;
  if (!secret) {
    if (!warnedNoSecret) console.error('experiments: RECEIPT_SECRET is not set; exposures are not recorded');
    warnedNoSecret = true;
    return { experiment };
  }
  const h = visitorHash(secret, assignment.key, visitor);
  if (c.env.MONITOR) {
    const variant = assignment.variant === 'control' ? 0 : 1;
    const exposure = {
      experiment: assignment.key,
      visitor: h,
      variant,
      segment: visit.segment,
      at: Math.floor(now / 1000),
    } as const;
    recordExposure(c.env.MONITOR, exposure, ctx, flushSeconds(c.env));
  }
  const x: ExperimentClaims = { k: assignment.key, v: assignment.variant, h };
  const receipt = signReceiptSync(secret, receiptClaims(visit.model, visit.segment, visit.scores, now, { x }));
  return { experiment, receipt };
}
