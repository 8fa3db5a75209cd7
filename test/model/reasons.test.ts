// A logistic head's reasons are exact: on the sample model (and one with
// derived features) base + Σ contribution is the head's log-odds for every
// record, every input is listed once, in |contribution| order, with the value
// that was scored.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledModel, compileModel, createScorer, parseCsvText, type Reason } from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { SAMPLE_CONFIG, SAMPLE_CSV, trainFile, trainSample } from '../support/sample-model.ts';

const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8'));
const header = rows[0].fields;
const records = rows.slice(1, 1501).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

let sample: CompiledModel;
let derived: CompiledModel;
beforeAll(async () => {
  sample = compileModel(await trainSample());
  const config = JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig;
  config.derived = { spend_per_income: 'spending_score / (annual_income + 1)', log_tenure: 'log1p(tenure_months)' };
  derived = compileModel(await trainFile(SAMPLE_CSV, config));
});

/** Reads and scores a record; its reasons and each head's log-odds as the scorer computed them. */
function explain(cm: CompiledModel, record: Record<string, unknown>) {
  const s = createScorer(cm);
  const { problems } = s.readRecord(record, { text: true, ignoreUnknown: true });
  expect(problems).toBeNull();
  s.scoreInto();
  const logOdds = cm.heads.map((_, h) => s.out[cm.k + h]);
  return { reasons: s.reasons(), logOdds };
}

const total = (r: Reason) => r.contributions.reduce((a, c) => a + c.contribution, r.base);

describe('reasons of a logistic head', () => {
  it('add up to the log-odds to 1e-6 on 1,500 sample records, for both models', () => {
    for (const cm of [sample, derived]) {
      for (const record of records) {
        const { reasons, logOdds } = explain(cm, record);
        cm.heads.forEach((h, i) => expect(Math.abs(total(reasons[h.name]) - logOdds[i])).toBeLessThan(1e-6));
      }
    }
  });

  it('list every input once (and each derived feature under its name), largest |contribution| first', () => {
    const names = [...derived.inputNames, 'spend_per_income', 'log_tenure'];
    const { reasons } = explain(derived, records[3]);
    const list = reasons.purchased.contributions;
    expect(list.map((c) => c.input).sort()).toEqual([...names].sort());
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [Math.abs(list[i - 1].contribution), Math.abs(list[i].contribution)];
      expect(a).toBeGreaterThanOrEqual(b);
      if (a === b) expect(names.indexOf(list[i - 1].input)).toBeLessThan(names.indexOf(list[i].input));
    }
  });

  it('report the values scored: numbers after imputation, levels, null for an unseen level', () => {
    const { reasons } = explain(derived, {
      age: '40',
      annual_income: '',
      region: 'Atlantis',
      channel: 'app',
      spending_score: '50',
      tenure_months: '11',
    });
    const value = (name: string) => reasons.purchased.contributions.find((c) => c.input === name)!.value;
    const income = derived.model.inputs.find((f) => f.name === 'annual_income')!;
    expect(value('age')).toBe(40);
    expect(value('annual_income')).toBe((income as { impute: number }).impute);
    expect(value('region')).toBeNull();
    expect(value('channel')).toBe('app');
    expect(value('log_tenure')).toBeCloseTo(Math.log1p(11), 12);
    expect(value('spend_per_income')).toBeCloseTo(50 / ((income as { impute: number }).impute + 1), 12);
  });
});
