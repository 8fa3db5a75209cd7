// The hourly Cron Trigger's check (docs/monitoring.md): the active model's
// last 24 hours against training. An input, the segment mix or a head's
// scores reaching `drift`, or a head's live ROC-AUC 0.05 or more below its
// training AUC with at least 200 outcomes, is a condition; each condition
// is alerted once per model version (alerts_sent in D1), as one signed
// Standard Webhooks event `model.drift` to ALERT_URL through the webhook
// outbox (worker/durable/webhook-ledger.ts) and its retries.
import type { Model } from '../../model/index.ts';
import type { Env } from '../env.ts';
import { activeModel } from '../model-store.ts';
import { refreshSeconds } from '../routes/model-middleware.ts';
import { minRecords } from '../routes/monitor.ts';
import { DRIFT_EVENT } from '../durable/webhook-ledger.ts';
import { ledger } from '../routes/webhooks.ts';
import { type MonitorReport, monitorReport } from './report.ts';

/** Live AUC this far below training AUC is a condition… */
export const AUC_DROP = 0.05;
/** …once at least this many outcomes are in. */
export const AUC_MIN_OUTCOMES = 200;
const RECEIPT_ROWS_KEPT_MS = 90 * 24 * 3_600_000;

export interface Condition {
  /** `input:<name>`, `segments`, `score:<target>` or `auc:<target>`. */
  condition: string;
  psi?: number;
  rocAuc?: number;
  trainingRocAuc?: number;
  outcomes?: number;
}

/** The conditions a report meets now. */
export function conditionsOf(report: MonitorReport): Condition[] {
  const out: Condition[] = [];
  for (const i of report.inputs) if (i.status === 'drift') out.push({ condition: `input:${i.name}`, psi: i.psi! });
  if (report.segments.status === 'drift') out.push({ condition: 'segments', psi: report.segments.psi! });
  for (const [t, s] of Object.entries(report.scores))
    if (s.status === 'drift') out.push({ condition: `score:${t}`, psi: s.psi! });
  for (const [t, o] of Object.entries(report.outcomes)) {
    if (o.n < AUC_MIN_OUTCOMES || o.rocAuc === null || o.trainingRocAuc === null) continue;
    if (o.rocAuc <= o.trainingRocAuc - AUC_DROP)
      out.push({ condition: `auc:${t}`, rocAuc: o.rocAuc, trainingRocAuc: o.trainingRocAuc, outcomes: o.n });
  }
  return out;
}

/** Runs the check once; returns the conditions alerted now (none already alerted for this model). */
export async function checkDrift(env: Env, nowMs: number): Promise<Condition[]> {
  const db = env.MONITOR;
  if (!db) return [];
  // Receipts older than 90 days can no longer be reported: their rows only took space.
  await db
    .prepare('DELETE FROM outcome_receipts WHERE issued < ?')
    .bind(Math.floor((nowMs - RECEIPT_ROWS_KEPT_MS) / 1000))
    .run();
  const url = env.ALERT_URL?.trim();
  if (!url) return [];
  const loaded = await activeModel(env.MODELS, refreshSeconds(env));
  if (!loaded) return [];
  const model: Model = loaded.compiled.model;
  const report = await monitorReport(db, model, '24h', nowMs, minRecords(env));
  const met = conditionsOf(report);
  if (!met.length) return [];
  // Claimed first (one row per condition and model): a concurrent run claims none of the same.
  const claim = db.prepare(
    'INSERT INTO alerts_sent (model, condition, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING condition',
  );
  const claimed = await db.batch<{ condition: string }>(met.map((m) => claim.bind(model.version, m.condition, nowMs)));
  const fresh = new Set(claimed.flatMap((r) => r.results.map((x) => x.condition)));
  const alert = met.filter((m) => fresh.has(m.condition));
  if (!alert.length) return [];
  const data = { model: model.version, window: report.window, records: report.records, conditions: alert };
  try {
    await ledger(env).queueEvent({ id: `drift_${model.version}_${nowMs}`, type: DRIFT_EVENT, url, data });
  } catch (e) {
    // Not queued: release the claims, so the next hour tries again.
    const release = db.prepare('DELETE FROM alerts_sent WHERE model = ? AND condition = ?');
    await db.batch(alert.map((m) => release.bind(model.version, m.condition)));
    throw e;
  }
  return alert;
}
