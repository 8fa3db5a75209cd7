// A line chart with axes and ticks, for metrics by k (the elbow and the
// silhouette) — the chosen k is marked so the choice can be checked by eye.
import { extent, linear, niceTicks, r2 } from './scale.ts';

const W = 320;
const H = 200;
const ML = 48;
const MR = 12;
const MT = 14;
const MB = 38;

const tickLabel = (v: number) => (Math.abs(v) >= 10_000 ? `${Number((v / 1000).toPrecision(3))}k` : String(Number(v.toPrecision(4))));

export function LineChart(props: {
  id: string;
  title: string;
  points: [number, number][];
  xLabel: string;
  yLabel: string;
  highlightX?: number;
  /** Start the y axis at zero (for quantities such as inertia). */
  zero?: boolean;
}) {
  const pts = props.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [xa, xb] = extent(pts.map((p) => p[0]));
  let [ya, yb] = extent(pts.map((p) => p[1]), 0.08);
  if (props.zero) ya = Math.min(0, ya);
  const yTicks = niceTicks(ya, yb, 4);
  ya = Math.min(ya, yTicks[0]);
  yb = Math.max(yb, yTicks[yTicks.length - 1]);
  const sx = linear([xa, xb], [ML, W - MR]);
  const sy = linear([ya, yb], [H - MB, MT]);
  const xTicks = pts.map((p) => p[0]);
  const path = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${r2(sx(x))},${r2(sy(y))}`).join('');
  const hi = pts.find(([x]) => x === props.highlightX);
  const titleId = `${props.id}-title`;
  return (
    <svg class="chart line" id={props.id} viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>{props.title}</title>
      <g class="grid">
        {yTicks.map((t) => <line x1={ML} x2={W - MR} y1={r2(sy(t))} y2={r2(sy(t))} />)}
      </g>
      <g class="axis y">
        {yTicks.map((t) => <text x={ML - 6} y={r2(sy(t))} dy="0.32em" text-anchor="end">{tickLabel(t)}</text>)}
        <text class="axis-label" transform={`translate(12 ${(MT + H - MB) / 2}) rotate(-90)`} text-anchor="middle">{props.yLabel}</text>
      </g>
      <g class="axis x">
        <line x1={ML} x2={W - MR} y1={H - MB} y2={H - MB} />
        {xTicks.map((t) => <text x={r2(sx(t))} y={H - MB + 15} text-anchor="middle">{tickLabel(t)}</text>)}
        <text class="axis-label" x={(ML + W - MR) / 2} y={H - 4} text-anchor="middle">{props.xLabel}</text>
      </g>
      {hi && <line class="highlight-rule" x1={r2(sx(hi[0]))} x2={r2(sx(hi[0]))} y1={MT} y2={H - MB} />}
      <path class="series" d={path} />
      {pts.map(([x, y]) => <circle class={x === props.highlightX ? 'dot chosen' : 'dot'} cx={r2(sx(x))} cy={r2(sy(y))} r={x === props.highlightX ? 5 : 3} />)}
    </svg>
  );
}
