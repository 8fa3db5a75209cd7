// Trains the bundled sample once, in Node, for tests that need a real model
// (the worker tests receive it through vitest's provide/inject).
import { readTable } from '../../trainer/read/table.ts';
import { trainModel } from '../../trainer/train.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { readFileSync } from 'node:fs';
import { type Model, compileModel, type CompiledModel } from '../../model/index.ts';

export const SAMPLE_CSV = 'data/customers.csv';
export const SAMPLE_CONFIG = 'data/customers.config.json';

/** Trains a CSV file in memory with fixed, test-friendly options (seed, range, training date). */
export async function trainFile(
  file: string,
  config: TrainConfig,
  options: { seed?: number; kRange?: [number, number] } = {},
): Promise<Model> {
  const table = await readTable(file, config);
  const { model } = await trainModel(table, {
    config,
    seed: options.seed ?? 42,
    k: 'auto',
    kRange: options.kRange ?? [2, 8],
    trainedAt: '2026-01-01T00:00:00Z',
    sources: [table.source],
  });
  return model;
}

export async function trainSample(overrides: Partial<TrainConfig> = {}, file = SAMPLE_CSV): Promise<Model> {
  const config = { ...(JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig), ...overrides };
  return trainFile(file, config);
}

/** The sample trained and compiled, for tests that score with it. */
export async function compiledSample(): Promise<{ model: Model; cm: CompiledModel }> {
  const model = await trainSample();
  return { model, cm: compileModel(model) };
}
