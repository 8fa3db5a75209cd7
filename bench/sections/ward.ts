// The Ward row: agglomerative clustering of a sample against scikit-learn's
// AgglomerativeClustering, with whether the cluster sizes agree; context.
// Alternating rounds of fresh processes, medians (bench/rule.ts).
import { customerMatrix } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

type WardOut = { ms: number; sizes: number[] };

export async function wardSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, result } = collect(ctx);
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  const n = quick ? 1000 : 2000;
  const rounds = roundsFor(quick);
  const reps = quick ? 2 : 5;
  ctx.log(`Ward on ${n} rows, ${rounds} alternating rounds`);
  const args = [data.x, data.d, n, 5, reps];
  const r = await alternate(rounds, {
    ours: () => nodeJob<WardOut>('ward', args),
    sklearn: sk ? () => sklearnJob<WardOut>(['ward', ...args]) : null,
  });
  const ours = r.ours.map((j) => j.out.ms);
  const theirs = r.sklearn.map((j) => j.out.ms);
  const t = r.sklearn[0]?.out;
  const same = t ? JSON.stringify(r.ours[0].out.sizes) === JSON.stringify(t.sizes) : false;
  const c = judge('ward.fit', t ? { rounds: ratios(ours, theirs) } : null);
  add({
    section: 'training',
    work: `Ward clustering, ${n} rows ×10, k=5 (cluster sizes ${same ? 'equal to' : 'differ from'} scikit-learn's; each process the fastest of ${reps} fits, median of ${rounds} alternating rounds)`,
    ours: ms(median(ours)),
    baseline: t ? `scikit-learn ${ms(median(theirs))}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(c.figure) : '—',
    ...c,
  });
  return result;
}
