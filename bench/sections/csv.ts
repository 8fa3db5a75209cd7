// The CSV ingest row: readTable streaming a generator CSV into typed columns
// against Python's csv module into numpy, with the heap it grew by.
import { customerCsv, fmtRows } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { mb, ms, SKIPPED, x } from '../lib/format.ts';
import { alternate, best } from '../lib/pairs.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { judge } from '../targets.ts';

export async function csvSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const n = quick ? 200_000 : 1_000_000;
  const csv = await customerCsv(n);
  ctx.log(`CSV ingest of ${csv}`);
  type CsvOut = { ms: number; rows: number; columns: number; fileMB: number; rssBeforeMB: number; peakRssMB: number };
  const { ours, theirs } = await alternate(
    quick ? 1 : 2,
    () => nodeJob<CsvOut>('csv', [csv, 'data/customers.config.json']),
    sk ? () => sklearnJob<{ ms: number; peakRssMB: number }>(['read', csv]) : null,
  );
  const o = best(ours, (r) => r.out.ms).out;
  const t = theirs.length ? best(theirs, (r) => r.out.ms).out : null;
  add({
    section: 'ingest',
    work: `CSV ingest, ${fmtRows(n)} rows × ${o.columns} columns (${o.fileMB.toFixed(0)} MB) streamed into typed columns (heap grew ${mb(o.peakRssMB - o.rssBeforeMB)}; file never held as text)`,
    ours: ms(o.ms),
    baseline: t ? `Python csv module → numpy ${ms(t.ms)}` : `Python ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    ...judge('csv.ingest', { ms: o.ms, rows: n, quick }),
  });
  return result;
}
