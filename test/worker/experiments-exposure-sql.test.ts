// The statements a flush writes exposures with, against the real local D1:
// each visitor is stored and counted once — duplicates within one flush, across
// flushes, and after a conversion wrote the exposure first — and the first row
// of a duplicate is the one kept.
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { exposureStatements, ROWS_PER_STATEMENT } from '../../worker/experiments/exposure-sql.ts';
import type { Exposure } from '../../worker/experiments/exposures.ts';
import { clearExperimentCounts } from '../support/experiments.ts';

const db = () => env.MONITOR!;
const write = (rows: Exposure[]) => db().batch(exposureStatements(db(), rows));
const row = (visitor: string, variant: 0 | 1, segment: number, at = 100, experiment = 'sql-test'): Exposure => ({
  experiment,
  visitor,
  variant,
  segment,
  at,
});

async function counts(experiment = 'sql-test') {
  const { results } = await db()
    .prepare(
      'SELECT variant, segment, visitors, conversions FROM experiment_counts WHERE experiment = ? ORDER BY variant, segment',
    )
    .bind(experiment)
    .all<{ variant: number; segment: number; visitors: number; conversions: number }>();
  return results;
}

async function stored(experiment = 'sql-test') {
  const { results } = await db()
    .prepare(
      'SELECT visitor, variant, segment, first_seen FROM experiment_exposures WHERE experiment = ? ORDER BY visitor',
    )
    .bind(experiment)
    .all();
  return results;
}

beforeEach(clearExperimentCounts);

describe('exposure statements', () => {
  it('store and count each new visitor once per cell', async () => {
    await write([row('a', 0, 1), row('b', 1, 1), row('c', 1, 1), row('d', 1, 2)]);
    expect(await counts()).toEqual([
      { variant: 0, segment: 1, visitors: 1, conversions: 0 },
      { variant: 1, segment: 1, visitors: 2, conversions: 0 },
      { variant: 1, segment: 2, visitors: 1, conversions: 0 },
    ]);
    expect((await stored()).length).toBe(4);
  });

  it('count a visitor twice in one flush once, keeping the first row', async () => {
    await write([row('a', 1, 1, 100), row('b', 1, 1), row('a', 1, 2, 200), row('a', 1, 1, 300)]);
    expect(await counts()).toEqual([{ variant: 1, segment: 1, visitors: 2, conversions: 0 }]);
    expect(await stored()).toEqual([
      { visitor: 'a', variant: 1, segment: 1, first_seen: 100 },
      { visitor: 'b', variant: 1, segment: 1, first_seen: 100 },
    ]);
  });

  it('count a visitor written by an earlier flush (another isolate) not again', async () => {
    await write([row('a', 0, 1), row('b', 1, 1)]);
    await write([row('a', 0, 3, 500), row('b', 1, 1), row('c', 1, 1)]);
    expect(await counts()).toEqual([
      { variant: 0, segment: 1, visitors: 1, conversions: 0 },
      { variant: 1, segment: 1, visitors: 2, conversions: 0 },
    ]);
    expect((await stored()).find((r) => r.visitor === 'a')).toEqual({
      visitor: 'a',
      variant: 0,
      segment: 1,
      first_seen: 100,
    });
  });

  it('keep experiments apart: the same hash in two experiments is two visitors', async () => {
    await write([row('a', 1, 1, 100, 'sql-one'), row('a', 1, 1, 100, 'sql-two')]);
    expect(await counts('sql-one')).toEqual([{ variant: 1, segment: 1, visitors: 1, conversions: 0 }]);
    expect(await counts('sql-two')).toEqual([{ variant: 1, segment: 1, visitors: 1, conversions: 0 }]);
  });

  it('write more rows than one statement pair binds, duplicates across the chunks included', async () => {
    const n = ROWS_PER_STATEMENT + 250;
    const rows = Array.from({ length: n }, (_, i) => row(`v${i}`, (i % 2) as 0 | 1, i % 3));
    // The last chunk repeats visitors of the first: counted once.
    await write([...rows, ...rows.slice(0, 100)]);
    expect(exposureStatements(db(), rows).length).toBe(4);
    const c = await counts();
    expect(c.reduce((s, r) => s + r.visitors, 0)).toBe(n);
    expect((await stored()).length).toBe(n);
  });

  it('let a conversion count on the exposure the statements wrote, once', async () => {
    await write([row('a', 1, 1)]);
    const convert = db().prepare(
      'INSERT INTO experiment_conversions (experiment, visitor, value, at) VALUES (?, ?, 5, 0) ON CONFLICT (experiment, visitor) DO NOTHING',
    );
    await db().batch([...exposureStatements(db(), [row('a', 1, 1)]), convert.bind('sql-test', 'a')]);
    await db().batch([...exposureStatements(db(), [row('a', 1, 1)]), convert.bind('sql-test', 'a')]);
    expect(await counts()).toEqual([{ variant: 1, segment: 1, visitors: 1, conversions: 1 }]);
  });
});
