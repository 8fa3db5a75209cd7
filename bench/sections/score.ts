// The in-process scoring row: records per second of one core scoring raw
// records with the sample model, beside scikit-learn's per-row predict.
import { customerCsv } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { perSec, SKIPPED } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { sampleModel } from '../models.ts';
import { judge } from '../targets.ts';

export async function scoreSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const model = await sampleModel(ctx);
  ctx.log('in-process scoring');
  type ScoreOut = { recordsPerSec: number; nsPerRecord: number; heads: number; k: number; d: number };
  const o = (await nodeJob<ScoreOut>('score', [model, quick ? 500_000 : 2_000_000, quick ? 3 : 5])).out;
  let t: { usPerCall: number } | null = null;
  if (sk) t = (await sklearnJob<{ usPerCall: number }>(['score', await customerCsv(20_000), quick ? 1000 : 10000])).out;
  add({
    section: 'scoring',
    work: `score one raw record in-process (parsed JSON, 6 numbers + 3 categories → impute, encode, scale, nearest of ${o.k} centroids, ${o.heads} logistic head(s), projection; ${o.d} features; one core, CPU time, best of ${quick ? 3 : 5} × ${quick ? '1M' : '2M'} records)`,
    ours: `${perSec(o.recordsPerSec, 'rec')} (${o.nsPerRecord.toFixed(0)} ns)`,
    baseline: t
      ? `scikit-learn ${t.usPerCall.toFixed(0)} µs/record (ColumnTransformer, KMeans.predict, predict_proba, PCA.transform on one row)`
      : `scikit-learn ${SKIPPED}`,
    ratio: t ? `${((t.usPerCall * 1000) / o.nsPerRecord).toFixed(0)}× faster` : '—',
    ...judge('score.in-process', { recordsPerSec: o.recordsPerSec }),
  });
  return result;
}
