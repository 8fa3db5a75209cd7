// "Score a customer": the form generated from the model's inputs and the
// result beside it. The form posts to `/` either way: htmx swaps the
// #scorer region, a browser without JavaScript gets the whole page back.
import { normaliseLevel, type CompiledModel } from '../../model/index.ts';
import { DivergingBar, ShareBar } from '../charts/bars.tsx';
import { fmtPercent } from '../format.ts';

/** An odds multiplier with two significant digits: ×0.59, ×1.8, ×12. */
const fmtOdds = (v: number) => (v >= 10 ? v.toFixed(0) : String(Number(v.toPrecision(2))));
import { formFields, type FormField } from '../views/fields.ts';
import type { Driver } from '../views/drivers.ts';
import type { FieldNotes, ScoreView, TargetView } from '../views/scoring.ts';
import type { ClassResult } from '../views/classes.ts';
import { Layout } from './layout.tsx';
import { ModelMap, Swatch } from './common.tsx';

export interface ScoreState {
  values?: Record<string, string>;
  notes?: FieldNotes;
  view?: ScoreView;
}

/** A field's element id: its name when that is a safe id, else made safe and made unique by position. */
export function fieldId(name: string, index: number): string {
  const slug = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return slug === name ? `f-${slug}` : `f-${index}-${slug}`;
}

function Field(props: {
  field: FormField;
  index: number;
  value?: string;
  errors?: string[];
  warnings?: string[];
  focus: boolean;
}) {
  const { field, errors, warnings } = props;
  const id = fieldId(field.name, props.index);
  const described = [`${id}-hint`, errors?.length ? `${id}-error` : '', warnings?.length ? `${id}-note` : '']
    .filter(Boolean)
    .join(' ');
  const invalid = errors?.length ? 'true' : undefined;
  return (
    <div class={errors?.length ? 'field has-error' : 'field'}>
      <label for={id}>{field.label}</label>
      {field.kind === 'number' ? (
        <input
          id={id}
          name={field.name}
          type="number"
          inputmode="decimal"
          min={field.min}
          max={field.max}
          step={field.step}
          value={props.value ?? field.typical}
          aria-describedby={described}
          aria-invalid={invalid}
          autofocus={props.focus}
        />
      ) : (
        <select id={id} name={field.name} aria-describedby={described} aria-invalid={invalid} autofocus={props.focus}>
          <option value="" selected={props.value === ''}>
            Not known
          </option>
          {field.options.map((o) => (
            <option
              value={o}
              selected={
                props.value === undefined ? o === field.typical : normaliseLevel(props.value) === normaliseLevel(o)
              }
            >
              {o}
            </option>
          ))}
        </select>
      )}
      <p class="hint" id={`${id}-hint`}>
        {field.hint}
      </p>
      {errors?.length ? (
        <p class="field-error" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {errors.join('; ')}
        </p>
      ) : null}
      {warnings?.length ? (
        <p class="field-note" id={`${id}-note`}>
          <span class="visually-hidden">Note: </span>
          {warnings.join('; ')}
        </p>
      ) : null}
    </div>
  );
}

function ScoreForm(props: { fields: FormField[]; state: ScoreState }) {
  const { values = {}, notes } = props.state;
  const firstError = props.fields.findIndex((f) => notes?.errors[f.name]?.length);
  return (
    <form
      class="score-form"
      method="post"
      action="/"
      hx-post="/"
      hx-target="#scorer"
      hx-swap="outerHTML"
      hx-indicator="#scoring"
      novalidate
    >
      <fieldset>
        <legend>About the customer</legend>
        <p class="muted">Leave a field empty (or “Not known”) and a typical value is used.</p>
        <div class="fields">
          {props.fields.map((f, i) => (
            <Field
              field={f}
              index={i}
              value={values[f.name]}
              errors={notes?.errors[f.name]}
              warnings={notes?.warnings[f.name]}
              focus={i === firstError}
            />
          ))}
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit">Score customer</button>
        <span id="scoring" class="htmx-indicator" role="status">
          Scoring…
        </span>
      </div>
    </form>
  );
}

function DriverRow(props: { d: Driver; limit: number }) {
  const { d } = props;
  const odds = Math.exp(d.logit);
  return (
    <li class="driver">
      <span class="driver-label">
        {d.label}: <strong>{d.value}</strong>{' '}
        <span class="muted">vs {d.typical.startsWith('the ') ? d.typical : `average ${d.typical}`}</span>
      </span>
      <DivergingBar value={d.logit} limit={props.limit} />
      <span class="driver-effect">×{fmtOdds(odds)}</span>
    </li>
  );
}

