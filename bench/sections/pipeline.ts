// The `train` rows: the whole training command on generator CSVs (20k rows in
// --quick, 100k and 1M in full runs) against the same steps in scikit-learn,
// each side in a fresh process, wall time from spawn to exit.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { customerCsv, fmtRows } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { median } from '../edge.ts';
import { mb, ms, SKIPPED, x } from '../lib/format.ts';
import { alternate } from '../lib/pairs.ts';
import { nodeJob, sklearnJob, type JobResult } from '../lib/proc.ts';
import { judge } from '../targets.ts';

interface TrainOut {
  ms: number;
  timings: Record<string, number>;
  k: number;
  testAuc: number;
  peakRssMB: number;
  threads?: number;
}

export async function pipelineSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, note, result } = collect(ctx);
  for (const n of quick ? [20_000] : [100_000, 1_000_000]) {
    const csv = await customerCsv(n);
    ctx.log(`train pipeline on ${fmtRows(n)} rows (${csv})`);
    const out = join(ctx.runsDir, `train-${n}`);
    rmSync(out, { recursive: true, force: true });
    // At 100k rows a run takes seconds, so one slow minute on either side moves a single pair's ratio
    // by ±20% (0.70–1.14× on 2026-12-02): three alternating pairs, and the pair with the median ratio.
    // At 1M one pair takes ~1.5 minutes and moves much less.
    const reps = quick || n >= 1_000_000 ? 1 : 3;
    const { ours, theirs } = await alternate(
      reps,
      () => nodeJob<TrainOut>('train', [out, '--data', csv, '--config', 'data/customers.config.json'], 1_800_000),
      sk
        ? () => sklearnJob<TrainOut>(['pipeline', csv, join(ctx.runsDir, `sklearn-pipeline-${n}.json`), 42], 1_800_000)
        : null,
    );
    const ratios = theirs.map((t, i) => ours[i].wallMs / t.wallMs);
    const pick = ratios.length ? ratios.indexOf(median(ratios)) : 0;
    const o = ours[pick];
    const t = theirs[pick] as JobResult<TrainOut> | undefined;
    add({
      section: 'training',
      work: `\`train\` on ${fmtRows(n)} generator rows: read, encode, k sweep 2..8 ×10 restarts + silhouette, PCA, logistic 5-fold CV + fit, export (${reps > 1 ? `${reps} pairs alternating, the pair with the median ratio${t ? ` of ${ratios.map((r) => r.toFixed(2)).join(', ')}` : ''}; ` : ''}k=${o.out.k}${t ? ` / ${t.out.k}` : ''}, test AUC ${o.out.testAuc.toFixed(3)}${t ? ` / ${t.out.testAuc.toFixed(3)}` : ''}; peak ${mb(o.out.peakRssMB)}${t ? ` / ${mb(t.out.peakRssMB)}` : ''})`,
      ours: ms(o.wallMs),
      baseline: t ? `scikit-learn ${ms(t.wallMs)}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(o.wallMs / t.wallMs) : '—',
      ...judge('pipeline.train', t ? { oursMs: o.wallMs, sklearnMs: t.wallMs } : null),
    });
    note(
      `\`train\` ${fmtRows(n)} steps, ours: ${Object.entries(o.out.timings)
        .map(([k, v]) => `${k} ${ms(v)}`)
        .join(', ')}${
        t
          ? `; scikit-learn: ${Object.entries(t.out.timings)
              .map(([k, v]) => `${k} ${ms(v)}`)
              .join(', ')}`
          : ''
      } (wall times include process start-up: Node + tsx, Python + imports).`,
    );
  }
  return result;
}
