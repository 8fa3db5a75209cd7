// "Batch": upload a CSV, download it scored with the columns `npm run score`
// writes, or check it first for rows that cannot be scored (by line number).
// The download is a plain form post (a file save, not a swap); the check is
// swapped in by htmx, or a full page without JavaScript.
import type { CompiledModel } from '../../model/index.ts';
import { ShareBar } from '../charts/bars.tsx';
import { fmtCount, fmtPercent } from '../format.ts';
import { inputLabel } from '../views/fields.ts';
import { targetLabel } from '../views/scoring.ts';
import { Layout } from './layout.tsx';
import { Swatch } from './common.tsx';
import type { BatchReport } from '../views/batch-report.ts';

export type { BatchReport };

export const BATCH_FORM_ID = 'batch-form';

function BatchForm(props: { cm: CompiledModel }) {
  const cols = props.cm.model.inputs;
  const heads = props.cm.model.targets;
  return (
    <form id={BATCH_FORM_ID} class="card batch-form" method="post" action="/batch" enctype="multipart/form-data">
      <div class="field">
        <label for="batch-file">Customer file (CSV)</label>
        <input
          id="batch-file"
          name="file"
          type="file"
          accept=".csv,text/csv"
          required
          aria-describedby="batch-file-hint"
        />
        <p class="hint" id="batch-file-hint">
          One customer per row with a header row. Columns the model uses: {cols.map((f) => f.name).join(', ')}. Other
          columns (an id, notes) are kept as they are; empty cells get a typical value.
        </p>
      </div>
      <p>
        The scored file has your columns plus <code>segment</code>, <code>segment_label</code>
        {heads.map((h) => (
          <>
            , <code>p_{h.name}</code>
          </>
        ))}{' '}
        and <code>error</code> — the same as <code>npm run score</code>. A row that cannot be scored keeps its cells and
        says why in <code>error</code>; “Check the file” lists them by line. A file that is not a table (not text, none
        of the model’s columns, or rows that mostly do not match the header) is refused with the reason.
      </p>
      <div class="actions">
        <button type="submit">Download scored CSV</button>
        <button
          type="submit"
          class="secondary"
          formaction="/batch/check"
          hx-post="/batch/check"
          hx-encoding="multipart/form-data"
          hx-target="#batch-report"
          hx-swap="outerHTML"
          hx-indicator="#checking"
        >
          Check the file
        </button>
        <span id="checking" class="htmx-indicator" role="status">
          Checking…
        </span>
      </div>
    </form>
  );
}

export function Report(props: { cm: CompiledModel; report?: BatchReport }) {
  const r = props.report;
  if (!r) return <section id="batch-report" class="batch-report" aria-live="polite"></section>;
  const segments = props.cm.model.segmentation.segments;
  const labelOf = new Map(props.cm.model.inputs.map((f) => [f.name, inputLabel(f)]));
  return (
    <section id="batch-report" class="card batch-report" aria-labelledby="report-title">
      <h2 id="report-title" tabindex={-1} autofocus>
        Check of {r.filename}
      </h2>
      {r.refused ? (
        <p class="field-error" role="alert">
          Refused: {r.failure}
        </p>
      ) : r.failure ? (
        <p class="field-error" role="alert">
          The file could not be read to the end: {r.failure}
        </p>
      ) : null}
      {r.refused ? null : (
        <p class="summary">
          <strong>{fmtCount(r.scored)}</strong> of {fmtCount(r.rows)} rows can be scored
          {r.problemRows ? (
            <>
              ; <strong>{fmtCount(r.problemRows)}</strong> {r.problemRows === 1 ? 'row has' : 'rows have'} problems
              (listed below)
            </>
          ) : (
            '; no problems found'
          )}
          .
        </p>
      )}
      {r.errors.length ? (
        <table class="problems">
          <caption>Problems by line</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {r.errors.map((e) => (
              <tr>
                <td>{e.line}</td>
                <td>{labelOf.get(e.field) ?? e.field}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {r.moreErrors ? <p class="muted">… and {fmtCount(r.moreErrors)} more problems.</p> : null}
      {r.scored ? (
        <div class="batch-mix">
          <h3>Segments in this file</h3>
          <ul class="mix">
            {segments.map((s) => (
              <li>
                <span>
                  <Swatch id={s.id} /> {s.label}: <strong>{fmtPercent((r.segmentCounts[s.id] ?? 0) / r.scored)}</strong>{' '}
                  <span class="muted">
                    ({fmtCount(r.segmentCounts[s.id] ?? 0)}; {fmtPercent(s.share)} in training)
                  </span>
                </span>
                <ShareBar value={(r.segmentCounts[s.id] ?? 0) / r.scored} marker={s.share} />
              </li>
            ))}
          </ul>
          {props.cm.model.targets.length ? (
            <p>
              Average probability:{' '}
              {props.cm.model.targets.map((t, i) => (
                <>
                  {i ? ', ' : ''}
                  {targetLabel(t)} <strong>{fmtPercent(r.meanScores[t.name] ?? NaN)}</strong>
                </>
              ))}
              .
            </p>
          ) : null}
        </div>
      ) : null}
      {r.refused ? null : (
        <p>
          <button type="submit" form={BATCH_FORM_ID}>
            Download scored CSV
          </button>
        </p>
      )}
    </section>
  );
}

export function BatchPage(props: { cm: CompiledModel; report?: BatchReport }) {
  return (
    <Layout title="Batch scoring" section="batch" model={props.cm.model}>
      <h1>Score a file of customers</h1>
      <p class="lede">
        Upload a CSV and get it back with each customer’s segment and probabilities. Large files are scored as they
        stream.
      </p>
      <BatchForm cm={props.cm} />
      <Report cm={props.cm} report={props.report} />
    </Layout>
  );
}
