// The report's prediction sections: for each binary head its held-out and
// cross-validated metrics, ROC and precision–recall curves, confusion matrix,
// calibration plot and feature weights; for each multi-class head its metrics
// and confusion matrix. The charts are the dashboard's components
// (dashboard/charts).
import type { ClassifierHead, Model, TargetHead } from '../../model/index.ts';
import { CalibrationChart, PrecisionRecallChart, RocChart } from '../../dashboard/charts/curves.tsx';
import { HeatMap } from '../../dashboard/charts/heatmap.tsx';
import { SignedBarChart } from '../../dashboard/charts/signed-bars.tsx';
import { fmtNumber } from '../../dashboard/format.ts';
import type { ClassifierReport, TargetReport } from '../train.ts';
import { draw, esc, figure } from './html.ts';

/** A name per encoded column: the feature, or `input = level` for one-hot columns. */
export function columnNames(model: Model): string[] {
  const names: string[] = [];
  for (const f of model.features) {
    if (f.kind === 'onehot') {
      const input = model.inputs.find((i) => i.name === f.input);
      for (const l of input && input.type === 'category' ? input.levels : []) names.push(`${f.input} = ${l}`);
    } else names.push(f.name);
  }
  return names;
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-');

function weightsChart(model: Model, name: string, weights: number[], id: string): string {
  const names = columnNames(model);
  const items = weights
    .map((value, j) => ({ label: names[j], value }))
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.label < b.label ? -1 : 1))
    .slice(0, 20);
  const title = `Weights for ${name} (log-odds per unit, largest 20)`;
  return figure(draw(SignedBarChart({ id, title, items })), title);
}

/** A boosted head's held-out importance (mean |contribution| per input, largest 20). */
function importanceChart(head: TargetHead, id: string): string {
  const imp = head.importance;
  if (!imp) return '';
  const items = imp.inputs.slice(0, 20).map((e) => ({ label: e.input, value: e.meanAbs }));
  const title = `Importance for ${head.name}: mean |contribution| to the log-odds over ${imp.rows} held-out rows (largest 20)`;
  return figure(draw(SignedBarChart({ id, title, items })), title);
}

function binarySection(model: Model, head: TargetHead, r: TargetReport): string {
  const m = r.test;
  const id = slug(head.name);
  const cvRow = (key: string) =>
    r.cv ? `<td class="num">${f3(r.cv.mean[key])} ± ${f3(r.cv.sd[key])}</td>` : '<td class="num">–</td>';
  const metric = (label: string, key: keyof typeof m, cvKey: string) =>
    `<tr><td>${label}</td><td class="num">${f3(m[key] as number)}</td><td class="num">${f3(r.testAtHalf[key] as number)}</td>${cvRow(cvKey)}</tr>`;
  const [[tn, fp], [fn, tp]] = m.confusion;
  const rocTitle = `ROC curve (AUC ${f3(m.rocAuc)}); dashed: chance`;
  const roc = figure(
    draw(RocChart({ id: `chart-roc-${id}`, title: rocTitle, roc: m.roc ?? [], auc: m.rocAuc })),
    rocTitle,
  );
  const prTitle = `Precision–recall (average precision ${f3(m.prAuc ?? NaN)}); dashed: base rate`;
  const pr = figure(
    draw(
      PrecisionRecallChart({
        id: `chart-pr-${id}`,
        title: prTitle,
        pr: m.pr ?? [],
        baseRate: m.positiveRate,
        averagePrecision: m.prAuc,
      }),
    ),
    prTitle,
  );
  const calibrationTitle = `Calibration (Brier score ${f3(m.brier ?? NaN)}); dashed: perfect`;
  const calibration = figure(
    draw(
      CalibrationChart({
        id: `chart-calibration-${id}`,
        title: calibrationTitle,
        bins: (m.calibration ?? []).map(([p, o]) => [p, o]),
        brier: m.brier,
      }),
    ),
    calibrationTitle,
  );
  const confusionTitle = `Confusion matrix at threshold ${fmtNumber(head.threshold)}`;
  const confusion = figure(
    draw(
      HeatMap({
        id: `chart-confusion-${id}`,
        title: confusionTitle,
        rows: [`actual not ${head.positive}`, `actual ${head.positive}`],
        cols: [`predicted not ${head.positive}`, `predicted ${head.positive}`],
        values: [
          [tn, fp],
          [fn, tp],
        ],
        text: [
          [String(tn), String(fp)],
          [String(fn), String(tp)],
        ],
        limit: Math.max(tn, fp, fn, tp),
        sequential: true,
      }),
    ),
    confusionTitle,
  );
  return `<section id="target-${esc(id)}"><h2>Prediction: ${esc(head.name)}</h2>
<p>Positive class <strong>${esc(head.positive)}</strong>; ${r.rowsWithLabel.toLocaleString('en-US')} rows with a label${r.droppedUnlabelled ? ` (${r.droppedUnlabelled.toLocaleString('en-US')} without one left out)` : ''}. ${esc(describeHead(head, r))} Decision threshold ${fmtNumber(head.threshold)}: ${esc(r.thresholdRule)}. Held-out positive rate ${(100 * m.positiveRate).toFixed(1)}%.</p>
<table><thead><tr><th>Metric</th><th class="num">Held out, threshold ${fmtNumber(head.threshold)}</th><th class="num">Held out, threshold 0.5</th><th class="num">${r.cv ? `${r.cv.folds}-fold CV (mean ± sd, at 0.5)` : 'CV'}</th></tr></thead><tbody>
${metric('Accuracy', 'accuracy', 'accuracy')}${metric('Precision', 'precision', 'precision')}${metric('Recall', 'recall', 'recall')}${metric('F1', 'f1', 'f1')}${metric('ROC-AUC', 'rocAuc', 'rocAuc')}${metric('PR-AUC (average precision)', 'prAuc', 'prAuc')}${metric('Brier score', 'brier', 'brier')}
</tbody></table>
<div class="charts">${roc}${pr}${calibration}${confusion}</div>
<div class="charts">${head.kind === 'boosted' ? importanceChart(head, `chart-importance-${id}`) : weightsChart(model, head.name, head.weights, `chart-weights-${id}`)}</div>
</section>`;
}

