// The in-process scoring rows, both sides the same way: latency (one record
// per call, wall time per call: our scorer against scikit-learn's fitted
// pipeline on a one-row array) and throughput (batched: ours 1,000 records a
// call into the answer text, scikit-learn's pipeline on whole arrays, its
// fastest use); then one record per call with a 100-tree, 31-leaf boosted
// head, alternated with the logistic sample model, and that head's size in
// the model JSON. Alternating rounds of fresh processes (bench/rule.ts).
import { customerCsv } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { perSec, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { boostedModel, sampleModel } from '../models.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

type OursOut = { nsPerRecord?: number; recordsPerSec?: number; heads: number; k: number; d: number };

const ns = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)} µs` : `${v.toFixed(0)} ns`);

export async function scoreSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const model = await sampleModel(ctx);
  const csv = await customerCsv(20_000);
  const rounds = roundsFor(quick);
  ctx.log(`in-process scoring, ${rounds} alternating rounds each of latency and throughput`);
  const lat = await alternate(rounds, {
    ours: () => nodeJob<OursOut>('score', [model, 'latency', quick ? 500_000 : 2_000_000]),
    sklearn: sk ? () => sklearnJob<{ nsPerRecord: number }>(['score_latency', csv, quick ? 1000 : 5000]) : null,
  });
  const o = lat.ours[0].out;
  const ours = lat.ours.map((j) => j.out.nsPerRecord!);
  const theirs = lat.sklearn.map((j) => j.out.nsPerRecord);
  const l = judge('score.latency', { rounds: ours });
  add({
    section: 'scoring',
    work: `score one raw record per call in-process (parsed JSON, 6 numbers + 3 categories → impute, encode, scale, nearest of ${o.k} centroids, ${o.heads} logistic head(s), projection; ${o.d} features; one thread, wall time per call, median of ${rounds} alternating rounds; scikit-learn: ColumnTransformer, KMeans.predict, predict_proba, PCA.transform on a one-row array)`,
    ours: `${ns(l.figure)} (${perSec(1e9 / l.figure, 'rec')})`,
    baseline: theirs.length ? `scikit-learn ${ns(median(theirs))} per call` : `scikit-learn ${SKIPPED}`,
    ratio: theirs.length ? x(median(ratios(ours, theirs))) : '—',
    ...l,
  });
  const batch = 20_000;
  const tp = await alternate(rounds, {
    ours: () => nodeJob<OursOut>('score', [model, 'throughput', quick ? 500_000 : 2_000_000]),
    sklearn: sk ? () => sklearnJob<{ recordsPerSec: number }>(['score_throughput', csv, batch, quick ? 2 : 5]) : null,
  });
  const oursRate = tp.ours.map((j) => j.out.recordsPerSec!);
  const theirRate = tp.sklearn.map((j) => j.out.recordsPerSec);
  const c = judge('score.throughput', theirRate.length ? { rounds: ratios(oursRate, theirRate) } : null);
  add({
    section: 'scoring',
    work: `score in batches in-process: ours 1,000 records a call through \`scoreToJson\` (the answer text included), scikit-learn the same pipeline on arrays of ${batch.toLocaleString('en')} rows; one thread / NumPy's, wall time, median of ${rounds} alternating rounds; ratio of the rates, ours ÷ scikit-learn's`,
    ours: perSec(median(oursRate), 'rec'),
    baseline: theirRate.length ? `scikit-learn ${perSec(median(theirRate), 'rec')}` : `scikit-learn ${SKIPPED}`,
    ratio: theirRate.length ? `${c.figure.toFixed(2)}× its rate` : '—',
    ...c,
  });

  const boosted = await boostedModel(ctx);
  const shape = `${boosted.trees} trees, ${boosted.leaves.toFixed(1)} leaves on average`;
  ctx.log(`in-process scoring with a boosted head (${shape}) and the logistic one, ${rounds} alternating rounds`);
  const calls = quick ? 200_000 : 1_000_000;
  const bl = await alternate(rounds, {
    boosted: () => nodeJob<OursOut>('score', [boosted.file, 'latency', calls]),
    logistic: () => nodeJob<OursOut>('score', [model, 'latency', calls]),
  });
  const boostedNs = bl.boosted.map((j) => j.out.nsPerRecord!);
  const logisticNs = bl.logistic.map((j) => j.out.nsPerRecord!);
  const bs = judge('boost.score', { rounds: boostedNs });
  add({
    section: 'scoring',
    work: `score one raw record per call in-process with a boosted head (${shape}; read, ${bl.boosted[0].out.k} centroids, projection; one thread, wall time per call, median of ${rounds} rounds alternated with the logistic sample model's, whose figure is the baseline)`,
    ours: `${bs.figure.toFixed(0)} ns (${perSec(1e9 / bs.figure, 'rec')})`,
    baseline: `logistic ${ns(median(logisticNs))}`,
    ratio: x(median(ratios(boostedNs, logisticNs))),
    ...bs,
  });
  const kb = (boosted.headBytes / 1024) * (100 / boosted.trees) * (31 / boosted.leaves);
  add({
    section: 'scoring',
    work: `boosted head in the model JSON (${shape}; the head's own JSON, scaled to 100 × 31)`,
    ours: `${(boosted.headBytes / 1024).toFixed(1)} KB`,
    baseline: '—',
    ratio: '—',
    ...judge('boost.size', { rounds: [kb] }),
  });
  return result;
}
