// A trained boosted head explains itself exactly: on every held-out row of
// the sample (as sent, and with fields left out), base + Σ contribution is
// the head's log-odds to 1e-6; and the trainer ships its held-out importance.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledModel,
  compileModel,
  createScorer,
  forestLogit,
  type Model,
  parseCsvText,
} from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { MAX_IMPORTANCE_ROWS } from '../../trainer/heads/importance.ts';
import { readTable } from '../../trainer/read/table.ts';
import { givenSplit, trainModel } from '../../trainer/train.ts';
import { random } from '../support/random-trees.ts';
import { SAMPLE_CONFIG, SAMPLE_CSV } from '../support/sample-model.ts';

const TRAIN_ROWS = 1500;
const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8'));
const header = rows[0].fields;
const heldOut = rows.slice(1 + TRAIN_ROWS).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

let model: Model;
let cm: CompiledModel;
beforeAll(async () => {
  const config = {
    ...(JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig),
    target: { purchased: { model: 'boosted' } },
  } as TrainConfig;
  const table = await readTable(SAMPLE_CSV, config);
  ({ model } = await trainModel(table, {
    config,
    seed: 42,
    k: 3,
    kRange: [2, 8],
    split: givenSplit(TRAIN_ROWS, table.rows),
    trainedAt: '2026-01-01T00:00:00Z',
    sources: ['customers.csv'],
  }));
  cm = compileModel(model);
});

describe('a trained boosted head', () => {
  it('is boosted, with trees of more than one leaf', () => {
    const head = model.targets[0];
    expect(head.kind).toBe('boosted');
    if (head.kind !== 'boosted') return;
    expect(head.trees.length).toBeGreaterThan(5);
    expect(head.trees.some((t) => t.leaf.length > 2)).toBe(true);
  });

  it('adds up to its log-odds to 1e-6 on every held-out row, as sent and with fields left out', () => {
    const s = createScorer(cm);
    const rand = random(6);
    let checked = 0;
    for (const record of heldOut) {
      const blanked = Object.fromEntries(Object.entries(record).filter(() => rand() > 0.15));
      for (const sent of [record, blanked]) {
        expect(s.readRecord(sent, { text: true, ignoreUnknown: true }).problems).toBeNull();
        const reason = s.reasons().purchased;
        const logOdds = forestLogit(cm.heads[0].forest!, s.treeValues());
        const total = reason.contributions.reduce((a, c) => a + c.contribution, reason.base);
        expect(Math.abs(total - logOdds)).toBeLessThan(1e-6);
        expect(reason.contributions).toHaveLength(cm.inputNames.length);
        checked++;
      }
    }
    expect(checked).toBe(2 * heldOut.length);
  });

  it('ships its held-out importance, over every held-out row (fewer than the cap)', () => {
    const head = model.targets[0];
    expect(heldOut.length).toBeLessThan(MAX_IMPORTANCE_ROWS);
    expect(head.importance?.rows).toBe(heldOut.length);
    const inputs = head.importance!.inputs;
    expect(inputs.map((e) => e.input).sort()).toEqual([...cm.inputNames].sort());
    expect(inputs[0].meanAbs).toBeGreaterThan(0);
  });
});
