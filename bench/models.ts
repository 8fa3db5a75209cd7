// The trained models the scoring and edge rows use, each trained once into
// bench/out/runs and reused by later runs while the trainer, the model code
// and the data are unchanged (the directory's name carries their hash): the
// bundled sample's (scoring, the HTTP rows), a wide 30-feature, k=8 one
// (cold start, model size) and a boosted one (a 100-tree, 31-leaf head:
// scoring and the edge's boosted rows).
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Model } from '../model/index.ts';
import type { SectionContext } from './context.ts';
import { customerCsv } from './data.ts';
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

/** A boosted model and the shape of its head. */
export interface BoostedModel {
  file: string;
  trees: number;
  /** Leaves per tree, on average. */
  leaves: number;
  /** The head's own JSON length. */
  headBytes: number;
}

/** The bundled sample's inputs and target, boosted with 100 trees (20k generator rows, no early stopping), trained once. */
export async function boostedModel(ctx: Pick<SectionContext, 'runsDir'>): Promise<BoostedModel> {
  const csv = await customerCsv(20_000);
  const config = JSON.parse(readFileSync('data/customers.config.json', 'utf8'));
  config.target = { purchased: { model: 'boosted', earlyStopping: false } };
  const out = keyedPath(ctx.runsDir, 'boosted-model', inputKey([...TRAINER, csv], config));
  const file = join(out, 'model.json');
  try {
    statSync(file);
  } catch {
    mkdirSync(out, { recursive: true });
    const configFile = join(out, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
    await nodeJob('train', [out, '--data', csv, '--config', configFile], 1_800_000);
  }
  const m = JSON.parse(readFileSync(file, 'utf8')) as Model;
  const head = m.targets[0];
  if (head.kind !== 'boosted') throw new Error(`${file}: the head is not boosted`);
  return {
    file,
    trees: head.trees.length,
    leaves: head.trees.reduce((s, t) => s + t.leaf.length, 0) / head.trees.length,
    headBytes: JSON.stringify(head).length,
  };
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
