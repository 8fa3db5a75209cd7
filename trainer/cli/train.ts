// `npm run train -- --data <file.csv> [--data <file.csv>]... [--test <file.csv>] [--target <col>]...
//   [--id <col>] [--k auto|<n>] [--k-range 2..8] [--seed <n>] [--config <file.json>] [--out <dir>]
//   [--trained-at <ISO date>] [--quiet]`
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loadConfig, type TrainConfig } from '../config.ts';
import { createProgress, formatBytes } from './progress.ts';
import { renderReport } from '../report/page.ts';
import { formatSummary } from './summary.ts';
import { assembleTables } from '../tables/assemble.ts';
import type { Model } from '../../model/index.ts';
import { givenSplit, trainModel, type TrainReport } from '../train.ts';
import { parseArgs, runCli, UsageError } from './args.ts';

export const TRAIN_USAGE =
  'usage: npm run train -- --data <file.csv> [--data <file.csv>]... [--test <file.csv>] [--target <column>]... [--id <column>] [--k auto|<n>] [--k-range 2..8] [--seed <n>] [--config <file.json>] [--out <dir>] [--trained-at <ISO date>] [--quiet]';

/** Today's date, or SOURCE_DATE_EPOCH's: day precision keeps same-day retrains byte-identical. */
export function defaultTrainedAt(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const t = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return `${t.toISOString().slice(0, 10)}T00:00:00Z`;
}

/** Writes beside the target and renames, so a failed write never leaves a half model. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

export interface TrainRun {
  modelFile: string;
  reportFile: string;
  version: string;
}

export async function runTrain(
  argv: string[],
  log: (s: string) => void = (s) => process.stdout.write(s),
  progressSink: { write(text: string): unknown; isTTY?: boolean; columns?: number } = process.stderr,
): Promise<TrainRun> {
  const { values, flags } = parseArgs(argv, {
    values: {
      data: true,
      test: false,
      target: true,
      id: false,
      k: false,
      'k-range': false,
      seed: false,
      config: false,
      out: false,
      'trained-at': false,
    },
    flags: ['quiet', 'help'],
  });
  if (flags.has('help')) {
    log(TRAIN_USAGE + '\n');
    return { modelFile: '', reportFile: '', version: '' };
  }
  if (!values.data) throw new UsageError(`--data is required\n${TRAIN_USAGE}`);
  const config: TrainConfig = values.config ? await loadConfig(values.config[0]) : {};
  if (values.target) config.targets = values.target;
  if (values.id) config.id = values.id[0];
  const seedText = values.seed?.[0] ?? String(config.seed ?? 42);
  if (!/^\d+$/.test(seedText)) throw new UsageError(`--seed must be a non-negative integer, got "${seedText}"`);
  const kText = values.k?.[0] ?? 'auto';
  if (kText !== 'auto' && !/^\d+$/.test(kText))
    throw new UsageError(`--k must be "auto" or an integer, got "${kText}"`);
  const range = /^(\d+)\.\.(\d+)$/.exec(values['k-range']?.[0] ?? '2..8');
  if (!range || Number(range[1]) < 2 || Number(range[2]) < Number(range[1]))
    throw new UsageError('--k-range must look like 2..8 (from at least 2)');
  if (kText !== 'auto' && Number(kText) < 1) throw new UsageError('--k must be at least 1');
  const trainedAt = values['trained-at']?.[0] ?? defaultTrainedAt();
  if (Number.isNaN(Date.parse(trainedAt))) throw new UsageError(`--trained-at must be an ISO date, got "${trainedAt}"`);
  const testFile = values.test?.[0];
  if (testFile && (values.data.length > 1 || config.transactions || config.joins?.length)) {
    throw new UsageError(
      '--test takes a held-out file for a single customer table; with several tables the held-out rows are a random split (testSize in the config)',
    );
  }

  const quiet = flags.has('quiet');
  const progress = createProgress(progressSink, { quiet });
  const started = performance.now();
  let model: Model;
  let text: string;
  let modelFile: string;
  let reportFile: string;
  let report: TrainReport;
  try {
    const assembled = await assembleTables(values.data, config, {
      testFile,
      onProgress: (done, total) => progress.step('reading', done, total, formatBytes),
    });
    const { table } = assembled;
    config.labels = { ...assembled.labels, ...config.labels };
    ({ model, report } = await trainModel(table, {
      config,
      seed: Number(seedText),
      k: kText === 'auto' ? 'auto' : Number(kText),
      kRange: [Number(range[1]), Number(range[2])],
      trainedAt,
      sources: [...values.data, ...(testFile ? [testFile] : [])].map((f) => basename(f)),
      split: testFile ? givenSplit(table.parts[0], table.rows) : undefined,
      assembly: assembled.log,
      onStep: (name, done, total) => progress.step(name, done, total),
    }));
    const outDir = resolve(values.out?.[0] ?? 'models');
    await mkdir(outDir, { recursive: true });
    text = JSON.stringify(model);
    modelFile = join(outDir, 'model.json');
    reportFile = join(outDir, 'report.html');
    await writeAtomic(modelFile, text);
    await writeAtomic(join(outDir, 'report.json'), JSON.stringify(report, null, 1));
    await writeAtomic(reportFile, renderReport(model, report));
  } catch (e) {
    // Clears a live progress line, so the error starts a line of its own.
    progress.abort();
    throw e;
  }
  progress.end();
  if (!quiet)
    log(
      formatSummary(model, report, Buffer.byteLength(text), modelFile) +
        `report: ${reportFile}\ntrained in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
    );
  else log(`${modelFile}\n`);
  return { modelFile, reportFile, version: model.version };
}

if (import.meta.url === `file://${process.argv[1]}`)
  runCli(async () => {
    await runTrain(process.argv.slice(2));
  });
