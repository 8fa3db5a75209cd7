// The CSV ingest rows: readTable streaming a generator CSV into typed columns
// against pandas' C reader (the target) and, for context, pyarrow's and
// polars' multithreaded readers, each into its own table; alternating rounds
// of fresh processes (bench/rule.ts).
import { customerCsv, fmtRows } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { mb, ms, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

type CsvOut = {
  ms: number;
  userMs: number;
  rows: number;
  columns: number;
  fileMB: number;
  rssBeforeMB: number;
  peakRssMB: number;
};
type ReadOut = { ms: number; userMs?: number; rows: number; reader: string };

/** The median user CPU time of a side's rounds, when its jobs report it. */
const userCpu = (jobs: { out: ReadOut }[], prefix: string) => {
  const times = jobs.map((j) => j.out.userMs).filter((t): t is number => t !== undefined);
  return times.length ? `${prefix}${ms(median(times))}` : '';
};

export async function csvSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, python: py } = ctx;
  const { add, note, result } = collect(ctx);
  const n = quick ? 200_000 : 1_000_000;
  const csv = await customerCsv(n);
  const rounds = roundsFor(quick, 2);
  ctx.log(`CSV ingest of ${csv}, ${rounds} alternating rounds`);
  const reader = (name: 'pandas' | 'pyarrow' | 'polars') =>
    py?.readers.includes(name) ? () => sklearnJob<ReadOut>(['read', csv, name]) : null;
  const r = await alternate(rounds, {
    ours: () => nodeJob<CsvOut>('csv', [csv, 'data/customers.config.json']),
    pandas: reader('pandas'),
    pyarrow: reader('pyarrow'),
    polars: reader('polars'),
  });
  const ours = r.ours.map((j) => j.out.ms);
  const o = r.ours[0].out;
  // Every side must have read every row, or its time is not of the same work.
  const failures = [...r.pandas, ...r.pyarrow, ...r.polars, ...r.ours]
    .filter((j) => j.out.rows !== n)
    .map((j) => `read ${j.out.rows} rows of ${n}`);
  const pandas = r.pandas.map((j) => j.out.ms);
  const j = judge('csv.ingest', pandas.length ? { rounds: ratios(ours, pandas), failures } : null);
  add({
    section: 'ingest',
    work: `CSV ingest, ${fmtRows(n)} rows × ${o.columns} columns (${o.fileMB.toFixed(0)} MB) streamed into typed columns on one thread (heap grew ${mb(median(r.ours.map((j) => j.out.peakRssMB - j.out.rssBeforeMB)))}; file never held as text; user CPU ${ms(median(r.ours.map((j) => j.out.userMs)))}${userCpu(r.pandas, ' vs pandas ')}), median of ${rounds} alternating rounds`,
    ours: ms(median(ours)),
    baseline: pandas.length ? `pandas.read_csv (C engine) → DataFrame ${ms(median(pandas))}` : 'pandas not installed',
    ratio: pandas.length ? x(j.figure) : '—',
    ...j,
  });
  const fast = (['pyarrow', 'polars'] as const).filter((name) => r[name].length);
  if (fast.length) {
    const best = fast
      .map((name) => ({ name, times: r[name].map((j) => j.out.ms) }))
      .reduce((a, b) => (median(b.times) < median(a.times) ? b : a));
    const c = judge('csv.fast-readers', { rounds: ratios(ours, best.times) });
    add({
      section: 'ingest',
      work: `the same file, against the multithreaded readers (${fast.join(', ')}; ratio to the faster, ${best.name})`,
      ours: ms(median(ours)),
      baseline: fast
        .map(
          (name) =>
            `${name}.${name === 'pyarrow' ? 'csv.read_csv → Table' : 'read_csv → DataFrame'} ${ms(median(r[name].map((j) => j.out.ms)))}`,
        )
        .join('; '),
      ratio: x(c.figure),
      ...c,
    });
  } else if (py) note('CSV ingest: pyarrow and polars are not installed (see bench/lib/python.ts); pandas only.');
  return result;
}
