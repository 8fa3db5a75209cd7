// The Experiments page inside workerd, from counts in the real local D1: the
// state, a verdict in words per segment, the table and the uplift chart.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { exposureStatements } from '../../worker/experiments/exposure-sql.ts';
import { select } from '../support/dashboard-html.ts';
import { clearExperimentCounts, clearExperiments, createExperiment } from '../support/experiments.ts';
import { OPERATOR_KEY } from '../support/keys.ts';
import { call, seedModel } from '../support/worker.ts';

const signedIn = { authorization: `Basic ${btoa(`marketing:${OPERATOR_KEY}`)}` };

/** Unique visitors, converted or not, through the exposure and conversion tables (counted as a flush counts them). */
async function visitors(key: string, variant: 0 | 1, segment: number, n: number, converted: number) {
  const db = env.MONITOR!;
  const rows = Array.from({ length: n }, (_, i) => `${key}-${variant}-${segment}-${i}`);
  const exposures = exposureStatements(
    db,
    rows.map((v) => ({ experiment: key, visitor: v, variant, segment, at: 0 })),
  );
  const conversions = rows
    .slice(0, converted)
    .map((v) =>
      db
        .prepare('INSERT INTO experiment_conversions (experiment, visitor, value, at) VALUES (?, ?, 1, 0)')
        .bind(key, v),
    );
  await db.batch([...exposures, ...conversions]);
}

let html: string;
beforeAll(async () => {
  await seedModel();
  await clearExperiments();
  await clearExperimentCounts();
  await createExperiment({ key: 'page-test', holdout: 0.5, segments: [0, 1] });
  // Segment 0: 10% → 30% on 400 visitors each, a clear win. Segment 1: 40 visitors each, too few.
  await visitors('page-test', 0, 0, 400, 40);
  await visitors('page-test', 1, 0, 400, 120);
  await visitors('page-test', 0, 1, 40, 4);
  await visitors('page-test', 1, 1, 40, 5);
  const res = await call('/experiments', { headers: signedIn });
  expect(res.status).toBe(200);
  html = await res.text();
});

describe('GET /experiments', () => {
  it('says in words what personalising each segment does, with its interval', async () => {
    const [segment0] = await select(html, 'li[data-segment="0"]');
    expect(segment0.text).toMatch(
      /^Personalising segment 1 \(.+\) adds 20\.0 points of conversion, 95% interval \d+\.\d to \d+\.\d\.$/,
    );
    const [segment1] = await select(html, 'li[data-segment="1"]');
    expect(segment1.text).toMatch(/^Too few visitors for a verdict on segment 2/);
    const [state] = await select(html, '.experiment .state');
    expect(state.text).toBe('running');
  });

  it('has a table row per segment and one for all, with the counts', async () => {
    const rows = await select(html, 'table.results tbody tr');
    expect(rows).toHaveLength(3);
    const cells = await select(html, 'table.results tbody tr.total td');
    expect(cells.slice(0, 6).map((c) => c.text)).toEqual(['440', '44', '10%', '440', '125', '28%']);
  });

  it('draws the uplift per segment with its interval, coloured where there is a verdict', async () => {
    const rows = await select(html, 'svg.intervals g.interval');
    expect(rows.map((r) => r.attrs.class)).toEqual(['row interval up', 'row interval none']);
    expect(await select(html, 'svg.intervals circle.estimate')).toHaveLength(2);
  });

  it('is in the navigation, marked as the current page', async () => {
    const [link] = await select(html, 'nav a[aria-current="page"]');
    expect(link.attrs.href).toBe('/experiments');
  });

  it('wants a sign-in like the other pages', async () => {
    expect((await call('/experiments')).status).toBe(401);
  });
});
