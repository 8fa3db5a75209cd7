// The `train` rows: the whole training command on generator CSVs (20k rows in
// --quick, 100k and 1M in full runs) against the same steps in scikit-learn
// reading the CSV with the fastest reader installed (pyarrow, else polars,
// else pandas), each side in a fresh process, wall time from spawn to exit;
// alternating rounds, the median ratio decides (bench/rule.ts).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { customerCsv, fmtRows } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { mb, ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

interface TrainOut {
  ms: number;
  timings: Record<string, number>;
  k: number;
  testAuc: number;
  peakRssMB: number;
  threads?: number;
  reader?: string;
}

const steps = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([k, v]) => `${k} ${ms(v)}`)
    .join(', ');

export async function pipelineSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, python: py } = ctx;
  const { add, note, result } = collect(ctx);
  const reader = py?.fast ?? 'pandas';
  for (const n of quick ? [20_000] : [100_000, 1_000_000]) {
    const csv = await customerCsv(n);
    const rounds = roundsFor(quick);
    ctx.log(
      `train pipeline on ${fmtRows(n)} rows (${csv}), ${rounds} alternating rounds, scikit-learn reading with ${reader}`,
    );
    const out = join(ctx.runsDir, `train-${n}`);
    rmSync(out, { recursive: true, force: true });
    // Like for like: scikit-learn's pipeline fits a logistic head, so ours is told to as well
    // (the default "auto" also cross-validates boosted trees; the boosting rows time those).
    const config = join(ctx.runsDir, 'train-logistic.config.json');
    const base = JSON.parse(readFileSync('data/customers.config.json', 'utf8'));
    writeFileSync(config, JSON.stringify({ ...base, target: { purchased: { model: 'logistic' } } }));
    const r = await alternate(rounds, {
      ours: () => nodeJob<TrainOut>('train', [out, '--data', csv, '--config', config], 1_800_000),
      sklearn: py
        ? () =>
            sklearnJob<TrainOut>(
              ['pipeline', csv, join(ctx.runsDir, `sklearn-pipeline-${n}.json`), 42, reader],
              1_800_000,
            )
        : null,
    });
    const ours = r.ours.map((j) => j.wallMs);
    const theirs = r.sklearn.map((j) => j.wallMs);
    const j = judge('pipeline.train', theirs.length ? { rounds: ratios(ours, theirs) } : null);
    // The steps of the round whose ratio is the median (or the first round without a baseline).
    const perRound = theirs.length ? ratios(ours, theirs) : [0];
    const mid = perRound.indexOf(median(perRound)) >= 0 ? perRound.indexOf(median(perRound)) : 0;
    const o = r.ours[mid].out;
    const t = r.sklearn[mid]?.out;
    add({
      section: 'training',
      work: `\`train\` on ${fmtRows(n)} generator rows: read, encode, k sweep 2..8 ×10 restarts + silhouette, PCA, logistic 5-fold CV + fit (model "logistic", as on scikit-learn's side), export (median of ${rounds} alternating rounds${t ? `, ratios ${perRound.map((v) => v.toFixed(2)).join(', ')}` : ''}; k=${o.k}${t ? ` / ${t.k}` : ''}, test AUC ${o.testAuc.toFixed(3)}${t ? ` / ${t.testAuc.toFixed(3)}` : ''}; peak ${mb(o.peakRssMB)}${t ? ` / ${mb(t.peakRssMB)}` : ''})`,
      ours: ms(median(ours)),
      baseline: t ? `scikit-learn, CSV read with ${reader}, ${ms(median(theirs))}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(j.figure) : '—',
      ...j,
    });
    note(
      `\`train\` ${fmtRows(n)} steps in the median round, ours: ${steps(o.timings)}${t ? `; scikit-learn (${reader}): ${steps(t.timings)}` : ''} (wall times include process start-up: Node + tsx, Python + imports).`,
    );
  }
  return result;
}
