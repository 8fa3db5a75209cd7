// An experiment's reported p-value is the running minimum over the looks at
// its results: once the sequential test has found a winner, a later look
// whose counts alone would say "inconclusive" still reports the lowest
// p-value seen, and the verdict it reached (worker/experiments/p-values.ts).
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { msprtPValue } from '../../worker/experiments/stats/msprt.ts';
import { clearExperimentCounts, clearExperiments, createExperiment, results } from '../support/experiments.ts';
import { OPERATOR_KEY } from '../support/keys.ts';
import { call, seedModel } from '../support/worker.ts';

const signedIn = { authorization: `Basic ${btoa(`marketing:${OPERATOR_KEY}`)}` };

const key = 'running-p';

/** Sets the experiment's counts in segment 0 as the exposure flushes and conversion trigger would leave them. */
async function setCounts(control: [number, number], personalised: [number, number]): Promise<void> {
  const db = env.MONITOR!;
  const put = db.prepare(
    `INSERT INTO experiment_counts (experiment, variant, segment, visitors, conversions, value) VALUES (?, ?, 0, ?, ?, 0)
     ON CONFLICT (experiment, variant, segment) DO UPDATE SET visitors = excluded.visitors, conversions = excluded.conversions`,
  );
  await db.batch([put.bind(key, 0, ...control), put.bind(key, 1, ...personalised)]);
}

beforeEach(async () => {
  await seedModel();
  await clearExperiments();
  await clearExperimentCounts();
  expect((await createExperiment({ key, holdout: 0.5, segments: 'all' })).status).toBe(201);
});

describe("an experiment's p-value over several looks", () => {
  it('keeps the lowest p-value seen and its verdict when later counts alone would not', async () => {
    await setCounts([1000, 50], [1000, 100]);
    const first = await (await results(key)).json<any>();
    const p1 = msprtPValue(100, 1000, 50, 1000);
    expect(p1).toBeLessThan(0.05);
    expect(first.overall.uplift).toMatchObject({ pValue: p1, verdict: 'personalised-better' });
    expect(first.segments['0'].uplift).toMatchObject({ pValue: p1, verdict: 'personalised-better' });

    // Control catches up: today's counts alone are inconclusive.
    await setCounts([2000, 170], [2000, 200]);
    const p2 = msprtPValue(200, 2000, 170, 2000);
    expect(p2).toBeGreaterThan(0.05);
    const second = await (await results(key)).json<any>();
    expect(second.overall.control).toMatchObject({ visitors: 2000, conversions: 170 });
    expect(second.overall.uplift).toMatchObject({ pValue: p1, verdict: 'personalised-better' });
    // The dashboard shows the same running minimum, not today's p-value alone.
    const page = await (await call('/experiments', { headers: signedIn })).text();
    expect(page).toContain(`<td>${p1 < 0.001 ? '&lt; 0.001' : p1.toFixed(3)}</td>`);
    expect(page).not.toContain(`<td>${p2.toFixed(3)}</td>`);
  });

  it('reports a lower p-value as soon as a look finds one', async () => {
    await setCounts([1000, 80], [1000, 90]);
    const first = await (await results(key)).json<any>();
    expect(first.overall.uplift.pValue).toBeCloseTo(msprtPValue(90, 1000, 80, 1000), 12);
    expect(first.overall.uplift.verdict).toBe('inconclusive');
    await setCounts([3000, 240], [3000, 330]);
    const second = await (await results(key)).json<any>();
    expect(second.overall.uplift.pValue).toBeCloseTo(msprtPValue(330, 3000, 240, 3000), 12);
    expect(second.overall.uplift.verdict).toBe('personalised-better');
  });
});