function TargetResult(props: { t: TargetView }) {
  const { t } = props;
  const likely = t.p >= t.threshold;
  const limit = Math.max(0.5, ...[...t.up, ...t.down].map((d) => Math.abs(d.logit)));
  return (
    <div class="target" data-target={t.name}>
      <div class="prob-head">
        <h3 class="prob-label">{t.label}</h3>
        <strong class="prob-value">{fmtPercent(t.p)}</strong>
      </div>
      <ShareBar value={t.p} marker={t.threshold} tone={likely ? 'likely' : 'unlikely'} />
      <p class="prob-note">
        Probability that {t.name} is “{t.positive}”: <strong>{likely ? 'likely' : 'unlikely'}</strong> —{' '}
        {likely ? 'at or above' : 'below'} the {fmtPercent(t.threshold)} cut-off chosen on validation data (the mark on
        the bar).
      </p>
      <div class="drivers">
        <div>
          <h4>Pushed it up most</h4>
          {t.up.length ? (
            <ul>
              {t.up.map((d) => (
                <DriverRow d={d} limit={limit} />
              ))}
            </ul>
          ) : (
            <p class="muted">Nothing notable.</p>
          )}
        </div>
        <div>
          <h4>Pushed it down most</h4>
          {t.down.length ? (
            <ul>
              {t.down.map((d) => (
                <DriverRow d={d} limit={limit} />
              ))}
            </ul>
          ) : (
            <p class="muted">Nothing notable.</p>
          )}
        </div>
      </div>
      <p class="muted small">
        Compared with an average customer. ×2 means this doubles the odds of “{t.positive}”; ×0.5 halves them.
      </p>
    </div>
  );
}

function ClassTargetResult(props: { r: ClassResult }) {
  const { r } = props;
  return (
    <div class="target" data-target={r.name}>
      <div class="prob-head">
        <h3 class="prob-label">{r.label}</h3>
        <strong class="prob-value">{r.predicted}</strong>
      </div>
      <p class="prob-note">Most likely “{r.predicted}”. Probability of each:</p>
      <ul class="class-probs">
        {r.probabilities.map(([cls, p]) => (
          <li>
            <span>
              {cls}: <strong>{fmtPercent(p)}</strong>
            </span>
            <ShareBar value={p} tone={cls === r.predicted ? 'likely' : 'unlikely'} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Result(props: { cm: CompiledModel; view: ScoreView }) {
  const { view, cm } = props;
  const seg = view.segment;
  return (
    <section id="result" class="result" aria-labelledby="result-title">
      <h2 id="result-title" tabindex={-1} autofocus>
        Result
      </h2>
      <div class="segment-result" data-segment={seg.id}>
        <p class="eyebrow">
          <Swatch id={seg.id} /> Segment {seg.id + 1} of {cm.k}
        </p>
        <p class="segment-name">{seg.label}</p>
        <p class="segment-description">{seg.description}</p>
        {seg.action ? (
          <p class="segment-action">
            <strong>Suggested action:</strong> {seg.action}
          </p>
        ) : null}
      </div>
      {view.targets.map((t) => (
        <TargetResult t={t} />
      ))}
      {view.classes.map((r) => (
        <ClassTargetResult r={r} />
      ))}
      <h3>Where this customer sits</h3>
      <ModelMap cm={cm} id="result-map" point={view.point} highlight={seg.id} />
    </section>
  );
}

function ErrorSummary(props: { fields: FormField[]; notes: FieldNotes }) {
  const items = props.fields.flatMap((f, i) =>
    (props.notes.errors[f.name] ?? []).map((reason) => ({ id: fieldId(f.name, i), label: f.label, reason })),
  );
  return (
    <section id="result" class="result" aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      <div class="error-summary" role="alert">
        <p>
          <strong>Check the highlighted {items.length === 1 ? 'field' : 'fields'}:</strong>
        </p>
        <ul>
          {items.map((e) => (
            <li>
              <a href={`#${e.id}`}>{e.label}</a>: {e.reason}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

function Placeholder(props: { cm: CompiledModel }) {
  return (
    <section id="result" class="result" aria-labelledby="result-title">
      <h2 id="result-title">Result</h2>
      <p class="muted">
        Press “Score customer” to see the segment, the probabilities and what drove them, and where the customer sits
        among the segments:
      </p>
      <ModelMap cm={props.cm} id="result-map" />
    </section>
  );
}

/** The region htmx swaps: the form (with the values and notes) and the result beside it. */
export function Scorer(props: { cm: CompiledModel; state: ScoreState }) {
  const fields = formFields(props.cm.model.inputs);
  const { notes, view } = props.state;
  const hasErrors = notes && Object.keys(notes.errors).length > 0;
  return (
    <div id="scorer" class="scorer">
      <ScoreForm fields={fields} state={props.state} />
      {hasErrors ? (
        <ErrorSummary fields={fields} notes={notes} />
      ) : view ? (
        <Result cm={props.cm} view={view} />
      ) : (
        <Placeholder cm={props.cm} />
      )}
    </div>
  );
}

export function ScorePage(props: { cm: CompiledModel; state: ScoreState }) {
  return (
    <Layout title="Score a customer" section="score" model={props.cm.model}>
      <h1>Score a customer</h1>
      <p class="lede">Describe one customer to see which segment they belong to and how likely each outcome is.</p>
      <Scorer cm={props.cm} state={props.state} />
    </Layout>
  );
}
