// "Monitor": what the edge scored against what the model was trained on
// (docs/monitoring.md) — traffic per hour, the segment mix, inputs ranked by
// drift with live and training histograms side by side, score distributions,
// and live accuracy once outcomes are reported. A window and a model-version
// selector (a plain GET form, swapped in place by htmx) let a rollout be
// compared with the version before it.
import type { Model } from '../../model/index.ts';
import type { MonitorReport } from '../../worker/monitor/report.ts';
import { ShareBar } from '../charts/bars.tsx';
import { CalibrationChart } from '../charts/curves.tsx';
import { LineChart } from '../charts/line.tsx';
import { fmtCount, fmtPercent } from '../format.ts';
import { targetLabel } from '../views/scoring.ts';
import { Layout } from './layout.tsx';

export const MONITOR_WINDOWS = [
  ['1h', 'This hour'],
  ['24h', 'Last 24 hours'],
  ['7d', 'Last 7 days'],
  ['all', 'Whole life of the version'],
] as const;

const STATUS_WORDS: Record<string, string> = {
  stable: 'stable',
  moderate: 'moderate shift',
  drift: 'drift',
  'too few': 'too few records',
};

function Status(props: { psi: number | null; status: string | null }) {
  if (props.status === null) return <span class="muted">no training figures</span>;
  return (
    <span class={`drift drift-${props.status.replace(' ', '-')}`}>
      {STATUS_WORDS[props.status]}
      {props.psi !== null && <span class="muted"> (PSI {props.psi.toFixed(3)})</span>}
    </span>
  );
}

/** Live and training shares of each bin, side by side. */
function Histogram(props: { caption: string; bins: string[]; live: number[]; training: number[] }) {
  return (
    <table class="histogram">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Bin</th>
          <th scope="col">Live</th>
          <th scope="col">Training</th>
        </tr>
      </thead>
      <tbody>
        {props.bins.map((bin, j) => (
          <tr>
            <th scope="row">{bin}</th>
            <td>
              {fmtPercent(props.live[j] ?? 0)} <ShareBar value={props.live[j] ?? 0} />
            </td>
            <td>
              {fmtPercent(props.training[j] ?? 0)} <ShareBar value={props.training[j] ?? 0} tone="muted" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const scoreBins = Array.from({ length: 20 }, (_, j) => `${(j * 0.05).toFixed(2)} – ${((j + 1) * 0.05).toFixed(2)}`);

export function MonitorReportView(props: { model: Model; report: MonitorReport }) {
  const { model, report: r } = props;
  const hours = r.traffic.map((t, i) => [i + 1, t.records] as [number, number]);
  return (
    <section id="monitor-report" aria-live="polite">
      <p class="summary">
        <strong>{fmtCount(r.records)}</strong> records scored by model <code>{r.model.slice(0, 12)}</code>
        {r.window.from ? ` since ${r.window.from.slice(0, 16).replace('T', ' ')} UTC` : ''}:{' '}
        {Object.entries(r.sources)
          .filter(([, n]) => n > 0)
          .map(([s, n]) => `${fmtCount(n)} ${s}`)
          .join(', ') || 'none yet'}
        .
      </p>
      {hours.length > 1 && (
        <LineChart
          id="traffic"
          title="Records per hour"
          points={hours}
          xLabel="Hour in the window"
          yLabel="Records"
          zero
        />
      )}
      <article class="card" aria-labelledby="mix-title">
        <h2 id="mix-title">Segment mix</h2>
        <p>
          <Status psi={r.segments.psi} status={r.segments.status} />
        </p>
        <Histogram
          caption="Share of records per segment, live against training"
          bins={model.segmentation.segments.map((s) => s.label)}
          live={model.segmentation.segments.map((s) => r.segments.live[String(s.id)] ?? 0)}
          training={model.segmentation.segments.map((s) => r.segments.training[String(s.id)] ?? 0)}
        />
      </article>
      <article class="card" aria-labelledby="inputs-title">
        <h2 id="inputs-title">Inputs, most drifted first</h2>
        {r.inputs.length === 0 ? (
          <p class="muted">This model carries no training distributions of its inputs (trained before monitoring).</p>
        ) : (
          <ol class="drift-list">
            {r.inputs.map((x) => (
              <li data-input={x.name}>
                <details>
                  <summary>
                    <strong>{x.name}</strong> <Status psi={x.psi} status={x.status} />
                  </summary>
                  <Histogram
                    caption={`${x.name}: share of records per bin`}
                    bins={x.bins}
                    live={x.live}
                    training={x.training}
                  />
                </details>
              </li>
            ))}
          </ol>
        )}
      </article>
      {model.targets.map((t) => {
        const s = r.scores[t.name];
        const o = r.outcomes[t.name];
        return (
          <article class="card" aria-labelledby={`scores-${t.name}`}>
            <h2 id={`scores-${t.name}`}>{targetLabel(t)}</h2>
            <p>
              Scores: <Status psi={s?.psi ?? null} status={s?.status ?? null} />
            </p>
            <details>
              <summary>Score distribution</summary>
              <Histogram
                caption="Share of records per probability bin"
                bins={scoreBins}
                live={s?.live ?? []}
                training={s?.training ?? []}
              />
            </details>
            {o ? (
              <>
                <p class="live-auc">
                  Live ROC AUC <strong>{o.rocAuc === null ? '–' : o.rocAuc.toFixed(3)}</strong> from {fmtCount(o.n)}{' '}
                  outcomes ({fmtCount(o.positives)} positive);{' '}
                  {o.trainingRocAuc === null ? '' : `${o.trainingRocAuc.toFixed(3)} on held-out training rows.`}
                </p>
                <CalibrationChart
                  id={`calibration-${t.name}`}
                  title="Live calibration: observed rate against predicted, by decile"
                  bins={o.calibration.map(([p, obs]) => [p, obs] as [number, number])}
                />
              </>
            ) : (
              <p class="muted">No outcomes reported yet (POST /v1/outcomes with receipts).</p>
            )}
          </article>
        );
      })}
    </section>
  );
}

export function MonitorForm(props: { window: string; model: string; versions: string[] }) {
  return (
    <form
      class="card monitor-form"
      method="get"
      action="/monitor"
      hx-get="/monitor"
      hx-target="#monitor-report"
      hx-select="#monitor-report"
      hx-swap="outerHTML"
      hx-push-url="true"
    >
      <div class="field">
        <label for="window">Window</label>
        <select id="window" name="window">
          {MONITOR_WINDOWS.map(([value, label]) => (
            <option value={value} selected={value === props.window}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="model">Model version</label>
        <select id="model" name="model">
          {props.versions.map((v) => (
            <option value={v} selected={v === props.model}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <div class="actions">
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

export function MonitorPage(props: { model: Model; report: MonitorReport | null; window: string; versions: string[] }) {
  return (
    <Layout title="Monitor" section="monitor" model={props.model}>
      <h1>Monitor</h1>
      <p class="lede">
        What this worker scored, against what the model was trained on. PSI under 0.1 is stable, 0.1–0.2 a moderate
        shift, 0.2 or more drift.
      </p>
      <MonitorForm window={props.window} model={props.model.version} versions={props.versions} />
      {props.report ? (
        <MonitorReportView model={props.model} report={props.report} />
      ) : (
        <section id="monitor-report">
          <p class="muted">
            No monitoring figures: this worker has no MONITOR database, or it did not answer (see docs/monitoring.md).
          </p>
        </section>
      )}
    </Layout>
  );
}
