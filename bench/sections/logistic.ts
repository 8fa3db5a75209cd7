// The logistic-regression rows: our Newton fit against scikit-learn's lbfgs
// on the breast-cancer split (when ../shared is present) and on generator
// customers, in alternating rounds of fresh processes (bench/rule.ts): time,
// and the distance of the coefficients from scikit-learn's exact optimum; in
// full runs ml-logistic-regression's defaults, for context.
import { breastCancer, customerMatrix, type MatrixFile } from '../data.ts';
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, sklearnJob } from '../lib/proc.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

interface LogisticOut {
  ms: number;
  coef: number[];
  intercept: number;
  iterations: number;
  accuracy: number;
  /** scikit-learn only: newton-cg at tol 1e-10, the exact optimum. */
  optimum?: { ms: number; coef: number[]; intercept: number };
}

/** Largest difference between two fits' coefficients and intercepts. */
function coefGap(a: { coef: number[]; intercept: number }, b: { coef: number[]; intercept: number }): number {
  let gap = Math.abs(a.intercept - b.intercept);
  a.coef.forEach((c, j) => {
    gap = Math.max(gap, Math.abs(c - b.coef[j]));
  });
  return gap;
}

export async function logisticSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, note, result } = collect(ctx);
  const sets: { data: MatrixFile; reps: number }[] = [];
  const bc = breastCancer();
  if (bc) sets.push({ data: bc, reps: quick ? 10 : 30 });
  else note('breast-cancer rows skipped: ../shared/reference is not present.');
  sets.push({ data: customerMatrix(quick ? 50_000 : 1_000_000), reps: quick ? 1 : 3 });
  const rounds = roundsFor(quick);
  for (const { data, reps } of sets) {
    ctx.log(`logistic regression on ${data.what}, ${rounds} alternating rounds`);
    const args = [data.x, data.y, data.d, 1, reps];
    // scikit-learn's exact optimum (newton-cg at tol 1e-10) is found once, in the first round.
    let optimum = 1;
    const r = await alternate(rounds, {
      ours: () => nodeJob<LogisticOut>('logistic', args),
      sklearn: sk
        ? () => {
            const job = sklearnJob<LogisticOut>(['logistic', ...args, optimum]);
            optimum = 0;
            return job;
          }
        : null,
    });
    const ours = r.ours.map((j) => j.out.ms);
    const theirs = r.sklearn.map((j) => j.out.ms);
    const o = r.ours[0].out;
    const t = r.sklearn[0]?.out;
    const fit = judge('logistic.fit', t ? { rounds: ratios(ours, theirs) } : null);
    add({
      section: 'training',
      work: `logistic C=1, ${data.what}, each round the median of ${reps} fit(s) in a fresh process, median of ${rounds} alternating rounds (Newton ${o.iterations} it. / lbfgs ${t?.iterations ?? '—'} it.; train acc ${o.accuracy.toFixed(3)}${t ? ` / ${t.accuracy.toFixed(3)}` : ''})`,
      ours: ms(median(ours)),
      baseline: t ? `scikit-learn lbfgs ${ms(median(theirs))}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(fit.figure) : '—',
      ...fit,
    });
    if (t?.optimum) {
      const gap = coefGap(o, t.optimum);
      // Newton's fit is deterministic: every round's coefficients are the same, so one exact figure.
      const c = judge('logistic.coef', { rounds: [gap] });
      add({
        section: 'training',
        work: `logistic coefficients, ${data.what}: largest |ours − scikit-learn's optimum| (newton-cg, tol 1e-10, ${ms(t.optimum.ms)}; lbfgs's own gap to it: ${coefGap(t, t.optimum).toExponential(1)})`,
        ours: gap.toExponential(1),
        baseline: `lbfgs vs ours ${coefGap(o, t).toExponential(1)}`,
        ratio: '—',
        ...c,
      });
    }
  }
  if (!quick && bc) {
    const ml = await nodeJob<{ ms: number; accuracy: number }>('mljs', ['logistic', bc.x, bc.y, bc.d], 900_000);
    const mine = await nodeJob<LogisticOut>('logistic', [bc.x, bc.y, bc.d, 1, 20]);
    const c = judge('logistic.mljs', { rounds: [mine.out.ms / ml.out.ms] });
    add({
      section: 'training',
      work: `logistic, ${bc.what}: ml-logistic-regression defaults (no intercept, no L2, 50,000 steps; train acc ${ml.out.accuracy.toFixed(3)}), one round`,
      ours: ms(mine.out.ms),
      baseline: `ml-logistic-regression ${ms(ml.out.ms)}`,
      ratio: x(c.figure),
      ...c,
    });
  }
  return result;
}
