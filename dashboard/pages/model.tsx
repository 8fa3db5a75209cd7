// "Model": what was trained on what, how k was chosen (silhouette and the
// inertia elbow), how much the map shows, and for each target the held-out
// model (logistic or boosted, and how it was chosen), confusion matrix, ROC
// curve and precision/recall/F1.
import type { CompiledModel, BinaryMetrics, TargetHead } from '../../model/index.ts';
import { ShareBar } from '../charts/bars.tsx';
import { LineChart } from '../charts/line.tsx';
import { RocChart } from '../charts/curves.tsx';
import { fmtCount, fmtDate, fmtNumber, fmtPercent, fmtScore } from '../format.ts';
import { targetLabel } from '../views/scoring.ts';
import { classHeads, type ClassHeadInfo } from '../views/classes.ts';
import { Importance } from './importance.tsx';
import { Layout } from './layout.tsx';

const METRICS: { key: keyof BinaryMetrics & string; label: string; help: string }[] = [
  { key: 'accuracy', label: 'Accuracy', help: 'share of customers classified right' },
  { key: 'precision', label: 'Precision', help: 'of those predicted yes, the share that were' },
  { key: 'recall', label: 'Recall', help: 'of those that were yes, the share found' },
  { key: 'f1', label: 'F1', help: 'balance of precision and recall' },
  { key: 'rocAuc', label: 'ROC AUC', help: 'chance a random yes scores above a random no' },
  { key: 'prAuc', label: 'PR AUC', help: 'area under the precision–recall curve' },
  { key: 'brier', label: 'Brier score', help: 'mean squared error of the probabilities (lower is better)' },
];

/** Confusion cells shaded by their share of all rows, in five steps (classes, not inline styles). */
const shade = (n: number, total: number) => `cell shade-${Math.min(4, Math.floor((total > 0 ? n / total : 0) * 10))}`;

