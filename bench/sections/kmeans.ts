// The k-means rows: our fitKMeans against scikit-learn's KMeans on 1M
// generator customers, time and peak memory (the target's size even in
// --quick), and in full runs against ml-kmeans on 100k rows, for context.
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { mb, ms, SKIPPED, x } from '../lib/format.ts';
import { alternate, best } from '../lib/pairs.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
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
  ctx.log(`k-means on ${data.what}`);
  const args = [data.x, data.d, 5, 10, 0];
  const { ours, theirs } = await alternate(
    quick ? 1 : 2,
    () => nodeJob<KMeansOut>('kmeans', args),
    sk ? () => sklearnJob<KMeansOut>(['kmeans', ...args]) : null,
  );
  const o = best(ours, (r) => r.out.ms).out;
  const t = theirs.length ? best(theirs, (r) => r.out.ms).out : null;
  const inertiaGap = t ? ` (inertia ${(100 * (o.inertia / t.inertia - 1)).toFixed(2)}% vs scikit-learn's)` : '';
  add({
    section: 'training',
    work: `k-means k=5, 10 restarts, ${data.what}${inertiaGap}`,
    ours: ms(o.ms),
    baseline: t ? `scikit-learn ${ms(t.ms)}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    ...judge('kmeans.fit', t ? { oursMs: o.ms, sklearnMs: t.ms } : null),
  });
  const rawMB = (n * data.d * 8) / (1024 * 1024);
  const peak = Math.max(...ours.map((r) => r.out.peakRssMB));
  add({
    section: 'training',
    work: `k-means peak RSS, ${data.what} (raw ${mb(rawMB)})`,
    ours: mb(peak),
    baseline: t ? `scikit-learn ${mb(Math.max(...theirs.map((r) => r.out.peakRssMB)))}` : `scikit-learn ${SKIPPED}`,
    ratio: `${(peak / rawMB).toFixed(2)}× raw`,
    ...judge('kmeans.peak-rss', { peakMB: peak, rawMB }),
  });
  if (!quick) {
    // ml-kmeans needs ~10 s per restart at 1M rows (its k-means++ alone is most of it): compared on 100k.
    const small = customerMatrix(100_000);
    const mine = await nodeJob<KMeansOut>('kmeans', [small.x, small.d, 5, 10, 0]);
    const ml = await nodeJob<KMeansOut>('mljs', ['kmeans', small.x, small.d, small.n, 5, 10], 900_000);
    add({
      section: 'training',
      work: `k-means k=5, best of 10, ${small.what} (inertia ${(100 * (mine.out.inertia / ml.out.inertia - 1)).toFixed(2)}% vs ml-kmeans')`,
      ours: ms(mine.out.ms),
      baseline: `ml-kmeans ${ms(ml.out.ms)}, ${mb(ml.out.peakRssMB)}`,
      ratio: x(mine.out.ms / ml.out.ms),
      ...judge('kmeans.mljs', null),
    });
  }
  return result;
}