/** The head's model in one or two sentences: what it is, how it was fitted, and how it was chosen. */
export function describeHead(head: TargetHead, r: Pick<TargetReport, 'classWeight' | 'iterations'>): string {
  const fitted =
    head.kind === 'boosted'
      ? `Gradient-boosted trees: ${head.params.iterations} trees of at most ${head.params.maxLeaves} leaves, learning rate ${fmtNumber(head.params.learningRate)}${head.params.earlyStopping ? ' (early stopping on a held-out tenth of the training rows)' : ''}.`
      : `Logistic regression with an intercept and L2 penalty (C = ${fmtNumber(1 / head.l2)})${r.classWeight ? ', classes weighted to count equally' : ''}; fitted by Newton's method in ${r.iterations} iterations.`;
  return head.choice ? `${fitted} ${describeChoice(head.choice)}` : fitted;
}

/** The automatic choice in words, with both out-of-fold figures. */
export function describeChoice(c: NonNullable<TargetHead['choice']>): string {
  return `Chosen automatically: out-of-fold ROC-AUC over ${c.folds} folds ${f3(c.cvRocAuc.logistic)} logistic, ${f3(c.cvRocAuc.boosted)} boosted; boosted ships only when it is ahead by ${fmtNumber(c.minGain)} or more, so ${c.chosen} ships.`;
}

function multiclassSection(model: Model, head: ClassifierHead, r: ClassifierReport): string {
  const m = r.test;
  const id = slug(head.name);
  const max = Math.max(...m.confusion.flat(), 1);
  const confusionTitle = 'Confusion matrix (rows: actual class, columns: predicted)';
  const confusion = figure(
    draw(
      HeatMap({
        id: `chart-confusion-${id}`,
        title: confusionTitle,
        rows: head.classes.map((c) => `actual ${c}`),
        cols: head.classes.map((c) => `predicted ${c}`),
        values: m.confusion,
        text: m.confusion.map((row) => row.map(String)),
        limit: max,
        sequential: true,
      }),
    ),
    confusionTitle,
  );
  const perClass = head.classes.map((c) => {
    const p = m.perClass[c];
    return `<tr><td>${esc(c)}</td><td class="num">${r.classSizes[c]}</td><td class="num">${p.support}</td><td class="num">${f3(p.precision)}</td><td class="num">${f3(p.recall)}</td><td class="num">${f3(p.f1)}</td></tr>`;
  });
  const cv = r.cv
    ? ` ${r.cv.folds}-fold CV: accuracy ${f3(r.cv.mean.accuracy)} ± ${f3(r.cv.sd.accuracy)}, macro F1 ${f3(r.cv.mean.macroF1)} ± ${f3(r.cv.sd.macroF1)}.`
    : '';
  // One weight chart per class, up to a page's worth.
  const charts = head.classes
    .slice(0, 6)
    .map((c, i) => weightsChart(model, `${head.name} = ${c}`, head.weights[i], `chart-weights-${id}-${slug(c)}`));
  return `<section id="target-${esc(id)}"><h2>Prediction: ${esc(head.name)} (${head.classes.length} classes)</h2>
<p>One-vs-rest logistic regression (C = ${fmtNumber(1 / head.l2)}): one model per class, probabilities normalised to sum to 1; the predicted class is the most probable. ${r.rowsWithLabel.toLocaleString('en-US')} rows with a label. Held out: accuracy <strong>${f3(m.accuracy)}</strong>, macro F1 ${f3(m.macroF1)}, macro precision ${f3(m.macroPrecision)}, macro recall ${f3(m.macroRecall)}, log loss ${f3(m.logLoss)}.${cv}</p>
<table><thead><tr><th>Class</th><th class="num">Training rows</th><th class="num">Held-out rows</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th></tr></thead><tbody>${perClass.join('')}</tbody></table>
<div class="charts">${confusion}</div>
<div class="charts">${charts.join('')}</div>
</section>`;
}

export function predictionSections(model: Model, targets: TargetReport[], classifiers: ClassifierReport[]): string {
  return [
    ...model.targets.map((h) => binarySection(model, h, targets.find((t) => t.name === h.name)!)),
    ...(model.classifiers ?? []).map((h) => multiclassSection(model, h, classifiers.find((c) => c.name === h.name)!)),
  ].join('\n');
}
