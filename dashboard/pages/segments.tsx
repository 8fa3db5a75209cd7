// "Segments": one card per segment — its name, its share of customers, how
// its profile differs from the population, its target rates and an action
// (from the training config, or a marked suggestion derived from the rates).
import type { CompiledModel, Model, Segment } from '../../model/index.ts';
import { DivergingBar, ShareBar } from '../charts/bars.tsx';
import { fmtCount, fmtPercent } from '../format.ts';
import { overallRate, segmentDifferences, strength, suggestedAction, type Difference } from '../views/profiles.ts';
import { targetLabel } from '../views/scoring.ts';
import { Layout } from './layout.tsx';
import { ModelMap, Swatch } from './common.tsx';

const SHOWN_DIFFERENCES = 6;

function DifferenceRow(props: { d: Difference }) {
  const { d } = props;
  if (d.kind === 'number') {
    const sign = d.z >= 0 ? '+' : '−';
    return (
      <li class="difference">
        <span class="difference-label">
          {d.label}: <strong>{d.segment}</strong> <span class="muted">vs {d.population} overall</span>
        </span>
        <DivergingBar value={d.z} limit={2.5} />
        <span class="difference-size">
          {sign}
          {Math.abs(d.z).toFixed(1)} sd
        </span>
      </li>
    );
  }
  return (
    <li class="difference">
      <span class="difference-label">
        {d.label} “{d.level}”: <strong>{fmtPercent(d.segmentShare)}</strong>{' '}
        <span class="muted">vs {fmtPercent(d.populationShare)} overall</span>
      </span>
      <ShareBar value={d.segmentShare} marker={d.populationShare} />
      <span class="difference-size">
        {d.segmentShare >= d.populationShare ? '+' : '−'}
        {Math.round(Math.abs(d.segmentShare - d.populationShare) * 100)} pts
      </span>
    </li>
  );
}

function SegmentCard(props: { model: Model; seg: Segment; k: number }) {
  const { model, seg } = props;
  const diffs = segmentDifferences(model, seg)
    .sort((a, b) => strength(b) - strength(a))
    .slice(0, SHOWN_DIFFERENCES);
  const action = suggestedAction(model, seg);
  const titleId = `segment-${seg.id}-title`;
  return (
    <article class="card segment-card" aria-labelledby={titleId} data-segment={seg.id}>
      <p class="eyebrow">
        <Swatch id={seg.id} /> Segment {seg.id + 1} of {props.k}
      </p>
      <h2 id={titleId}>{seg.label}</h2>
      <p class="share">
        <strong>{fmtPercent(seg.share)}</strong> of customers{' '}
        <span class="muted">({fmtCount(seg.size)} in training)</span>
      </p>
      <ShareBar value={seg.share} />
      <p>{seg.description}</p>
      <h3>How it differs from everyone</h3>
      <ul class="differences">
        {diffs.map((d) => (
          <DifferenceRow d={d} />
        ))}
      </ul>
      {model.targets.length > 0 && seg.rates ? (
        <>
          <h3>Outcomes</h3>
          <ul class="rates">
            {model.targets.map((t) => (
              <li>
                {targetLabel(t)}: <strong>{fmtPercent(seg.rates?.[t.name] ?? NaN)}</strong>{' '}
                <span class="muted">vs {fmtPercent(overallRate(model, t.name))} overall</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class={action.configured ? 'action' : 'action suggested'}>
        <h3>Suggested action</h3>
        <p>{action.text}</p>
        <p class="muted small">
          {action.configured ? 'Written in the training config' : 'Derived from the outcome rates'} — edit it with{' '}
          <code>{`"segments": { "actions": { "${seg.id}": "…" } }`}</code> in the training config, then retrain and
          publish.
        </p>
      </div>
    </article>
  );
}

export function SegmentsPage(props: { cm: CompiledModel }) {
  const model = props.cm.model;
  const segments = model.segmentation.segments;
  return (
    <Layout title="Segments" section="segments" model={model}>
      <h1>Segments</h1>
      <p class="lede">
        The model groups customers into {segments.length} segments of similar customers. Bars compare each segment with
        all customers: right of centre means higher than average, left means lower.
      </p>
      <ModelMap cm={props.cm} id="segments-map" />
      <div class="cards">
        {segments.map((seg) => (
          <SegmentCard model={model} seg={seg} k={segments.length} />
        ))}
      </div>
    </Layout>
  );
}
