// Multi-class targets on the dashboard: shown when a model has them (one-vs-
// rest heads with class probabilities), absent from older models. Rendered
// straight from the page components with plain model data.
import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { compileModel, type Model } from '../../model/index.ts';
import { ModelPage } from '../../dashboard/pages/model.tsx';
import { Scorer } from '../../dashboard/pages/score.tsx';
import { classHeads, classResults } from '../../dashboard/views/classes.ts';
import { scoreForm } from '../../dashboard/views/scoring.ts';
import { sampleModel } from '../support/worker.ts';
import { decoded, select } from '../support/dashboard-html.ts';

const PLAN = {
  name: 'preferred_plan',
  method: 'ovr',
  classes: ['basic', 'plus', 'pro'],
  metrics: {
    test: {
      rows: 100,
      accuracy: 0.71,
      macroPrecision: 0.7,
      macroRecall: 0.69,
      macroF1: 0.68,
      logLoss: 0.7,
      perClass: {
        basic: { precision: 0.8, recall: 0.7, f1: 0.75, support: 40 },
        plus: { precision: 0.6, recall: 0.6, f1: 0.6, support: 30 },
        pro: { precision: 0.7, recall: 0.8, f1: 0.74, support: 30 },
      },
      confusion: [
        [28, 8, 4],
        [6, 18, 6],
        [2, 4, 24],
      ],
    },
  },
};

const withPlan = (): Model => ({ ...sampleModel(), classifiers: [PLAN] }) as Model;

describe('multi-class targets', () => {
  it('are read from the model when present and ignored when absent', () => {
    expect(classHeads(sampleModel())).toEqual([]);
    expect(classHeads(withPlan()).map((h) => [h.name, h.label, h.classes])).toEqual([
      ['preferred_plan', 'Preferred plan', ['basic', 'plus', 'pro']],
    ]);
    expect(
      classResults(withPlan(), {
        classes: { preferred_plan: { label: 'plus', probabilities: { basic: 0.2, plus: 0.5, pro: 0.3 } } },
      }),
    ).toEqual([
      {
        name: 'preferred_plan',
        label: 'Preferred plan',
        predicted: 'plus',
        probabilities: [
          ['plus', 0.5],
          ['pro', 0.3],
          ['basic', 0.2],
        ],
      },
    ]);
  });

  it("show the most likely value and each value's probability in the result", async () => {
    const cm = compileModel(sampleModel());
    const out = scoreForm(cm, { age: '30' });
    if (!out.ok) throw new Error('must score');
    const view = {
      ...out.view,
      classes: [
        {
          name: 'preferred_plan',
          label: 'Preferred plan',
          predicted: 'plus',
          probabilities: [
            ['plus', 0.5],
            ['pro', 0.3],
            ['basic', 0.2],
          ] as [string, number][],
        },
      ],
    };
    const html = String(jsx(Scorer, { cm, state: { values: out.values, notes: out.notes, view } }));
    expect(decoded((await select(html, '.target[data-target="preferred_plan"] .prob-value'))[0].text)).toBe('plus');
    expect(
      (await select(html, '.target[data-target="preferred_plan"] .class-probs li')).map((li) => decoded(li.text)),
    ).toEqual(['plus: 50%', 'pro: 30%', 'basic: 20%']);
  });

  it('show accuracy, per-value scores and the full confusion matrix on the model page', async () => {
    const model = withPlan();
    const html = String(jsx(ModelPage, { cm: { ...compileModel(sampleModel()), model } }));
    const card = await select(html, '.target-card[data-target="preferred_plan"]');
    expect(card).toHaveLength(1);
    expect(decoded(card[0].text)).toContain('accuracy 0.71, macro F1 0.68');
    const cells = await select(html, '.target-card[data-target="preferred_plan"] table.confusion tbody td');
    expect(cells.map((c) => Number(c.text))).toEqual(PLAN.metrics.test.confusion.flat());
  });
});
