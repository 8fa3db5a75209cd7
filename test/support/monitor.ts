// Helpers for monitoring tests: an empty MONITOR database and no unflushed
// counts in this isolate, and the report as GET /v1/admin/monitor gives it.
import { env } from 'cloudflare:workers';
import { resetBuffers } from '../../worker/monitor/buffer.ts';
import { resetFlushSchedule } from '../../worker/monitor/flush.ts';
import { bearer } from './keys.ts';
import { direct } from './worker-direct.ts';

export async function clearMonitor(): Promise<void> {
  resetBuffers();
  resetFlushSchedule();
  await env.MONITOR!.batch(
    ['counts', 'outcome_counts', 'outcome_receipts', 'alerts_sent'].map((t) =>
      env.MONITOR!.prepare(`DELETE FROM ${t}`),
    ),
  );
}

export async function monitorReport(query = 'window=1h'): Promise<any> {
  const res = await direct(`/v1/admin/monitor?${query}`, { headers: bearer() });
  if (res.status !== 200) throw new Error(`GET /v1/admin/monitor: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Exact ROC-AUC of scores against labels (ties count half). */
export function exactAuc(scores: number[], labels: boolean[]): number {
  const order = scores.map((s, i) => [s, labels[i] ? 1 : 0] as const).sort((a, b) => a[0] - b[0]);
  let neg = 0;
  let sum = 0;
  let pos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let p = 0;
    let n = 0;
    while (j < order.length && order[j][0] === order[i][0]) {
      if (order[j][1]) p++;
      else n++;
      j++;
    }
    sum += p * (neg + 0.5 * n);
    neg += n;
    pos += p;
    i = j;
  }
  return sum / (pos * neg);
}
