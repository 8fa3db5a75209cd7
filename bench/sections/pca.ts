// The PCA row: fit and project every row against scikit-learn's PCA (and in
// full runs ml-pca), for context: PCA is a step of `train`, whose row carries
// the target. Alternating rounds of fresh processes, medians (bench/rule.ts).
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

type PcaOut = { fitMs: number; transformMs: number };
const total = (p: PcaOut) => p.fitMs + p.transformMs;

export async function pcaSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  const rounds = roundsFor(quick);
  ctx.log(`PCA on ${data.what}, ${rounds} alternating rounds`);
  const args = [data.x, data.d, 1];
  const r = await alternate(rounds, {
    ours: () => nodeJob<PcaOut>('pca', args),
    sklearn: sk ? () => sklearnJob<PcaOut>(['pca', ...args]) : null,
  });
  let ml: PcaOut | null = null;
  if (!quick) ml = (await nodeJob<PcaOut>('mljs', ['pca', data.x, data.d], 900_000)).out;
  const med = (xs: PcaOut[], key: keyof PcaOut) => median(xs.map((p) => p[key]));
  const ours = r.ours.map((j) => j.out);
  const theirs = r.sklearn.map((j) => j.out);
  const c = judge('pca.fit', theirs.length ? { rounds: ratios(ours.map(total), theirs.map(total)) } : null);
  add({
    section: 'training',
    work: `PCA 2-D, ${data.what}: fit + project every row, median of ${rounds} alternating rounds${ml ? ' (ml-pca: one run)' : ''}`,
    ours: `${ms(med(ours, 'fitMs'))} + ${ms(med(ours, 'transformMs'))}`,
    baseline: [
      theirs.length
        ? `scikit-learn ${ms(med(theirs, 'fitMs'))} + ${ms(med(theirs, 'transformMs'))}`
        : `scikit-learn ${SKIPPED}`,
      ml ? `ml-pca ${ms(ml.fitMs)} + ${ms(ml.transformMs)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    ratio: theirs.length ? x(c.figure) : '—',
    ...c,
  });
  return result;
}
