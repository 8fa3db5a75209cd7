// The pure helpers behind the dashboard pages: form steps, number wording,
// segment differences and the suggested action.
import { describe, expect, it } from 'vitest';
import { compileModel, createScorer, headReason, type Model } from '../../model/index.ts';
import { allDrivers } from '../../dashboard/views/drivers.ts';
import { Importance } from '../../dashboard/pages/importance.tsx';
import { niceTicks } from '../../dashboard/charts/scale.ts';
import { fmtNumber, fmtPercent, humanise } from '../../dashboard/format.ts';
import { formFields, stepFor } from '../../dashboard/views/fields.ts';
import { overallRate, segmentDifferences, suggestedAction } from '../../dashboard/views/profiles.ts';
import { sampleModel } from '../support/worker.ts';

describe('form fields', () => {
  it.each([
    [18, 75, '1'],
    [21.6, 173.4, '0.1'],
    [5.72, 173.4, '0.01'],
    [0.0001, 2, '0.001'],
  ])('a range %s..%s steps by %s', (min, max, step) => {
    expect(stepFor(min, max)).toBe(step);
  });

  it("pre-fills the training median at the field's precision, and words unlabelled names", () => {
    const fields = formFields([
      { name: 'avg_basket', type: 'number', impute: 64.715, min: 5.72, max: 173.4 },
      { name: 'seatCount', type: 'number', impute: 3, min: 1, max: 40, label: '  ' },
    ]);
    expect(fields.map((f) => [f.label, f.typical])).toEqual([
      ['Avg basket', '64.72'],
      ['Seat count', '3'],
    ]);
  });
});

describe('wording numbers', () => {
  it.each([
    [0.0954, '9.5%'],
    [0.3745, '37%'],
    [1, '100%'],
    [0, '0%'],
  ])('%s → %s', (p, text) => expect(fmtPercent(p)).toBe(text));
  it.each([
    [61.8, '61.8'],
    [173.4, '173'],
    [2282.3, '2,282'],
    [0.9728, '0.973'],
  ])('%s → %s', (v, text) => expect(fmtNumber(v)).toBe(text));
  it('turns column names into words', () => {
    expect(humanise('monthly_spend')).toBe('Monthly spend');
    expect(humanise('SeniorCitizen')).toBe('Senior citizen');
  });
  it('picks round ticks', () => {
    expect(niceTicks(0, 8547.8, 4)).toEqual([0, 2500, 5000, 7500]);
  });
});

describe('segments', () => {
  const model: Model = sampleModel();
  const seg = model.segmentation.segments[0];

  it('measures numbers in population standard deviations and categories by their most over-represented level', () => {
    const diffs = segmentDifferences(model, seg);
    const spending = diffs.find((d) => d.kind === 'number' && d.label === 'Spending score (1–100)');
    const pop = model.segmentation.population;
    const j = model.inputs.findIndex((f) => f.name === 'spending_score');
    expect(spending).toMatchObject({ z: (seg.profile.means[j]! - pop.means[j]!) / pop.stds[j]! });
    const channel = diffs.find((d) => d.kind === 'level' && d.label === 'Main channel');
    const lifts = Object.entries(seg.profile.shares.channel).map(
      ([level, s]) => [level, s - pop.shares.channel[level]] as const,
    );
    expect(channel).toMatchObject({ level: lifts.sort((a, b) => b[1] - a[1])[0][0] });
  });

  it("takes the overall rate as the segments' rates weighted by size", () => {
    const segs = model.segmentation.segments;
    const want = segs.reduce((s, x) => s + x.rates!.purchased * x.size, 0) / segs.reduce((s, x) => s + x.size, 0);
    expect(overallRate(model, 'purchased')).toBeCloseTo(want, 12);
  });

  it('uses the configured action, else derives a marked one from the rates', () => {
    expect(suggestedAction(model, { ...seg, action: 'Send the app-only coupon' })).toEqual({
      text: 'Send the app-only coupon',
      configured: true,
    });
    const derived = suggestedAction(model, { ...seg, action: undefined, rates: { purchased: 0.9 } });
    expect(derived.configured).toBe(false);
    // The target is named by its display label from the training config.
    expect(derived.text).toMatch(
      /^Purchased within 30 days: 90% here vs \d+% overall, well above average — prioritise this group/,
    );
    expect(suggestedAction(model, { ...seg, action: undefined, rates: { purchased: 0.01 } }).text).toContain(
      'a low priority',
    );
  });
});

describe('drivers', () => {
  it("are the head's reasons, described: same inputs, order and contributions, adding up to the log-odds", () => {
    const cm = compileModel(sampleModel() as Model);
    const scorer = createScorer(cm);
    scorer.readRecord({ age: 29, spending_score: 99, region: 'Atlantis', channel: 'app' });
    scorer.scoreInto();
    const drivers = allDrivers(scorer, 0);
    const reason = headReason(scorer, 0);
    expect(drivers.map((d) => [d.key, d.logit])).toEqual(reason.contributions.map((c) => [c.input, c.contribution]));
    const total = drivers.reduce((a, d) => a + d.logit, reason.base);
    expect(Math.abs(total - scorer.out[cm.k])).toBeLessThan(1e-9);
    const byKey = new Map(drivers.map((d) => [d.key, d]));
    expect(byKey.get('region')!.value).toBe('not seen in training');
    expect(byKey.get('spending_score')!.value).toBe('99');
  });
});

describe('importance on the model page', () => {
  it('charts a head that carries it, largest first, and nothing for one without', () => {
    const t = structuredClone(sampleModel().targets[0]);
    expect(Importance({ t, index: 0 })).toBeNull();
    t.importance = {
      rows: 412,
      inputs: [
        { input: 'spending_score', meanAbs: 0.9 },
        { input: 'region', meanAbs: 0.2 },
      ],
    };
    const html = String(Importance({ t, index: 0 }));
    expect(html).toContain('data-chart="importance"');
    expect(html).toContain('412 held-out customers');
    expect(html.indexOf('Spending score')).toBeLessThan(html.indexOf('Region'));
  });
});
