// The monitoring schema as migrations/ defines it, in the real local D1: hourly
// counts add up across upserts, and a receipt and target count once.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';

const db = () => env.MONITOR!;

describe('the MONITOR database', () => {
  it('adds concurrent upserts of the same hourly row exactly', async () => {
    const upsert = db().prepare(
      'INSERT INTO counts (model, hour, kind, name, bin, n) VALUES (?, ?, ?, ?, ?, ?) ' +
        'ON CONFLICT (model, hour, kind, name, bin) DO UPDATE SET n = n + excluded.n',
    );
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => db().batch([upsert.bind('m-schema', 1, 'segment', '', 2, i + 1)])),
    );
    const row = await db()
      .prepare("SELECT n FROM counts WHERE model = 'm-schema' AND kind = 'segment' AND bin = 2")
      .first<{ n: number }>();
    expect(row?.n).toBe(210);
  });

  it('counts a receipt and target once, however often it is reported', async () => {
    const insert = db().prepare(
      'INSERT INTO outcome_receipts (receipt, target, model, segment, bin, label, issued) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING receipt',
    );
    const first = await insert.bind('r1', 'purchase', 'm-schema', 1, 420, 1, 0).all();
    const again = await insert.bind('r1', 'purchase', 'm-schema', 1, 420, 1, 0).all();
    expect([first.results.length, again.results.length]).toEqual([1, 0]);
    const row = await db()
      .prepare("SELECT n FROM outcome_counts WHERE model = 'm-schema' AND target = 'purchase'")
      .first<{ n: number }>();
    expect(row?.n).toBe(1);
  });
});
