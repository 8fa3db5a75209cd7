// The dashboard's Monitor page inside workerd, over the real D1 binding: the
// report of what was scored, a window and a model-version selector, and the
// page when monitoring is off.
import { inject, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, OPERATOR_KEY } from '../support/keys.ts';
import { clearMonitor } from '../support/monitor.ts';
import { direct } from '../support/worker-direct.ts';
import { sampleModel, seedModel } from '../support/worker.ts';
import { select, selectOne } from '../support/dashboard-html.ts';

const signedIn = { authorization: `Basic ${btoa(`marketing:${OPERATOR_KEY}`)}` };
let version: string;
beforeAll(async () => {
  version = await seedModel();
});
beforeEach(clearMonitor);

async function scoreSome(n: number): Promise<void> {
  const model = sampleModel();
  const records = inject('parity')
    .records.filter((r) => Object.keys(r).length === model.inputs.length)
    .slice(0, n);
  const res = await direct('/v1/score', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify({ records }),
  });
  expect(res.status).toBe(200);
}

describe('GET /monitor', () => {
  it('shows the records scored, the segment mix and every input with its drift', async () => {
    await scoreSome(600);
    const res = await direct('/monitor?window=24h', { headers: signedIn });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect((await selectOne(html, '.summary')).text).toContain('600');
    const inputs = await select(html, '.drift-list li');
    expect(inputs.map((li) => li.attrs['data-input']).sort()).toEqual(
      sampleModel()
        .inputs.map((f: { name: string }) => f.name)
        .sort(),
    );
    expect((await select(html, '.drift-stable')).length).toBeGreaterThan(0);
    const options = await select(html, 'select#model option');
    expect(options.find((o) => o.attrs.selected !== undefined)?.attrs.value).toBe(version);
    expect((await selectOne(html, 'nav a[aria-current="page"]')).text).toBe('Monitor');
  });

  it('says so when the model version has no figures yet, and when monitoring is off', async () => {
    const none = await (await direct('/monitor?window=1h', { headers: signedIn })).text();
    expect((await selectOne(none, '.summary')).text).toContain('none yet');
    const off = await direct('/monitor', { headers: signedIn }, { MONITOR: undefined });
    expect(off.status).toBe(200);
    expect(await off.text()).toContain('No monitoring figures');
  });
});
