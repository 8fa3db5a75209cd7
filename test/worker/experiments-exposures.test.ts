// Exposures buffered per isolate, written in batches: a visitor counts once
// however often they come back, and when D1 fails the answers are unchanged
// and the buffered exposures are written by the next flush that works.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushExposures, pendingExposures } from '../../worker/experiments/exposures.ts';
import { clearExperimentCounts, clearExperiments, createExperiment, results } from '../support/experiments.ts';
import { call, seedModel } from '../support/worker.ts';

const query = 'region=West&channel=app&age=29&spending_score=81';
const db = () => env.MONITOR!;
const exposures = async () =>
  (await db().prepare('SELECT COUNT(*) AS n FROM experiment_exposures').first<{ n: number }>())!.n;

beforeEach(async () => {
  await seedModel();
  await clearExperiments();
  await clearExperimentCounts();
  await createExperiment({ key: 'buffered', holdout: 0.5, segments: 'all' });
});

describe('exposures', () => {
  it('count a returning visitor once, across requests and flushes', async () => {
    for (let round = 0; round < 3; round++) {
      for (const v of ['a', 'b', 'c']) expect((await call(`/v1/segment?${query}&visitor=${v}`)).status).toBe(200);
      await flushExposures(db());
    }
    expect(await exposures()).toBe(3);
    const body = await (await results('buffered')).json<any>();
    expect(body.overall.control.visitors + body.overall.personalised.visitors).toBe(3);
  });

  describe('while D1 fails', () => {
    // A real failure of the real database: the table the flush writes to is gone for a while.
    beforeEach(async () => {
      await db().prepare('ALTER TABLE experiment_exposures RENAME TO experiment_exposures_away').run();
    });
    afterEach(async () => {
      await db()
        .prepare('ALTER TABLE experiment_exposures_away RENAME TO experiment_exposures')
        .run()
        .catch(() => {});
    });

    it('answers as always, keeps the exposures and writes them once D1 is back', async () => {
      const before = await (await call(`/v1/segment?${query}&visitor=kept-1`)).json<any>();
      await flushExposures(db()); // fails: logs one line, keeps the rows
      const during = await (await call(`/v1/segment?${query}&visitor=kept-1`)).json<any>();
      expect(during.experiment).toEqual(before.experiment);
      expect((await call(`/v1/segment?${query}&visitor=kept-2`)).status).toBe(200);
      await flushExposures(db());
      expect(pendingExposures()).toBe(2);
      await db().prepare('ALTER TABLE experiment_exposures_away RENAME TO experiment_exposures').run();
      await flushExposures(db());
      expect(pendingExposures()).toBe(0);
      expect(await exposures()).toBe(2);
    });
  });
});
