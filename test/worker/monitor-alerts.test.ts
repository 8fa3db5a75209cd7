// The hourly drift check (Cron Trigger): a drifted input is alerted once per
// model version, as a signed Standard Webhooks `model.drift` event through the
// webhook outbox; the next hour, with the same drift, sends nothing more.
import { env } from 'cloudflare:workers';
import {
  createExecutionContext,
  createScheduledController,
  runDurableObjectAlarm,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createWorker } from '../../worker/app.ts';
import { ledger } from '../../worker/routes/webhooks.ts';
import { DRIFT_EVENT, FORWARDED_TYPE, signingSecret } from '../../worker/durable/webhook-ledger.ts';
import { ALERT_SECRET, bearer, FORWARD_SECRET } from '../support/keys.ts';
import { clearMonitor } from '../support/monitor.ts';
import { direct } from '../support/worker-direct.ts';
import { sampleModel, seedModel } from '../support/worker.ts';

const ALERT_URL = 'https://alerts.example.test/edgeseg';
const worker = createWorker();

let version: string;
beforeAll(async () => {
  version = await seedModel();
});
beforeEach(clearMonitor);
afterEach(() => {
  vi.restoreAllMocks();
});

async function runCron(at: number, overrides: Record<string, unknown> = { ALERT_URL }): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ scheduledTime: at, cron: '0 * * * *' }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

async function scoreShifted(): Promise<void> {
  const model = sampleModel();
  const i = model.inputs.findIndex((f: { name: string }) => f.name === 'spending_score');
  const shift = 2 * model.segmentation.population.stds[i];
  const { records } = inject('parity');
  const n = model.inputs.length;
  const shifted = records
    .filter((r) => Object.keys(r).length === n)
    .slice(0, 1000)
    .map((r) => ({ ...r, spending_score: (r.spending_score as number) + shift }));
  const res = await direct('/v1/score', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify({ records: shifted }),
  });
  expect(res.status).toBe(200);
}

describe('the hourly drift check', () => {
  it('sends one signed model.drift alert for a drifted input, and not a second', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      if (String(input) === ALERT_URL)
        received.push({ headers: Object.fromEntries(new Headers(init?.headers)), body: String(init?.body) });
      return new Response('ok');
    });
    await scoreShifted();
    await runCron(Date.now());
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(ledger(env));
      expect(received.length).toBeGreaterThanOrEqual(1);
    });
    await runCron(Date.now() + 3_600_000); // an hour later, the same drift
    await runDurableObjectAlarm(ledger(env));
    const drift = received.map((r) => new Webhook(ALERT_SECRET).verify(r.body, r.headers) as any);
    expect(drift).toHaveLength(1);
    // Signed with the alerts' own secret: the receiver of forwarded sign-ups cannot make one.
    expect(() => new Webhook(FORWARD_SECRET).verify(received[0].body, received[0].headers)).toThrow();
    expect(drift[0]).toMatchObject({ type: 'model.drift', data: { model: version } });
    const conditions = drift[0].data.conditions.map((c: { condition: string }) => c.condition);
    expect(conditions).toContain('input:spending_score');
    expect(conditions.filter((c: string) => c.startsWith('input:'))).toEqual(['input:spending_score']);
    const stored = await env.MONITOR!.prepare('SELECT condition FROM alerts_sent WHERE model = ?').bind(version).all();
    expect(stored.results.map((r) => r.condition).sort()).toEqual([...conditions].sort());
  });

  it('signs alerts with ALERT_SECRET, or FORWARD_SECRET without one, and sign-ups with FORWARD_SECRET', () => {
    const both = { ALERT_SECRET, FORWARD_SECRET };
    expect(signingSecret(both, DRIFT_EVENT)).toEqual(['ALERT_SECRET', ALERT_SECRET]);
    expect(signingSecret({ FORWARD_SECRET }, DRIFT_EVENT)).toEqual(['FORWARD_SECRET', FORWARD_SECRET]);
    // Forwarded sign-ups are stored under their incoming type, whatever it is.
    for (const type of ['user.created', FORWARDED_TYPE])
      expect(signingSecret(both, type)).toEqual(['FORWARD_SECRET', FORWARD_SECRET]);
  });

  it('sends nothing without ALERT_URL, or without drift', async () => {
    await scoreShifted();
    await runCron(Date.now(), { ALERT_URL: '' });
    await clearMonitor();
    await runCron(Date.now());
    const sent = await env.MONITOR!.prepare('SELECT COUNT(*) AS n FROM alerts_sent').first<{ n: number }>();
    expect(sent?.n).toBe(0);
  });
});
