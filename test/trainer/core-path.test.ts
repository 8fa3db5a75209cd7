// The core path's promises on the bundled sample, whose truth is known: the
// trainer recovers the true segments and the purchase head ranks held-out rows
// about as well as the model that generated the labels.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvText, compileModel, scoreRecord, type Model } from '../../model/index.ts';
import { adjustedRandIndex } from '../../trainer/estimators/quality.ts';
import { rocAuc } from '../../trainer/estimators/metrics.ts';
import { stratifiedSplit } from '../../trainer/estimators/split.ts';
import { trainSample } from '../support/sample-model.ts';

const rows = parseCsvText(readFileSync('data/customers.csv', 'utf8'));
const header = rows[0].fields;
const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r.fields[i]])));
const truth = parseCsvText(readFileSync('data/customers.truth.csv', 'utf8')).slice(1);

let model: Model;
beforeAll(async () => {
  model = await trainSample();
});

describe('training the bundled sample', () => {
  it('chooses the true number of segments and recovers them (adjusted Rand index ≥ 0.9)', () => {
    expect(model.segmentation.selection.chosen).toBe(5);
    const cm = compileModel(model);
    const found = records.map((r) => {
      const out = scoreRecord(cm, r, { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error(JSON.stringify(out.problems));
      return out.result.segment.id;
    });
    const trueSegments = truth.map((t) => Number(t.fields[1]));
    expect(adjustedRandIndex(found, trueSegments)).toBeGreaterThanOrEqual(0.9);
  });

  it('scores held-out rows with an AUC within 0.02 of the generating model', () => {
    const y = Uint8Array.from(records, (r) => (r.purchased === 'yes' ? 1 : 0));
    const { test } = stratifiedSplit(records.length, 0.2, 42, y);
    const cm = compileModel(model);
    const yTest = Uint8Array.from(test, (i) => y[i]);
    const ours = Float64Array.from(test, (i) => {
      const out = scoreRecord(cm, records[i], { text: true, ignoreUnknown: true });
      if (!out.ok) throw new Error('unscorable');
      return out.result.scores.purchased;
    });
    const generating = Float64Array.from(test, (i) => Number(truth[i].fields[2]));
    const aucOurs = rocAuc(yTest, ours);
    const aucTrue = rocAuc(yTest, generating);
    expect(Math.abs(aucOurs - aucTrue)).toBeLessThanOrEqual(0.02);
    // The model's own report measured the same rows.
    expect(model.targets[0].metrics.test.rocAuc).toBeCloseTo(aucOurs, 3);
  });

  it('exports a compact model that passes its own validation', () => {
    const bytes = JSON.stringify(model).length;
    expect(bytes).toBeLessThan(50_000);
    expect(model.version).toMatch(/^[0-9a-f]{12}$/);
    expect(model.training.rows).toBe(records.length);
  });

  it('is byte-identical when trained again with the same data and seed', async () => {
    const again = await trainSample();
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
  });
});
