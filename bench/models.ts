// The trained models the scoring and edge rows use, each trained once into
// bench/out/runs and reused by later runs while the trainer, the model code
// and the data are unchanged (the directory's name carries their hash): the
// bundled sample's (scoring, the HTTP rows) and a wide 30-feature, k=8 one
// (cold start, model size).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SectionContext } from './context.ts';
import { nodeJob } from './lib/proc.ts';
import { inputKey, keyedPath } from './lib/stamp.ts';

/** The code a bench model depends on: the trainer, the model layer and the job that runs `train`. */
const TRAINER = ['trainer', 'model', 'bench/jobs/train.ts'];

/** The model the scoring rows use: the bundled sample's, trained once into bench/out. */
export async function sampleModel(ctx: Pick<SectionContext, 'runsDir'>): Promise<string> {
  const args = ['--data', 'data/customers.csv', '--config', 'data/customers.config.json'];
  const out = keyedPath(
    ctx.runsDir,
    'sample-model',
    inputKey([...TRAINER, 'data/customers.csv', 'data/customers.config.json'], args),
  );
  const file = join(out, 'model.json');
  try {
    statSync(file);
  } catch {
    await nodeJob('train', [out, ...args]);
  }
  return file;
}

/** A 30-feature model with 8 segments: the breast-cancer table when ../shared is present, else a synthetic one. */
export async function wideModel(
  ctx: Pick<SectionContext, 'outDir' | 'runsDir'>,
): Promise<{ file: string; what: string }> {
  let csv = '../shared/datasets/breast_cancer_wisconsin_diagnostic.csv';
  let target = 'diagnosis';
  let what = 'breast cancer, 30 features, k=8';
  try {
    statSync(csv);
  } catch {
    csv = join(ctx.outDir, 'data', 'wide-30.csv');
    target = 'label';
    what = 'synthetic, 30 features, k=8';
    writeWideCsv(csv, join(ctx.outDir, 'data'));
  }
  const args = ['--data', csv, '--target', target, '--k', '8'];
  const out = keyedPath(ctx.runsDir, 'wide-model', inputKey([...TRAINER, csv], args));
  const file = join(out, 'model.json');
  try {
    statSync(file);
  } catch {
    await nodeJob('train', [out, ...args]);
  }
  return { file, what };
}

/** 600 rows, 30 numeric columns from 8 overlapping groups, and a binary label. */
function writeWideCsv(file: string, dir: string): void {
  const lines = [
    [...Array.from({ length: 30 }, (_, j) => `feature_${String(j + 1).padStart(2, '0')}`), 'label'].join(','),
  ];
  let s = 12345;
  const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  for (let i = 0; i < 600; i++) {
    const g = i % 8;
    const v = Array.from({ length: 30 }, (_, j) =>
      (10 + ((g * 7 + j) % 5) * 2 + (rand() + rand() + rand() - 1.5) * 3).toFixed(3),
    );
    lines.push([...v, rand() < (g < 4 ? 0.3 : 0.7) ? 'yes' : 'no'].join(','));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, lines.join('\n') + '\n');
}
