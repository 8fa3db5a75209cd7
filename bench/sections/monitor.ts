// The monitoring rows (docs/monitoring.md): what counting costs a scored
// record — a batch of 1,000 records scored into its answer with and without
// a Tally, alternated in one process — and what one flush costs: a buffer of
// the counts of 1,000 records (every source, segment, score and input bin
// that has any) upserted into a real local D1 (Miniflare's, on workerd's
// SQLite), as the worker's flush writes it.
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { HEADER } from '../../data/customers-model.ts';
import { generateCustomers } from '../../data/generate.ts';
import { binsOf, compileModel, parseModel, scoreToJson, Tally } from '../../model/index.ts';
import { bufferRows, writeRows } from '../../worker/monitor/flush.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { median } from '../edge.ts';
import { ms, x } from '../lib/format.ts';
import { sampleModel } from '../models.ts';
import { judge } from '../targets.ts';

/** The schema's statements: split where a statement ends and the next begins (a trigger's body keeps its `;`). */
const statements = (sql: string) =>
  sql
    .replace(/^\s*--.*$/gm, '')
    .split(/;\s*\n(?=\s*(?:CREATE|INSERT|$))/)
    .map((s) => s.trim())
    .filter(Boolean);

export async function monitorSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick } = ctx;
  const { add, result } = collect(ctx);
  const model = parseModel(readFileSync(await sampleModel(ctx), 'utf8'));
  const cm = compileModel(model);
  const sample = generateCustomers({ rows: 1000, seed: 99 });
  const records = sample.rows.map((r) => {
    const o: Record<string, unknown> = {};
    HEADER.forEach((h, j) => {
      if (h === 'customer_id' || h === 'purchased') return;
      o[h] = /^-?[\d.]+$/.test(r[j]) ? Number(r[j]) : r[j];
    });
    return o;
  });
  const tally = new Tally(binsOf(model));
  const rounds = quick ? 5 : 15;
  const perRound = quick ? 50 : 200;
  ctx.log(`monitor: a batch of 1,000 scored with and without counting, ${rounds} rounds × ${perRound} batches`);
  const time = (counting: boolean) => {
    const t = process.cpuUsage();
    for (let b = 0; b < perRound; b++) {
      tally.clear();
      scoreToJson(cm, model.version, records, true, counting ? tally : null);
    }
    const u = process.cpuUsage(t);
    return (u.user + u.system) / 1000 / perRound; // ms per batch
  };
  time(true);
  time(false); // warm both
  const plain: number[] = [];
  const counted: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2) {
      counted.push(time(true));
      plain.push(time(false));
    } else {
      plain.push(time(false));
      counted.push(time(true));
    }
  }
  const ratio = median(plain.map((p, r) => p / counted[r]));
  const nsPerRecord = ((median(counted) - median(plain)) * 1e6) / records.length;
  add({
    section: 'monitor',
    work: `count scored records (segment, 20 score bins, every input's training bin) while scoring a batch of 1,000 into its answer (scoreToJson, one core, CPU time, ${rounds} alternated rounds, median)`,
    ours: `${ms(median(counted))} a batch (${Math.max(0, nsPerRecord).toFixed(0)} ns a record for counting)`,
    baseline: `not counting ${ms(median(plain))}`,
    ratio: x(ratio),
    ...judge('monitor.count', { nsPerRecord }),
  });

  ctx.log('monitor: one flush into a local D1 (Miniflare)');
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 204 }) } }',
    d1Databases: { MONITOR: 'bench-monitor' },
  });
  try {
    const db = await mf.getD1Database('MONITOR');
    for (const sql of statements(readFileSync('migrations/0001_monitor.sql', 'utf8'))) await db.prepare(sql).run();
    tally.clear();
    scoreToJson(cm, model.version, records, true, tally);
    const sources = new Float64Array(6);
    sources[1] = records.length;
    const buffer = { version: model.version, hour: 0, tally, sources, retried: false };
    const rows = bufferRows(buffer);
    const flushes = quick ? 10 : 40;
    const times: number[] = [];
    for (let i = 0; i < flushes; i++) {
      const t = performance.now();
      await writeRows(db as unknown as D1Database, bufferRows({ ...buffer, hour: i % 4 }));
      times.push(performance.now() - t);
    }
    const flushMs = median(times);
    add({
      section: 'monitor',
      work: `one flush: the counts of 1,000 records (${rows.length} hourly rows) upserted in one db.batch into a local D1 (Miniflare 4, workerd's SQLite; ${flushes} flushes, median, wall time)`,
      ours: ms(flushMs),
      baseline: 'once per isolate per 25 s',
      ratio: '—',
      ...judge('monitor.flush', { ms: flushMs }),
    });
  } finally {
    await mf.dispose();
  }
  return result;
}
