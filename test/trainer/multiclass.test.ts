// A multi-class target — here a segment label supplied by the business, the
// sample's true persona — trained one-vs-rest beside a binary head, scored by
// the shared scorer under `classes`, and refused by validation when malformed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../../data/customers-model.ts';
import {
  CsvScorer,
  parseCsvText,
  compileModel,
  scoreRecord,
  scoreToJson,
  type Model,
  ModelError,
  validateModel,
} from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { readTable } from '../../trainer/read/table.ts';
import { trainModel, type TrainReport } from '../../trainer/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-multi-'));
const sample = parseCsvText(readFileSync('data/customers.csv', 'utf8'));
const truth = parseCsvText(readFileSync('data/customers.truth.csv', 'utf8')).slice(1);
const file = join(dir, 'customers-with-persona.csv');
writeFileSync(
  file,
  [
    [...sample[0].fields, 'persona'].join(','),
    ...sample.slice(1).map((r, i) => [...r.fields, PERSONAS[Number(truth[i].fields[1])].name].join(',')),
  ].join('\n') + '\n',
);
const header = [...sample[0].fields, 'persona'];
const records = parseCsvText(readFileSync(file, 'utf8'))
  .slice(1)
  .map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));

const config: TrainConfig = {
  ...(JSON.parse(readFileSync('data/customers.config.json', 'utf8')) as TrainConfig),
  targets: ['purchased', 'persona'],
};

let model: Model;
let report: TrainReport;
beforeAll(async () => {
  const table = await readTable(file, config);
  ({ model, report } = await trainModel(table, {
    config,
    seed: 42,
    k: 5,
    kRange: [2, 8],
    trainedAt: '2026-01-01T00:00:00Z',
    sources: ['customers-with-persona.csv'],
  }));
});

describe('a multi-class target', () => {
  it('trains one-vs-rest beside the binary head, one weight vector per class', () => {
    expect(model.targets.map((t) => t.name)).toEqual(['purchased']);
    const head = model.classifiers![0];
    expect(head.name).toBe('persona');
    expect(head.method).toBe('ovr');
    expect(head.classes).toEqual(PERSONAS.map((p) => p.name).sort());
    expect(head.weights).toHaveLength(5);
    expect(head.intercepts).toHaveLength(5);
  });

  it('predicts the personas on held-out rows (accuracy ≥ 0.95), with cross-validation and a confusion matrix', () => {
    const m = model.classifiers![0].metrics.test;
    expect(m.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(m.rows).toBe(400);
    expect(m.confusion.flat().reduce((a, b) => a + b, 0)).toBe(400);
    expect(m.confusion.reduce((n, row, i) => n + row[i], 0) / 400).toBeCloseTo(m.accuracy, 4);
    expect(report.classifiers[0].cv?.folds).toBe(5);
    expect(report.classifiers[0].cv?.mean.accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it('scores as class probabilities summing to 1 under "classes", the label being the most probable', () => {
    const cm = compileModel(model);
    let correct = 0;
    for (const r of records.slice(0, 200)) {
      const out = scoreRecord(cm, r, { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error(JSON.stringify(out.problems));
      const c = out.result.classes!.persona;
      const probs = Object.values(c.probabilities);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(c.probabilities[c.label]).toBe(Math.max(...probs));
      if (c.label === r.persona) correct++;
      expect(typeof out.result.scores.purchased).toBe('number');
    }
    expect(correct / 200).toBeGreaterThanOrEqual(0.95);
  });

  it('answers the API with the classes between the scores and the projection, as the result object has them', () => {
    const cm = compileModel(model);
    const typed = records.slice(0, 20).map((r) => {
      const out = scoreRecord(cm, r, { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error(JSON.stringify(out.problems));
      return out.result;
    });
    // The API reads JSON values, so feed it the records as a client would send them.
    const asSent = records.slice(0, 20).map((r) => {
      const { customer_id: _id, purchased: _p, persona: _q, ...fields } = r;
      return Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, v === '' ? null : /^-?[\d.]+$/.test(v) ? Number(v) : v]),
      );
    });
    const out = scoreToJson(cm, model.version, asSent, true);
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    const answer = JSON.parse(out.json) as { results: unknown[] };
    expect(Object.keys(answer.results[0] as object)).toEqual([
      'segment',
      'scores',
      'classes',
      'projection',
      'warnings',
    ]);
    expect(answer.results.map((r) => (r as { classes: unknown }).classes)).toEqual(typed.map((r) => r.classes));
  });

  it('adds the most probable class to scored CSV rows as class_<target>', () => {
    let out = '';
    const scorer = new CsvScorer(compileModel(model), (t) => {
      out += t;
    });
    for (const r of parseCsvText(readFileSync(file, 'utf8')).slice(0, 3)) scorer.row(r);
    const lines = out.trim().split('\n');
    expect(lines[0].endsWith(',segment,segment_label,p_purchased,class_persona,error')).toBe(true);
    expect(lines[1].split(',').at(-2)).toBe(records[0].persona);
    expect(lines[1].split(',').at(-1)).toBe(''); // no error
  });

  it('leaves the output of a model without one as it was: no "classes" key', () => {
    const { classifiers: _c, ...binaryOnly } = model;
    const out = scoreRecord(compileModel(binaryOnly as Model), records[0], { text: true, ignoreUnknown: true });
    expect(out.ok && Object.keys(out.result)).toEqual(['segment', 'scores', 'projection', 'warnings']);
  });

  it('is refused by validation when its weights do not fit the classes', () => {
    const bad = structuredClone(model);
    bad.classifiers![0].weights.pop();
    expect(() => validateModel(bad)).toThrow(ModelError);
    expect(() => validateModel(bad)).toThrow('classifiers[0].weights: must hold one vector per class (5)');
    const clash = structuredClone(model);
    clash.classifiers![0].name = 'purchased';
    expect(() => validateModel(clash)).toThrow('classifiers[0]: duplicate target "purchased"');
  });
});