function Confusion(props: { t: TargetHead }) {
  const m = props.t.metrics.test;
  const [[tn, fp], [fn, tp]] = m.confusion;
  const total = tn + fp + fn + tp;
  return (
    <table class="confusion">
      <caption>Confusion matrix ({fmtCount(total)} held-out customers)</caption>
      <thead>
        <tr>
          <td></td>
          <th scope="col">Predicted no</th>
          <th scope="col">Predicted yes</th>
        </tr>
      </thead>
      <tbody>
        <tr>
          <th scope="row">Actually no</th>
          <td class={shade(tn, total)}>
            {fmtCount(tn)}
            <span class="cell-note">correct</span>
          </td>
          <td class={shade(fp, total)}>
            {fmtCount(fp)}
            <span class="cell-note">false alarm</span>
          </td>
        </tr>
        <tr>
          <th scope="row">Actually yes</th>
          <td class={shade(fn, total)}>
            {fmtCount(fn)}
            <span class="cell-note">missed</span>
          </td>
          <td class={shade(tp, total)}>
            {fmtCount(tp)}
            <span class="cell-note">correct</span>
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function MetricsTable(props: { t: TargetHead }) {
  const { test, cv } = props.t.metrics;
  return (
    <table class="metrics">
      <caption>Held-out scores{cv ? ` and ${cv.folds}-fold cross-validation` : ''}</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Held out</th>
          {cv ? <th scope="col">Cross-validated</th> : null}
        </tr>
      </thead>
      <tbody>
        {METRICS.filter((m) => typeof test[m.key] === 'number').map((m) => (
          <tr>
            <th scope="row">
              {m.label} <span class="muted small">{m.help}</span>
            </th>
            <td>{fmtScore(test[m.key] as number)}</td>
            {cv ? (
              <td>{cv.mean[m.key] !== undefined ? `${fmtScore(cv.mean[m.key])} ± ${fmtScore(cv.sd[m.key])}` : '–'}</td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Which model scores the target, and when it was chosen automatically, both cross-validated figures. */
function HeadModel(props: { t: TargetHead }) {
  const { t } = props;
  const c = t.choice;
  const what =
    t.kind === 'boosted'
      ? `Boosted trees (${t.params.iterations} trees of up to ${t.params.maxLeaves} leaves)`
      : 'Logistic regression';
  return (
    <p class="head-model" data-model={t.kind ?? 'logistic'}>
      Model: <strong>{what}</strong>
      {c
        ? `, chosen automatically: on the same cross-validation folds logistic regression scored ROC AUC ${c.cvRocAuc.logistic.toFixed(4)} and boosted trees ${c.cvRocAuc.boosted.toFixed(4)}; boosted trees ship only when ahead by ${fmtNumber(c.minGain)} or more.`
        : ', as set in the training config.'}
    </p>
  );
}

function TargetSection(props: { t: TargetHead; index: number }) {
  const { t } = props;
  const m = t.metrics.test;
  return (
    <section class="card target-card" aria-labelledby={`target-${props.index}-title`} data-target={t.name}>
      <h3 id={`target-${props.index}-title`}>{targetLabel(t)}</h3>
      <p>
        Predicts whether <code>{t.name}</code> is “{t.positive}” ({fmtPercent(m.positiveRate)} of held-out customers
        are). A customer counts as likely at a probability of {fmtPercent(t.threshold)} or more, the cut-off that worked
        best on validation data.
      </p>
      <HeadModel t={t} />
      <div class="target-grid">
        <MetricsTable t={t} />
        <Confusion t={t} />
        <figure>
          <RocChart
            id={`roc-${props.index}`}
            title={`ROC curve for ${targetLabel(t)}, AUC ${m.rocAuc.toFixed(2)}`}
            roc={m.roc ?? []}
            auc={m.rocAuc}
          />
          <figcaption>
            ROC curve: the further it bows towards the top left, the better the ranking. AUC {fmtScore(m.rocAuc)} (0.5
            is chance, 1 is perfect).
          </figcaption>
        </figure>
      </div>
      <Importance t={t} index={props.index} />
    </section>
  );
}

function ClassTargetSection(props: { h: ClassHeadInfo; index: number }) {
  const { h } = props;
  const m = h.test;
  return (
    <section class="card target-card" aria-labelledby={`class-target-${props.index}-title`} data-target={h.name}>
      <h3 id={`class-target-${props.index}-title`}>{h.label}</h3>
      <p>
        Predicts which of {h.classes.length} values <code>{h.name}</code> takes ({h.classes.join(', ')}).
        {m
          ? ` On ${fmtCount(m.rows)} held-out customers: accuracy ${fmtScore(m.accuracy)}, macro F1 ${fmtScore(m.macroF1)}.`
          : ''}
      </p>
      {m ? (
        <div class="target-grid">
          <div class="table-wrap" role="region" aria-label={`Scores per value of ${h.label}`} tabindex={0}>
            <table class="metrics">
              <caption>Held-out scores per value</caption>
              <thead>
                <tr>
                  <th scope="col">Value</th>
                  <th scope="col">Precision</th>
                  <th scope="col">Recall</th>
                  <th scope="col">F1</th>
                  <th scope="col">Customers</th>
                </tr>
              </thead>
              <tbody>
                {h.classes.map((c) => {
                  const pc = m.perClass[c];
                  return (
                    <tr>
                      <th scope="row">{c}</th>
                      <td>{fmtScore(pc?.precision)}</td>
                      <td>{fmtScore(pc?.recall)}</td>
                      <td>{fmtScore(pc?.f1)}</td>
                      <td>{pc ? fmtCount(pc.support) : '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="table-wrap" role="region" aria-label={`Confusion matrix of ${h.label}`} tabindex={0}>
            <table class="confusion">
              <caption>Confusion matrix (rows: actual, columns: predicted)</caption>
              <thead>
                <tr>
                  <td></td>
                  {h.classes.map((c) => (
                    <th scope="col">{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {h.classes.map((c, i) => (
                  <tr>
                    <th scope="row">{c}</th>
                    {h.classes.map((_, j) => (
                      <td class={shade(m.confusion[i]?.[j] ?? 0, m.rows)}>{fmtCount(m.confusion[i]?.[j] ?? 0)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  );
}

export function ModelPage(props: { cm: CompiledModel }) {
  const model = props.cm.model;
  const seg = model.segmentation;
  const sel = seg.selection;
  const candidates = [...sel.candidates].sort((a, b) => a.k - b.k);
  const [e1, e2] = model.projection.explained;
  return (
    <Layout title="Model" section="model" model={model}>
      <h1>Model</h1>
      <section class="card" aria-labelledby="about-title">
        <h2 id="about-title">About this model</h2>
        <dl class="facts">
          <dt>Version</dt>
          <dd>
            <code>{model.version}</code>
          </dd>
          <dt>Trained</dt>
          <dd>{fmtDate(model.training.trainedAt)}</dd>
          <dt>Data</dt>
          <dd>
            {fmtCount(model.training.rows)} customers from {model.training.sources.join(', ') || 'an unnamed source'}{' '}
            <span class="muted small">(SHA-256 {model.training.dataSha256.slice(0, 12)}…)</span>
          </dd>
          <dt>Inputs</dt>
          <dd>
            {model.inputs.length} ({model.inputs.map((f) => f.name).join(', ')})
          </dd>
          <dt>Segments</dt>
          <dd>
            {seg.centroids.length}, by {seg.method === 'kmeans' ? 'k-means' : 'Ward clustering'}
          </dd>
          <dt>Targets</dt>
          <dd>
            {[...model.targets.map((t) => targetLabel(t)), ...classHeads(model).map((h) => h.label)].join(', ') ||
              'none'}
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="k-title">
        <h2 id="k-title">How many segments</h2>
        <p>{sel.reason}</p>
        <div class="chart-pair">
          <figure>
            <LineChart
              id="silhouette-chart"
              title={`Silhouette by number of segments; ${sel.chosen} chosen`}
              points={candidates.map((c) => [c.k, c.silhouette])}
              xLabel="Segments (k)"
              yLabel="Silhouette"
              highlightX={sel.chosen}
            />
            <figcaption>
              Silhouette: how well each customer fits its own segment rather than the next one (higher is better).
            </figcaption>
          </figure>
          <figure>
            <LineChart
              id="inertia-chart"
              title={`Inertia by number of segments (elbow); ${sel.chosen} chosen`}
              points={candidates.map((c) => [c.k, c.inertia])}
              xLabel="Segments (k)"
              yLabel="Inertia"
              highlightX={sel.chosen}
              zero
            />
            <figcaption>
              Inertia: spread within segments. It always falls as k grows; the bend (“elbow”) is where more segments
              stop paying off.
            </figcaption>
          </figure>
        </div>
        <div class="table-wrap" role="region" aria-label="Every k tried" tabindex={0}>
          <table class="candidates">
            <caption>Every k tried</caption>
            <thead>
              <tr>
                <th scope="col">k</th>
                <th scope="col">Silhouette</th>
                <th scope="col">Inertia</th>
                <th scope="col">
                  Davies–
                  <wbr />
                  Bouldin
                </th>
                <th scope="col">
                  Calinski–
                  <wbr />
                  Harabasz
                </th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c) => (
                <tr class={c.k === sel.chosen ? 'chosen' : undefined}>
                  <th scope="row">
                    {c.k}
                    {c.k === sel.chosen ? ' (chosen)' : ''}
                  </th>
                  <td>{fmtScore(c.silhouette)}</td>
                  <td>{fmtNumber(c.inertia)}</td>
                  <td>{c.daviesBouldin !== undefined ? fmtScore(c.daviesBouldin) : '–'}</td>
                  <td>{c.calinskiHarabasz !== undefined ? fmtNumber(c.calinskiHarabasz) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section class="card" aria-labelledby="pca-title">
        <h2 id="pca-title">The map</h2>
        <p>
          The segment map flattens every input into two axes (principal components). Together they show{' '}
          {fmtPercent(e1 + e2)} of how customers vary.
        </p>
        <ul class="explained">
          <li>
            <span>Axis 1: {fmtPercent(e1)}</span>
            <ShareBar value={e1} />
          </li>
          <li>
            <span>Axis 2: {fmtPercent(e2)}</span>
            <ShareBar value={e2} />
          </li>
        </ul>
      </section>

      <section aria-labelledby="targets-title">
        <h2 id="targets-title">Predictions</h2>
        {model.targets.map((t, i) => (
          <TargetSection t={t} index={i} />
        ))}
        {classHeads(model).map((h, i) => (
          <ClassTargetSection h={h} index={i} />
        ))}
        {model.targets.length + classHeads(model).length ? null : (
          <p>
            This model predicts no targets; train with <code>--target &lt;column&gt;</code> to add one.
          </p>
        )}
      </section>
    </Layout>
  );
}
