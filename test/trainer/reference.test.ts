// The bars measured against scikit-learn on public data (../shared/reference):
// the same fixed splits, the same transform (numbers median-imputed and
// standardised, categories most-frequent-imputed and one-hot, ids dropped).
// Skipped, saying why, where ../shared is not beside the checkout. The
// tolerances are test/support/reference.ts's, as docs/training.md prints them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrain } from '../../trainer/cli/train.ts';
import type { TrainReport } from '../../trainer/train.ts';
import {
  hasReference as present,
  METRIC_TOLERANCE,
  REFERENCE_DIR as REF,
  silhouetteTolerance,
  warnSkip,
} from '../support/reference.ts';

if (!present) warnSkip('the scikit-learn reference bars', `${REF}/reference.json`);

interface Reference {
  width: number;
  logistic?: { accuracy: number; roc_auc: number; f1: number };
  kmeans_on_transformed_train: Record<string, { inertia: number; silhouette: number }>;
}
const reference = (name: string): Reference => JSON.parse(readFileSync(join(REF, 'reference.json'), 'utf8'))[name];
const dir = mkdtempSync(join(tmpdir(), 'edgeseg-ref-'));

async function train(name: string, extra: string[]): Promise<TrainReport> {
  const out = join(dir, name);
  await runTrain(
    [
      '--data',
      join(REF, `${name}.train.csv`),
      '--test',
      join(REF, `${name}.test.csv`),
      ...extra,
      '--out',
      out,
      '--quiet',
    ],
    () => {},
  );
  return JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}

describe.skipIf(!present)('logistic heads against LogisticRegression(C=1) on the same split', () => {
  it.each([
    ['breast_cancer', 'diagnosis'],
    ['telco_churn', 'Churn'],
  ])('%s: test accuracy, F1 and ROC-AUC equal to the four decimals the docs print', async (name, target) => {
    const ref = reference(name);
    // One k: the segments are not what is measured here.
    const report = await train(name, ['--target', target, '--k', '2']);
    expect(report.encodedWidth).toBe(ref.width);
    const ours = report.targets[0].testAtHalf;
    const { accuracy, f1, roc_auc } = ref.logistic!;
    expect(Math.abs(ours.accuracy - accuracy), `accuracy ${ours.accuracy} vs ${accuracy}`).toBeLessThanOrEqual(
      METRIC_TOLERANCE,
    );
    expect(Math.abs(ours.f1 - f1), `F1 ${ours.f1} vs ${f1}`).toBeLessThanOrEqual(METRIC_TOLERANCE);
    expect(Math.abs(ours.rocAuc - roc_auc), `ROC-AUC ${ours.rocAuc} vs ${roc_auc}`).toBeLessThanOrEqual(
      METRIC_TOLERANCE,
    );
  });
});

describe.skipIf(!present)('k-means against KMeans(n_init=10) on the transformed mall train split', () => {
  it('has inertia within 1% for k = 2..8, and the silhouette of the same partition to four decimals', async () => {
    const ref = reference('mall_customers');
    const report = await train('mall_customers', ['--k-range', '2..8']);
    expect(report.encodedWidth).toBe(ref.width);
    expect(report.segmentation.candidates.map((c) => c.k)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    for (const c of report.segmentation.candidates) {
      const r = ref.kmeans_on_transformed_train[String(c.k)];
      // k-means minimises inertia: a lower value is a better optimum of the same objective, never a miss.
      expect(c.inertia, `inertia at k=${c.k}`).toBeLessThanOrEqual(r.inertia * 1.01);
      expect(
        Math.abs(c.silhouette - r.silhouette),
        `silhouette at k=${c.k}: ${c.silhouette} vs ${r.silhouette}`,
      ).toBeLessThanOrEqual(silhouetteTolerance(c.inertia, r.inertia));
    }
  });
});
