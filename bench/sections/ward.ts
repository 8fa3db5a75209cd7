// The Ward row: agglomerative clustering of a sample against scikit-learn's
// AgglomerativeClustering, with whether the cluster sizes agree; context.
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { alternate } from '../lib/pairs.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { judge } from '../targets.ts';

export async function wardSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  const n = quick ? 1000 : 2000;
  ctx.log(`Ward on ${n} rows`);
  type WardOut = { ms: number; sizes: number[] };
  const args = [data.x, data.d, n, 5, quick ? 2 : 5];
  const { ours, theirs } = await alternate(
    1,
    () => nodeJob<WardOut>('ward', args),
    sk ? () => sklearnJob<WardOut>(['ward', ...args]) : null,
  );
  const o = ours[0].out;
  const t = theirs[0]?.out;
  const same = t ? JSON.stringify(o.sizes) === JSON.stringify(t.sizes) : false;
  add({
    section: 'training',
    work: `Ward clustering, ${n} rows ×10, k=5 (cluster sizes ${same ? 'equal to' : 'differ from'} scikit-learn's)`,
    ours: ms(o.ms),
    baseline: t ? `scikit-learn ${ms(t.ms)}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    ...judge('ward.fit', null),
  });
  return result;
}
