// Counting scored records into a model's drift bins: number inputs at their
// training deciles, categories per level plus unseen, missing fields in their
// own bin; the trainer's baseline is the same counting over the training rows.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binsOf,
  compileModel,
  createScorer,
  SCORE_BINS,
  Tally,
  validateModel,
  ModelError,
  type Model,
} from '../../model/index.ts';
import { trainSample } from '../support/sample-model.ts';

let model: Model;
beforeAll(async () => {
  model = await trainSample();
});

const sum = (a: number[]) => a.reduce((s, x) => s + x, 0);

describe('the training baseline', () => {
  it('counts every training row once per input, for the segments and per head, with deciles near a tenth each', () => {
    const m = model.monitoring!;
    expect(m.rows).toBeGreaterThan(1000);
    for (const counts of m.inputs) expect(sum(counts)).toBe(m.rows);
    expect(sum(m.segments)).toBe(m.rows);
    for (const h of m.scores) {
      expect(h).toHaveLength(SCORE_BINS);
      expect(sum(h)).toBe(m.rows);
    }
    model.inputs.forEach((f, i) => {
      if (f.type !== 'number') return expect(m.edges[i]).toBeNull();
      const edges = m.edges[i]!;
      expect(edges.length).toBeGreaterThan(3);
      for (const count of m.inputs[i].slice(0, edges.length + 1)) expect(count / m.rows).toBeLessThan(0.25);
    });
  });

  it('is validated: a share list of the wrong length is named by its path', () => {
    const bad = structuredClone(model);
    bad.monitoring!.inputs[0] = [800, 800];
    expect(() => validateModel(bad)).toThrow(ModelError);
    expect(() => validateModel(bad)).toThrow(/monitoring\.inputs\[0\]/);
  });

  it('is absent from older models, which count segments and scores but no inputs', () => {
    const { monitoring: _m, ...older } = model;
    const bins = binsOf(older as Model);
    expect(Array.from(bins.inputBins)).toEqual(model.inputs.map(() => 0));
    expect(bins.size).toBe(model.segmentation.centroids.length + model.targets.length * SCORE_BINS);
  });
});

describe('a tally', () => {
  it('bins a number at its edges, an unseen level and a missing field in their own bins', () => {
    const bins = binsOf(model);
    const cm = compileModel(model);
    const sc = createScorer(cm);
    const tally = new Tally(bins);
    const num = model.inputs.findIndex((f) => f.type === 'number');
    const cat = model.inputs.findIndex((f) => f.type === 'category' && !f.ordinal);
    const edges = model.monitoring!.edges[num]!;
    const record = (over: Record<string, unknown>) => {
      const r: Record<string, unknown> = {};
      model.inputs.forEach((f) => {
        r[f.name] = f.impute;
      });
      return { ...r, ...over };
    };
    const count = (rec: Record<string, unknown>) => {
      const { problems, warnings } = sc.readRecord(rec);
      expect(problems).toBeNull();
      tally.add(sc.values, sc.scoreInto(), sc.probs, warnings);
    };
    count(record({ [model.inputs[num].name]: edges[0] })); // bin 1: edges[0] <= v < edges[1]
    count(record({ [model.inputs[num].name]: edges[edges.length - 1] + 1 })); // the last value bin
    const { [model.inputs[num].name]: _gone, ...missing } = record({});
    count(missing); // the missing bin
    count(record({ [model.inputs[cat].name]: 'never-seen-level' })); // the unseen bin
    const at = bins.inputAt[num];
    const numCounts = Array.from(tally.counts.subarray(at, at + bins.inputBins[num]));
    expect(numCounts[1]).toBeGreaterThanOrEqual(1);
    expect(numCounts[edges.length]).toBeGreaterThanOrEqual(1);
    expect(numCounts[edges.length + 1]).toBe(1);
    expect(sum(numCounts)).toBe(4);
    const catAt = bins.inputAt[cat];
    const levels = (model.inputs[cat] as { levels: string[] }).levels.length;
    expect(tally.counts[catAt + levels]).toBe(1);
    expect(tally.records).toBe(4);
    const segs = Array.from(tally.counts.subarray(bins.segmentAt, bins.segmentAt + bins.segments));
    expect(sum(segs)).toBe(4);
    const copy = new Tally(bins);
    copy.merge(tally);
    copy.merge(tally);
    expect(copy.records).toBe(8);
    expect(Array.from(copy.counts)).toEqual(Array.from(tally.counts, (c) => 2 * c));
  });
});
