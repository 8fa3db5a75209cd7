// Live monitoring in workerd with the real D1 binding: what the edge scores
// is counted (never a write per request), compared with the model's training
// distributions, and outcomes reported against receipts give live accuracy.
import { env } from 'cloudflare:workers';
import { inject, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, signedHeaders } from '../support/keys.ts';
import { clearMonitor, exactAuc, monitorReport } from '../support/monitor.ts';
import { direct } from '../support/worker-direct.ts';
import { flush } from '../../worker/monitor/flush.ts';
import { sampleModel, seedModel } from '../support/worker.ts';

let version: string;
beforeAll(async () => {
  version = await seedModel();
});
beforeEach(clearMonitor);

const keyed = (body: unknown, path = '/v1/score') =>
  direct(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify(body),
  });

/** The sample's records with every field present (the parity set leaves one out of every seventh). */
function completeRecords(): { records: Record<string, unknown>[]; labels: boolean[] } {
  const { records, labels } = inject('parity');
  const n = sampleModel().inputs.length;
  const keep = records.map((r, i) => [r, labels[i]] as const).filter(([r]) => Object.keys(r).length === n);
  return { records: keep.map(([r]) => r), labels: keep.map(([, l]) => l) };
}

async function scoreAll(records: Record<string, unknown>[], query = ''): Promise<any[]> {
  const results: any[] = [];
  for (let at = 0; at < records.length; at += 1000) {
    const res = await keyed({ records: records.slice(at, at + 1000) }, `/v1/score${query}`);
    expect(res.status).toBe(200);
    results.push(...(await res.json<any>()).results);
  }
  return results;
}

describe('drift', () => {
  it('is stable everywhere for records drawn like the training rows', async () => {
    const { records } = completeRecords();
    expect(records.length).toBeGreaterThan(500);
    await scoreAll(records);
    const report = await monitorReport();
    expect(report.model).toBe(version);
    expect(report.records).toBe(records.length);
    expect(report.sources.batch).toBe(records.length);
    expect(report.segments.status).toBe('stable');
    expect(report.scores.purchased.status).toBe('stable');
    expect(report.inputs).toHaveLength(sampleModel().inputs.length);
    for (const input of report.inputs) expect([input.name, input.status]).toEqual([input.name, 'stable']);
  });

  it('flags the one input shifted by two standard deviations, and only it', async () => {
    const model = sampleModel();
    const i = model.inputs.findIndex((f: { name: string }) => f.name === 'spending_score');
    const shift = 2 * model.segmentation.population.stds[i];
    const { records } = completeRecords();
    await scoreAll(records.map((r) => ({ ...r, spending_score: (r.spending_score as number) + shift })));
    const report = await monitorReport();
    expect(report.inputs[0]).toMatchObject({ name: 'spending_score', status: 'drift' });
    for (const input of report.inputs.slice(1)) expect([input.name, input.status]).toEqual([input.name, 'stable']);
    // Sorted by PSI, largest first.
    const psis = report.inputs.map((x: { psi: number }) => x.psi);
    expect(psis).toEqual([...psis].sort((a, b) => b - a));
  });

  it('gives no verdict under the minimum of records', async () => {
    const { records } = completeRecords();
    await scoreAll(records.slice(0, 100));
    const report = await monitorReport();
    expect(report.records).toBe(100);
    expect(report.segments.status).toBe('too few');
    expect(report.inputs.every((x: { status: string }) => x.status === 'too few')).toBe(true);
  });
});

