// The k-means rows: our fitKMeans against scikit-learn's KMeans on 1M
// generator customers, time and peak memory (the target's size even in
// --quick), alternating rounds of fresh processes (bench/rule.ts); in full
// runs against ml-kmeans on 100k rows, for context.
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { mb, ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

interface KMeansOut {
  ms: number;
  inertia: number;
  iterations: number;
  peakRssMB: number;
  threads?: number;
  rawMB?: number;
}

export async function kmeansSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  // The target's size even in --quick: below ~1M rows the fixed costs (JIT warm-up on both threads) weigh too much to say anything.
  const n = 1_000_000;
  const data = customerMatrix(n);
  const rounds = roundsFor(quick);
  ctx.log(`k-means on ${data.what}, ${rounds} alternating rounds`);
  const args = [data.x, data.d, 5, 10, 0];
  const r = await alternate(rounds, {
    ours: () => nodeJob<KMeansOut>('kmeans', args),
    sklearn: sk ? () => sklearnJob<KMeansOut>(['kmeans', ...args]) : null,
  });
  const ours = r.ours.map((j) => j.out.ms);
  const theirs = r.sklearn.map((j) => j.out.ms);
  const o = r.ours[0].out;
  const t = r.sklearn[0]?.out;
  const inertiaGap = t ? ` (inertia ${(100 * (o.inertia / t.inertia - 1)).toFixed(2)}% vs scikit-learn's)` : '';
  const fit = judge('kmeans.fit', t ? { rounds: ratios(ours, theirs) } : null);
  add({
    section: 'training',
    work: `k-means k=5, 10 restarts, ${data.what}${inertiaGap}, median of ${rounds} alternating rounds`,
    ours: ms(median(ours)),
    baseline: t ? `scikit-learn ${ms(median(theirs))}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(fit.figure) : '—',
    ...fit,
  });
  const rawMB = (n * data.d * 8) / (1024 * 1024);
  const peak = judge('kmeans.peak-rss', { rounds: r.ours.map((j) => j.out.peakRssMB), params: { rawMB } });
  add({
    section: 'training',
    work: `k-means peak RSS, ${data.what} (raw ${mb(rawMB)}), median of the same rounds`,
    ours: mb(peak.figure),
    baseline: t ? `scikit-learn ${mb(median(r.sklearn.map((j) => j.out.peakRssMB)))}` : `scikit-learn ${SKIPPED}`,
    ratio: `${(peak.figure / rawMB).toFixed(2)}× raw`,
    ...peak,
  });
  if (!quick) {
    // ml-kmeans needs ~10 s per restart at 1M rows (its k-means++ alone is most of it): compared on 100k,
    // one round (a context row: no target to decide).
    const small = customerMatrix(100_000);
    const mine = await nodeJob<KMeansOut>('kmeans', [small.x, small.d, 5, 10, 0]);
    const ml = await nodeJob<KMeansOut>('mljs', ['kmeans', small.x, small.d, small.n, 5, 10], 900_000);
    const c = judge('kmeans.mljs', { rounds: [mine.out.ms / ml.out.ms] });
    add({
      section: 'training',
      work: `k-means k=5, best of 10, ${small.what} (inertia ${(100 * (mine.out.inertia / ml.out.inertia - 1)).toFixed(2)}% vs ml-kmeans'), one round`,
      ours: ms(mine.out.ms),
      baseline: `ml-kmeans ${ms(ml.out.ms)}, ${mb(ml.out.peakRssMB)}`,
      ratio: x(c.figure),
      ...c,
    });
  }
  return result;
}
