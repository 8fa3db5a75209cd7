// The PCA row: a 2-D fit and the projection of every row against
// scikit-learn's PCA (and, in full runs, ml-pca); context, as part of `train`.
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { alternate } from '../lib/pairs.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { judge } from '../targets.ts';

export async function pcaSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  ctx.log(`PCA on ${data.what}`);
  type PcaOut = { fitMs: number; transformMs: number };
  const args = [data.x, data.d, quick ? 2 : 3];
  const { ours, theirs } = await alternate(
    1,
    () => nodeJob<PcaOut>('pca', args),
    sk ? () => sklearnJob<PcaOut>(['pca', ...args]) : null,
  );
  const o = ours[0].out;
  const t = theirs[0]?.out;
  let ml: PcaOut | null = null;
  if (!quick) ml = (await nodeJob<PcaOut>('mljs', ['pca', data.x, data.d], 900_000)).out;
  add({
    section: 'training',
    work: `PCA 2-D, ${data.what}: fit + project every row`,
    ours: `${ms(o.fitMs)} + ${ms(o.transformMs)}`,
    baseline: [
      t ? `scikit-learn ${ms(t.fitMs)} + ${ms(t.transformMs)}` : `scikit-learn ${SKIPPED}`,
      ml ? `ml-pca ${ms(ml.fitMs)} + ${ms(ml.transformMs)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    ratio: t ? x((o.fitMs + o.transformMs) / (t.fitMs + t.transformMs)) : '—',
    ...judge('pca.fit', null),
  });
  return result;
}