describe('counting', () => {
  it('loses nothing when many requests flush at once: exact counts', async () => {
    const { records } = completeRecords();
    const some = records.slice(0, 60);
    const answers = await Promise.all(
      some.map((r) =>
        direct('/v1/score', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(r),
        }),
      ),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const segments = new Map<number, number>();
    for (const a of answers) {
      const id = (await a.json<any>()).segment.id;
      segments.set(id, (segments.get(id) ?? 0) + 1);
    }
    const rows = await env
      .MONITOR!.prepare("SELECT bin, SUM(n) AS n FROM counts WHERE model = ? AND kind = 'segment' GROUP BY bin")
      .bind(version)
      .all<{ bin: number; n: number }>();
    expect(new Map(rows.results.map((r) => [r.bin, r.n]))).toEqual(segments);
    const report = await monitorReport();
    expect(report.sources.single).toBe(60);
    expect(report.records).toBe(60);
    for (const input of report.inputs) expect(input.live.reduce((s: number, x: number) => s + x, 0)).toBeCloseTo(1, 5);
  });

  it('counts each source: single, batch, /v1/segment, the embed script and the dashboard', async () => {
    const [r] = completeRecords().records;
    const query = new URLSearchParams(Object.entries(r).map(([k, v]) => [k, String(v)]));
    await direct('/v1/score', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(r),
    });
    await keyed({ records: [r, r] });
    await direct(`/v1/segment?${query}`);
    await direct(`/v1/segment?${query}&_via=embed`);
    await direct('/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...bearer() },
      body: query.toString(),
    });
    const report = await monitorReport();
    expect(report.sources).toMatchObject({ single: 1, batch: 2, segment: 1, embed: 1, dashboard: 1 });
    expect(report.records).toBe(6);
  });

  it("counts a dashboard CSV batch's scored rows once the download is read", async () => {
    const { records } = completeRecords();
    const names = sampleModel().inputs.map((f: { name: string }) => f.name);
    const csv = [names.join(','), ...records.slice(0, 25).map((r) => names.map((n: string) => r[n]).join(','))].join(
      '\n',
    );
    const res = await direct('/batch?filename=some.csv', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...bearer() },
      body: csv,
    });
    expect(res.status).toBe(200);
    expect((await res.text()).trim().split('\n')).toHaveLength(26);
    await flush(env.MONITOR!); // the rows are counted as the download is read, after the request's own waitUntil
    const report = await monitorReport();
    expect(report.sources.dashboard).toBe(25);
    expect(report.records).toBe(25);
  });

  it('counts nothing for a batch refused for one bad record', async () => {
    const [r] = completeRecords().records;
    const res = await keyed({ records: [r, { ...r, age: 'old' }] });
    expect(res.status).toBe(400);
    expect((await monitorReport()).records).toBe(0);
  });

  it('answers exactly as without monitoring when D1 fails, and never a 5xx', async () => {
    const { records } = completeRecords();
    const failing = {
      prepare: () => {
        throw new Error('D1 is down');
      },
      batch: () => Promise.reject(new Error('D1 is down')),
    } as unknown as D1Database;
    const body = JSON.stringify({ records: records.slice(0, 5) });
    const init = { method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body };
    const plain = await direct('/v1/score', init, { MONITOR: undefined });
    const down = await direct('/v1/score', init, { MONITOR: failing });
    const downAgain = await direct('/v1/score', init, { MONITOR: failing });
    expect(down.status).toBe(200);
    expect(await down.text()).toBe(await plain.text());
    expect(downAgain.status).toBe(200);
    // Failed twice: those counts were dropped, not written later.
    await direct('/v1/score', init);
    expect((await monitorReport()).records).toBe(5);
  });
});

