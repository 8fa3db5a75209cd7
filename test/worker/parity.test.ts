import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { postJson, seedModel } from '../support/worker.ts';
import { bearer } from '../support/keys.ts';

afterAll(async () => {
  await seedModel();
});

it.each([
  ['logistic', 'sampleModel', 'parity'],
  ['boosted', 'boostedModel', 'boostedParity'],
] as const)(
  'scores 1,200 rows in workerd exactly as the Node scorer does (%s head)',
  async (kind, modelKey, answersKey) => {
    expect(JSON.parse(inject(modelKey)).targets[0].kind ?? 'logistic').toBe(kind);
    await seedModel(inject(modelKey));
    const { records } = inject('parity');
    const expected = answersKey === 'parity' ? inject('parity').expected : inject(answersKey);
    expect(records.length).toBeGreaterThanOrEqual(1000);
    const results: any[] = [];
    for (let i = 0; i < records.length; i += 1000) {
      const res = await postJson('/v1/score', { records: records.slice(i, i + 1000) }, bearer());
      expect(res.status).toBe(200);
      results.push(...(await res.json<any>()).results);
    }
    expect(results).toHaveLength(expected.length);
    results.forEach((r, i) => {
      expect(r.segment.id).toBe(expected[i].segment);
      for (const [name, p] of Object.entries(expected[i].scores))
        expect(Math.abs(r.scores[name] - p)).toBeLessThan(1e-9);
      expect(r.projection).toHaveLength(2);
      for (const c of [0, 1]) expect(Math.abs(r.projection[c] - expected[i].projection[c])).toBeLessThan(1e-9);
    });
  },
);
