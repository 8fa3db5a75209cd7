// Small inline bars drawn in SVG next to text that already states the number,
// so the bars are decorative to assistive technology (aria-hidden). Colours
// come from classes in dashboard.css: no inline styles under the CSP.
import { r2 } from './scale.ts';

const clamp01 = (v: number) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/** A 0–1 value as a horizontal bar, with an optional marker (a decision threshold, the population share). */
export function ShareBar(props: { value: number; marker?: number; tone?: string }) {
  const w = r2(clamp01(props.value) * 100);
  return (
    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="bar-track" x="0" y="0" width="100" height="10" />
      <rect class={`bar-fill ${props.tone ?? ''}`} x="0" y="0" width={w} height="10" />
      {props.marker !== undefined && (
        <line
          class="bar-marker"
          x1={r2(clamp01(props.marker) * 100)}
          x2={r2(clamp01(props.marker) * 100)}
          y1="-1"
          y2="11"
          vector-effect="non-scaling-stroke"
        />
      )}
    </svg>
  );
}

/** A signed value as a bar growing left (negative) or right (positive) of a centre line; |value| ≥ limit fills the half. */
export function DivergingBar(props: { value: number; limit: number }) {
  const v = Number.isFinite(props.value) ? props.value : 0;
  const half = r2(Math.min(1, Math.abs(v) / (props.limit || 1)) * 50);
  const x = v >= 0 ? 50 : 50 - half;
  return (
    <svg class="bar diverging" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect class="bar-track" x="0" y="0" width="100" height="10" />
      <rect class={v >= 0 ? 'bar-fill up' : 'bar-fill down'} x={x} y="0" width={half} height="10" />
      <line class="bar-centre" x1="50" x2="50" y1="-1" y2="11" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
