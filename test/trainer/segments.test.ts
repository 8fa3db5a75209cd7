// Segments as a marketer reads them: Ward's clusters shipped as nearest-mean
// centroids with their agreement stated, k picked by the criterion asked for,
// names from the strongest differences and overridable in the config.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InputField } from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { byCriterion } from '../../trainer/segments/select-k.ts';
import { nameSegments } from '../../trainer/segments/naming.ts';
import type { Profiles } from '../../trainer/segments/profile.ts';
import { readTable, type Table } from '../../trainer/read/table.ts';
import { trainModel } from '../../trainer/train.ts';

const base = JSON.parse(readFileSync('data/customers.config.json', 'utf8')) as TrainConfig;
const train = (table: Table, config: TrainConfig) =>
  trainModel(table, {
    config,
    seed: 42,
    k: 'auto',
    kRange: [2, 8],
    trainedAt: '2026-01-01T00:00:00Z',
    sources: ['customers.csv'],
  });

let table: Table;
beforeAll(async () => {
  table = await readTable('data/customers.csv', base);
});

describe('Ward segments', () => {
  it('ship the cluster means, state how often nearest-centroid agrees, and score every k', async () => {
    const { model, report } = await train(table, { ...base, segments: { method: 'ward', kRange: [3, 6] } });
    expect(model.segmentation.method).toBe('ward');
    expect(report.segmentation.sampled).toBe(1600);
    expect(report.segmentation.agreement).toBeGreaterThanOrEqual(0.95);
    expect(model.segmentation.selection.reason).toMatch(
      /Ward on all 1600 training rows, nearest-centroid agrees with its labels on \d+\.\d% of them/,
    );
    for (const c of report.segmentation.candidates) {
      expect(c.daviesBouldin).toBeGreaterThan(0);
      expect(c.calinskiHarabasz).toBeGreaterThan(0);
    }
    expect(model.segmentation.selection.chosen).toBe(5);
  });
});

describe('choosing k', () => {
  const candidates = [
    { k: 2, inertia: 100, silhouette: 0.3, daviesBouldin: 1.2, calinskiHarabasz: 50 },
    { k: 3, inertia: 60, silhouette: 0.5, daviesBouldin: 0.9, calinskiHarabasz: 70 },
    { k: 4, inertia: 50, silhouette: 0.4, daviesBouldin: 0.8, calinskiHarabasz: 65 },
  ];
  it.each([
    ['elbow', 3, 3],
    ['davies-bouldin', null, 4],
    ['calinski-harabasz', null, 3],
    ['silhouette', null, null],
  ] as const)('by %s', (criterion, knee, k) => {
    expect(byCriterion(candidates, criterion, knee)).toBe(k);
  });

  it('says what every criterion says when the config picks one', async () => {
    const { model } = await train(table, { ...base, segments: { criterion: 'calinski-harabasz', kRange: [2, 6] } });
    expect(model.segmentation.selection.reason).toMatch(
      /^k=\d: calinski-harabasz as the config asks; highest silhouette 0\.\d+ at k=\d; elbow at k=\d; lowest Davies–Bouldin/,
    );
  });
});

describe('segment names', () => {
  const inputs: InputField[] = [
    { name: 'age', type: 'number', impute: 40, min: 18, max: 80 },
    { name: 'recency_days', type: 'number', impute: 30, min: 1, max: 700 },
    { name: 'spend', type: 'number', impute: 10, min: 0, max: 100, label: 'Spend ($)' },
    { name: 'Partner', type: 'category', levels: ['No', 'Yes'], impute: 'No' },
  ];
  // Means and stds in the order of `inputs`, null for the category.
  const profile = (age: number, recency: number, spend: number, partner: number) => ({
    means: [age, recency, spend, null],
    shares: { Partner: { No: 1 - partner, Yes: partner } },
  });
  const profiles: Profiles = {
    population: { ...profile(40, 100, 50, 0.5), stds: [10, 50, 20, null] },
    segments: [profile(25, 95, 70, 0.5), profile(60, 300, 45, 0.05), profile(41, 99, 51, 0.5)],
    sizes: [10, 10, 10],
  };

  it('come from the two strongest differences, in words that read', () => {
    expect(nameSegments(inputs, profiles).map((n) => n.label)).toEqual([
      'Young · High spend',
      'Lapsed · Older',
      'Older',
    ]);
  });

  it('describe the differences in raw units and standard deviations', () => {
    expect(nameSegments(inputs, profiles)[1].description).toBe(
      'recency_days 4.0 sd above average (300 vs 100); age 2.0 sd above average (60.0 vs 40.0); 95% No for Partner (population 50%)',
    );
  });

  it('use the words the config gives, and name yes/no levels by their column', () => {
    const named = nameSegments(inputs, profiles, { spend: ['Frugal', 'Big spenders'], age: ['Juniors', 'Seniors'] });
    expect(named[0].label).toBe('Juniors · Big spenders');
    const partnerOnly = (partner: number) => ({
      means: [null],
      shares: { Partner: { No: 1 - partner, Yes: partner } },
    });
    const partnerless = nameSegments(inputs.slice(3), {
      population: { ...partnerOnly(0.5), stds: [null] },
      segments: [partnerOnly(0.02), partnerOnly(0.95), partnerOnly(0.5)],
      sizes: [10, 10, 10],
    });
    expect(partnerless.map((n) => n.label).slice(0, 2)).toEqual(['No partner', 'Partner']);
  });

  it('never show a level bare: it carries its column, by label or in words', () => {
    const cat = (name: string, levels: string[], label?: string): InputField => ({
      name,
      type: 'category',
      levels,
      impute: levels[0],
      ...(label ? { label } : {}),
    });
    const fields = [
      cat('poutcome', ['failure', 'other', 'success', 'unknown'], 'Previous outcome'),
      cat('PaymentMethod', ['Card', 'Check', '3']),
      cat('num_children', ['0', '1', '3']),
    ];
    const shares = (p: number[], c: number[], n: number[]) => ({
      poutcome: { failure: p[0], other: p[1], success: p[2], unknown: p[3] },
      PaymentMethod: { Card: c[0], Check: c[1], '3': c[2] },
      num_children: { '0': n[0], '1': n[1], '3': n[2] },
    });
    const seg = (p: number[], c: number[], n: number[]) => ({ means: [null, null, null], shares: shares(p, c, n) });
    const named = nameSegments(fields, {
      population: { ...seg([0.1, 0.1, 0.1, 0.7], [0.4, 0.4, 0.2], [0.4, 0.4, 0.2]), stds: [null, null, null] },
      segments: [seg([0, 0, 0, 1], [0.4, 0.4, 0.2], [0.4, 0.4, 0.2]), seg([0.6, 0.1, 0.1, 0.2], [0, 0, 1], [0, 0, 1])],
      sizes: [10, 10],
    }).map((n) => n.label);
    expect(named).toEqual(['Previous outcome: unknown', 'Payment method: 3 · Num children: 3']);
  });

  it('take names, descriptions and actions from the config over the generated ones', async () => {
    const { model } = await train(table, {
      ...base,
      segments: {
        k: 5,
        names: { '0': 'Trend-setters' },
        descriptions: { '0': 'Young, app-first, buy often.' },
        actions: { '0': 'Early access to new lines.' },
      },
    });
    expect(model.segmentation.segments[0]).toMatchObject({
      label: 'Trend-setters',
      description: 'Young, app-first, buy often.',
      action: 'Early access to new lines.',
    });
    expect(model.segmentation.segments[1].action).toBeUndefined();
  });
});
