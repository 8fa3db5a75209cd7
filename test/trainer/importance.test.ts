// A boosted head's global importance is the mean |contribution| of the reasons
// the edge gives for the held-out rows: computed from the trainer's table, it
// equals the average over the same rows scored as CSV records.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  computeVersion,
  createScorer,
  headReason,
  type Model,
  parseCsvText,
  validateModel,
} from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { buildSchema, type Schema } from '../../trainer/features/schema.ts';
import { addImportance, heldOutImportance } from '../../trainer/heads/importance.ts';
import { readTable } from '../../trainer/read/table.ts';
import { renderReport } from '../../trainer/report/page.ts';
import { givenSplit, type TrainReport, trainModel } from '../../trainer/train.ts';
import { withRandomForest } from '../support/random-trees.ts';
import { SAMPLE_CONFIG, SAMPLE_CSV } from '../support/sample-model.ts';

const TRAIN_ROWS = 1600;
const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8'));
const header = rows[0].fields;
const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

let model: Model;
let report: TrainReport;
let schema: Schema;
let split: { train: Uint32Array; test: Uint32Array };

/** The model with its head replaced by random trees over its inputs. */
const boosted = (m: Model): Model => withRandomForest(m, { seed: 31, trees: 40, maxDepth: 5, base: -0.5 });

beforeAll(async () => {
  const config = {
    ...(JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig),
    target: { purchased: { model: 'logistic' } },
  } as TrainConfig;
  const table = await readTable(SAMPLE_CSV, config);
  split = givenSplit(TRAIN_ROWS, table.rows);
  ({ model, report } = await trainModel(table, {
    config,
    seed: 42,
    k: 3,
    kRange: [2, 8],
    split,
    trainedAt: '2026-01-01T00:00:00Z',
    sources: ['customers.csv'],
  }));
  schema = buildSchema(table, config, split.train);
});

describe('held-out importance', () => {
  it('is the mean |contribution| of the reasons for the held-out rows, as the edge explains them', () => {
    const cm = compileModel(boosted(model));
    const importance = heldOutImportance(cm, schema.bindings, split.test, 0)!;
    expect(importance.rows).toBe(split.test.length);
    const s = createScorer(cm);
    const sums = new Map<string, number>();
    for (const record of records.slice(TRAIN_ROWS)) {
      expect(s.readRecord(record, { text: true, ignoreUnknown: true }).problems).toBeNull();
      for (const c of headReason(s, 0).contributions)
        sums.set(c.input, (sums.get(c.input) ?? 0) + Math.abs(c.contribution));
    }
    expect(importance.inputs.map((e) => e.input).sort()).toEqual([...cm.inputNames].sort());
    for (const { input, meanAbs } of importance.inputs) {
      const expected = sums.get(input)! / split.test.length;
      expect(Math.abs(meanAbs - expected)).toBeLessThanOrEqual(5e-6 * Math.max(expected, 1e-3)); // six significant digits;
    }
    for (let i = 1; i < importance.inputs.length; i++)
      expect(importance.inputs[i - 1].meanAbs).toBeGreaterThanOrEqual(importance.inputs[i].meanAbs);
    expect(importance.inputs[0].meanAbs).toBeGreaterThan(0);
  });

  it('is added to boosted heads only, validated on load', async () => {
    const { version: _v, ...draft } = boosted(model);
    addImportance(draft, schema.bindings, split.test);
    expect(draft.targets[0].importance?.rows).toBe(split.test.length);
    const doc = { ...draft, version: await computeVersion(draft) };
    expect(validateModel(doc).targets[0].importance).toEqual(draft.targets[0].importance);
    const bad = JSON.parse(JSON.stringify(doc));
    bad.targets[0].importance.inputs[0].meanAbs = -1;
    expect(() => validateModel(bad)).toThrow(/targets\[0\]\.importance/);
    const { version: _v2, ...plain } = model;
    addImportance(plain, schema.bindings, split.test);
    expect(plain.targets[0].importance).toBeUndefined();
  });

  it('is charted in the training report in place of the weights', async () => {
    const { version: _v, ...draft } = boosted(model);
    addImportance(draft, schema.bindings, split.test);
    const doc = validateModel({ ...draft, version: await computeVersion(draft) });
    const html = renderReport(doc, report);
    expect(html).toContain('id="chart-importance-purchased"');
    expect(html).toContain(`over ${split.test.length} held-out rows`);
    expect(html).not.toContain('chart-weights-purchased');
    expect(renderReport(model, report)).toContain('chart-weights-purchased');
  });
});
