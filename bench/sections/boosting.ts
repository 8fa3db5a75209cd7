// The boosted-trees rows: our fit against scikit-learn's
// HistGradientBoostingClassifier with the same settings (100 iterations, 31
// leaves, learning rate 0.1, 255 bins, no early stopping) on 100k and 1M
// generator customers — time and held-out ROC-AUC — with LightGBM as context
// when its Python package is there. Timed rows run alternating rounds of
// fresh processes (bench/rule.ts). Scoring with a boosted head is in the
// scoring section (score.ts).
import { collect, type SectionContext, type SectionResult } from '../context.ts';
import { customerMatrix } from '../data.ts';
import { ms, SKIPPED, x } from '../lib/format.ts';
import { nodeJob, runJob } from '../lib/proc.ts';
import { pythonPath, sklearnEnv } from '../lib/python.ts';
import { alternate, median, ratios, roundsFor } from '../rule.ts';
import { judge } from '../targets.ts';

type FitOut = { ms: number; cpuMs?: number; auc: number; trees?: number; leaves?: number; threads?: number };

/** The Python with LightGBM: EDGESEG_LIGHTGBM_PYTHON (e.g. a venv's), else the bench's. */
const lightgbmPython = () => process.env.EDGESEG_LIGHTGBM_PYTHON ?? pythonPath();

const python = (py: string, args: (string | number)[]) =>
  runJob<FitOut | null>(py, ['bench/sklearn/boosting.py', ...args.map(String)], {
    timeoutMs: 1_800_000,
    env: sklearnEnv(),
  });

/** What the fit ran on: the pool's threads share each large node's histograms and the gradient pass. */
const threadsNote = (threads = 1) => (threads > 1 ? `${threads} threads share histograms and gradients` : 'one thread');

export async function boostingSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick, sklearn: sk } = ctx;
  const { add, note, result } = collect(ctx);
  const rounds = roundsFor(quick);
  for (const rows of quick ? [50_000] : [100_000, 1_000_000]) {
    const data = customerMatrix(rows);
    const train = Math.round(rows * 0.8);
    const args = [data.x, data.y, data.d, train];
    ctx.log(`boosted trees on ${data.what}, ${rounds} alternating rounds`);
    const r = await alternate(rounds, {
      ours: () => nodeJob<FitOut>('boost', args, 1_800_000),
      sklearn: sk ? () => python(pythonPath(), ['hgb', ...args]) : null,
    });
    const oursMs = r.ours.map((j) => j.out.ms);
    const theirMs = r.sklearn.map((j) => j.out!.ms);
    const o = r.ours[0].out;
    const t = r.sklearn[0]?.out ?? null;
    const what = `${data.what}, first 80% fit, AUC on the rest`;
    const fit = judge('boost.fit', t ? { rounds: ratios(oursMs, theirMs) } : null);
    add({
      section: 'training',
      work: `boosted trees fit, ${what} (100 it., ${o.leaves?.toFixed(0)} leaves, lr 0.1, 255 bins, no early stopping; ${threadsNote(o.threads)}; median of ${rounds} alternating rounds)`,
      ours: ms(median(oursMs)),
      baseline: t ? `HistGradientBoostingClassifier ${ms(median(theirMs))}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(fit.figure) : '—',
      ...fit,
    });
    // On a shared host wall times swing with the load; CPU time per fit (all threads) swings less.
    const cpu = (js: { out: FitOut | null }[]) => ms(median(js.map((j) => j.out?.cpuMs ?? Number.NaN)));
    note(
      `boosted trees fit, ${data.what}: CPU time per fit (all threads, user + system), median of ${rounds}: ours ${cpu(r.ours)}${t ? `, HistGradientBoostingClassifier ${cpu(r.sklearn)}` : ''}.`,
    );
    // Both fits are deterministic: one exact figure.
    const auc = judge('boost.auc', t ? { rounds: [Math.abs(o.auc - t.auc)] } : null);
    add({
      section: 'training',
      work: `boosted trees held-out ROC-AUC, ${what}`,
      ours: o.auc.toFixed(4),
      baseline: t ? `HistGradientBoostingClassifier ${t.auc.toFixed(4)}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? `Δ ${(o.auc - t.auc).toFixed(4)}` : '—',
      ...auc,
    });
    const l = await python(lightgbmPython(), ['lightgbm', ...args]).catch(() => null);
    if (l?.out)
      add({
        section: 'training',
        work: `boosted trees, ${what}: LightGBM with the same settings, one run (AUC ${l.out.auc.toFixed(4)})`,
        ours: ms(median(oursMs)),
        baseline: `LightGBM ${ms(l.out.ms)}`,
        ratio: x(median(oursMs) / l.out.ms),
        ...judge('boost.lightgbm', null),
      });
    else
      note(
        `LightGBM row skipped: no lightgbm in ${lightgbmPython()} (set EDGESEG_LIGHTGBM_PYTHON to a Python that has it).`,
      );
  }

  return result;
}