describe('receipts and outcomes', () => {
  it('leave answers without receipt=true unchanged, byte for byte', async () => {
    const [r] = completeRecords().records;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) };
    const a = await (await direct('/v1/score', init)).text();
    const b = await (await direct('/v1/score?receipt=false', init)).text();
    const withReceipt = await (await direct('/v1/score?receipt=true', init)).json<any>();
    expect(b).toBe(a);
    expect(a).not.toContain('receipt');
    const { receipt, ...rest } = withReceipt;
    expect(receipt).toMatch(/^r1\./);
    expect(rest).toEqual(JSON.parse(a));
  });

  it('give a live ROC-AUC within 0.01 of the offline AUC on the same records', async () => {
    const { records, labels } = completeRecords();
    const results = await scoreAll(records, '?receipt=true');
    const offline = exactAuc(
      results.map((r) => r.scores.purchased),
      labels,
    );
    const outcomes = results.map((r, i) => ({ receipt: r.receipt, values: { purchased: labels[i] } }));
    for (let at = 0; at < outcomes.length; at += 1000) {
      const res = await keyed({ outcomes: outcomes.slice(at, at + 1000) }, '/v1/outcomes');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: outcomes.slice(at, at + 1000).length, rejected: [] });
    }
    const live = (await monitorReport()).outcomes.purchased;
    expect(live.n).toBe(records.length);
    expect(live.positives).toBe(labels.filter(Boolean).length);
    expect(Math.abs(live.rocAuc - offline)).toBeLessThan(0.01);
    expect(live.calibration.length).toBeGreaterThan(3);
  });

  it('come with scored sign-up webhooks too, which are counted as such', async () => {
    const body = JSON.stringify({
      type: 'user.created',
      timestamp: new Date().toISOString(),
      data: { age: 34, annual_income: 71, region: 'West', channel: 'web' },
    });
    const res = await direct('/v1/webhooks/signup?receipt=true', {
      method: 'POST',
      headers: signedHeaders(body),
      body,
    });
    expect(res.status).toBe(200);
    expect((await res.json<any>()).receipt).toMatch(/^r1\./);
    expect((await monitorReport()).sources.webhook).toBe(1);
  });

  it('count forged, tampered and replayed receipts nothing, rejecting each by index', async () => {
    const [r] = completeRecords().records;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) };
    const { receipt } = await (await direct('/v1/score?receipt=true', init)).json<any>();
    const [, body, mac] = receipt.split('.');
    const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
    const tampered = `r1.${btoa(JSON.stringify({ ...claims, s: claims.s + 1 })).replace(/=+$/, '')}.${mac}`;
    const first = await keyed({ outcomes: [{ receipt, values: { purchased: true } }] }, '/v1/outcomes');
    expect(await first.json()).toEqual({ accepted: 1, rejected: [] });
    const again = await keyed(
      {
        outcomes: [
          { receipt, values: { purchased: false } },
          { receipt: tampered, values: { purchased: true } },
          { receipt: `${receipt.slice(0, -4)}AAAA`, values: { purchased: true } },
          { receipt, values: { churned: true } },
          { receipt: 'hello', values: { purchased: true } },
        ],
      },
      '/v1/outcomes',
    );
    const answer = await again.json<any>();
    expect(answer.accepted).toBe(0);
    expect(answer.rejected.map((x: { index: number }) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(answer.rejected[0].reason).toMatch(/already counted/);
    expect(answer.rejected[1].reason).toMatch(/invalid signature/);
    expect(answer.rejected[3].reason).toMatch(/no score for this target/);
    const live = (await monitorReport()).outcomes.purchased;
    expect([live.n, live.positives]).toEqual([1, 1]);
  });

  it('refuses outcomes without a key, and more than 1,000 at once, naming the field', async () => {
    const none = await direct('/v1/outcomes', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"outcomes":[]}',
    });
    expect(none.status).toBe(401);
    const many = await keyed(
      { outcomes: Array(1001).fill({ receipt: 'x', values: { purchased: true } }) },
      '/v1/outcomes',
    );
    expect(many.status).toBe(400);
    expect((await many.json<any>()).errors[0].name).toMatch(/outcomes/);
  });
});

describe('GET /v1/admin/monitor', () => {
  it('needs a key, and names a bad window', async () => {
    expect((await direct('/v1/admin/monitor')).status).toBe(401);
    const bad = await direct('/v1/admin/monitor?window=2h', { headers: bearer() });
    expect(bad.status).toBe(400);
    expect((await bad.json<any>()).errors[0].name).toMatch(/window/);
    const unknown = await direct('/v1/admin/monitor?model=aaaabbbbcccc', { headers: bearer() });
    expect(unknown.status).toBe(404);
  });
});
