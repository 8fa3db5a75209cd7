// A boosted head's reasons through the scorer: TreeSHAP over the values as
// the trees read them, so base + Σ contribution is the head's log-odds for
// every record (missing values and unseen levels taking their default way),
// on a sample model whose head is replaced by random trees over its inputs.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CompiledModel,
  compileModel,
  createScorer,
  forestLogit,
  parseCsvText,
  validateModel,
} from '../../model/index.ts';
import { random, withRandomForest } from '../support/random-trees.ts';
import { SAMPLE_CSV, trainSample } from '../support/sample-model.ts';

const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8'));
const header = rows[0].fields;
const records = rows.slice(1, 1501).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

let cm: CompiledModel;
beforeAll(async () => {
  const model = await trainSample({ target: { purchased: { model: 'logistic' } } });
  const boosted = validateModel(
    withRandomForest(model, { seed: 2018, trees: 60, maxDepth: 6, base: -0.7, leafDivisor: 10 }),
  );
  cm = compileModel(boosted);
});

function explain(record: Record<string, unknown>) {
  const s = createScorer(cm);
  expect(s.readRecord(record, { text: true, ignoreUnknown: true }).problems).toBeNull();
  s.scoreInto();
  const logOdds = forestLogit(cm.heads[0].forest!, s.treeValues());
  return { reason: s.reasons().purchased, logOdds, p: s.probs[0] };
}

describe('reasons of a boosted head', () => {
  it('add up to the log-odds to 1e-6 on 1,500 sample records, some fields blanked', () => {
    const rand = random(5);
    for (const record of records) {
      const sent = Object.fromEntries(Object.entries(record).filter(() => rand() > 0.1));
      const { reason, logOdds, p } = explain(sent);
      const total = reason.contributions.reduce((a, c) => a + c.contribution, reason.base);
      expect(Math.abs(total - logOdds)).toBeLessThan(1e-6);
      expect(Math.abs(1 / (1 + Math.exp(-total)) - p)).toBeLessThan(1e-9);
    }
  });

  it('list every input once, largest |contribution| first, with null for a missing value or an unseen level', () => {
    const { reason } = explain({ age: '40', region: 'Atlantis', channel: 'app' });
    const list = reason.contributions;
    expect(list.map((c) => c.input).sort()).toEqual([...cm.inputNames].sort());
    for (let i = 1; i < list.length; i++)
      expect(Math.abs(list[i - 1].contribution)).toBeGreaterThanOrEqual(Math.abs(list[i].contribution));
    const value = (name: string) => list.find((c) => c.input === name)!.value;
    expect(value('age')).toBe(40);
    expect(value('channel')).toBe('app');
    expect(value('region')).toBeNull();
    expect(value('annual_income')).toBeNull();
  });
});
