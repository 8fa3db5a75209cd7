// "Experiments": each holdout experiment's state, the verdict in words, a
// table per segment (visitors, conversions and rates per variant, uplift with
// its interval, the always-valid p-value) and a chart of the uplift per
// segment with its 95% interval.
import type { Model } from '../../model/index.ts';
import type { ExperimentResults, PopulationResult } from '../../worker/experiments/results.ts';
import { IntervalChart, type IntervalRow } from '../charts/intervals.tsx';
import { fmtCount, fmtDate, fmtPercent } from '../format.ts';
import { fmtPoints, VERDICT_LABELS, verdictSentence } from '../views/experiments.ts';
import { Layout } from './layout.tsx';

/** A segment's name for this experiment: its label when the experiment's model is the active one. */
const segmentName = (id: number, model: Model | null, experimentModel: string) => {
  const seg = model?.version === experimentModel ? model.segmentation.segments[id] : undefined;
  return seg ? `segment ${id + 1} (${seg.label})` : `segment ${id + 1}`;
};

const rate = (r: number | null) => (r === null ? '–' : fmtPercent(r));

function Row(props: { name: string; r: PopulationResult; total?: boolean }) {
  const { r } = props;
  const u = r.uplift;
  return (
    <tr class={props.total ? 'total' : undefined}>
      <th scope="row">{props.name}</th>
      <td>{fmtCount(r.control.visitors)}</td>
      <td>{fmtCount(r.control.conversions)}</td>
      <td>{rate(r.control.rate)}</td>
      <td>{fmtCount(r.personalised.visitors)}</td>
      <td>{fmtCount(r.personalised.conversions)}</td>
      <td>{rate(r.personalised.rate)}</td>
      <td>{u.absolute === null ? '–' : fmtPoints(u.absolute)}</td>
      <td>{u.ci === null ? '–' : `${fmtPoints(u.ci[0])} to ${fmtPoints(u.ci[1])}`}</td>
      <td>{u.pValue === null ? '–' : u.pValue < 0.001 ? '< 0.001' : u.pValue.toFixed(3)}</td>
      <td>{VERDICT_LABELS[u.verdict]}</td>
    </tr>
  );
}

const tone = (r: PopulationResult): IntervalRow['tone'] =>
  r.uplift.verdict === 'personalised-better' ? 'up' : r.uplift.verdict === 'control-better' ? 'down' : 'none';

function Experiment(props: { e: ExperimentResults; model: Model | null }) {
  const { e, model } = props;
  const segments = Object.entries(e.segments).map(([id, r]) => ({
    id: Number(id),
    name: segmentName(Number(id), model, e.model),
    r,
  }));
  const rows: IntervalRow[] = segments
    .filter((s) => s.r.uplift.ci !== null)
    .map((s) => ({
      label: `segment ${s.id + 1}`,
      estimate: s.r.uplift.absolute! * 100,
      lo: s.r.uplift.ci![0] * 100,
      hi: s.r.uplift.ci![1] * 100,
      tone: tone(s.r),
    }));
  const titleId = `experiment-${e.key}-title`;
  return (
    <article class="card experiment" aria-labelledby={titleId} data-experiment={e.key}>
      <p class="eyebrow">
        <span class={`state ${e.state}`}>{e.state}</span> {fmtPercent(e.holdout)} held back · since {fmtDate(e.start)}
        {e.stoppedAt ? ` · stopped ${fmtDate(e.stoppedAt)}` : e.end ? ` · until ${fmtDate(e.end)}` : ''}
      </p>
      <h2 id={titleId}>{e.key}</h2>
      <p class="verdict">{verdictSentence('all its visitors', e.overall)}</p>
      <ul class="segment-verdicts">
        {segments.map((s) => (
          <li data-segment={s.id}>{verdictSentence(s.name, s.r)}</li>
        ))}
      </ul>
      {rows.length > 0 && (
        <figure>
          <IntervalChart
            id={`experiment-${e.key}-chart`}
            title={`Uplift of personalising per segment in experiment ${e.key}, with 95% intervals`}
            rows={rows}
            unit="points"
          />
          <figcaption>
            Each dot is the difference in conversion rate, personalised minus default page, in percentage points; the
            line is its 95% interval. Coloured rows have a verdict: the sequential test is sure at the 5% level.
          </figcaption>
        </figure>
      )}
      <div class="table-scroll">
        <table class="results">
          <caption>Per segment</caption>
          <thead>
            <tr>
              <th scope="col">Segment</th>
              <th scope="col">Default: visitors</th>
              <th scope="col">conversions</th>
              <th scope="col">rate</th>
              <th scope="col">Personalised: visitors</th>
              <th scope="col">conversions</th>
              <th scope="col">rate</th>
              <th scope="col">Uplift (points)</th>
              <th scope="col">95% interval</th>
              <th scope="col">p-value</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((s) => (
              <Row name={s.name} r={s.r} />
            ))}
            <Row name="All" r={e.overall} total />
          </tbody>
        </table>
      </div>
    </article>
  );
}

export function ExperimentsPage(props: {
  experiments: ExperimentResults[];
  model: Model | null;
  unavailable?: boolean;
}) {
  return (
    <Layout title="Experiments" section="experiments" model={props.model}>
      <h1>Experiments</h1>
      <p class="lede">
        Does personalising pay? In each experiment a share of visitors, chosen by their visitor id, sees the default
        page; their conversions are compared with the personalised visitors’, per segment. The p-value stays valid
        however often you look.
      </p>
      {props.unavailable && (
        <p class="error-summary">The experiment counts cannot be read right now; try again later.</p>
      )}
      {props.experiments.length === 0 ? (
        <p>
          No experiments yet. Start one with <code>POST /v1/admin/experiments</code> (see docs/experiments.md).
        </p>
      ) : (
        props.experiments.map((e) => <Experiment e={e} model={props.model} />)
      )}
    </Layout>
  );
}
