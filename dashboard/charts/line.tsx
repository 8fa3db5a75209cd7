// A line chart with axes and ticks, for metrics by k (the elbow and the
// silhouette) — the chosen k is marked so the choice can be checked by eye,
// and may be labelled (the report writes "chosen k=5" or "knee k=4" there).
import { Axes, type Box } from './axes.tsx';
import { extent, linear, niceTicks, r2 } from './scale.ts';
import { ChartFrame } from './frame.tsx';

const BOX: Box = { width: 320, height: 200, left: 48, right: 12, top: 14, bottom: 38 };
const { width: W, height: H, left: ML, right: MR, top: MT, bottom: MB } = BOX;

export function LineChart(props: {
  id: string;
  title: string;
  points: [number, number][];
  xLabel: string;
  yLabel: string;
  highlightX?: number;
  /** Words written beside the highlighted point. */
  highlightLabel?: string;
  /** Start the y axis at zero (for quantities such as inertia). */
  zero?: boolean;
}) {
  const pts = props.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const [xa, xb] = extent(pts.map((p) => p[0]));
  let [ya, yb] = extent(
    pts.map((p) => p[1]),
    0.08,
  );
  if (props.zero) ya = Math.min(0, ya);
  const yTicks = niceTicks(ya, yb, 4);
  ya = Math.min(ya, yTicks[0]);
  yb = Math.max(yb, yTicks[yTicks.length - 1]);
  const sx = linear([xa, xb], [ML, W - MR]);
  const sy = linear([ya, yb], [H - MB, MT]);
  const xTicks = pts.map((p) => p[0]);
  const path = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${r2(sx(x))},${r2(sy(y))}`).join('');
  const hi = pts.find(([x]) => x === props.highlightX);
  // The label goes right of the point, or left of it near the right edge; below it near the top.
  const labelLeft = hi && sx(hi[0]) > W - 90;
  return (
    <ChartFrame kind="line" id={props.id} title={props.title} width={W} height={H}>
      <Axes box={BOX} sx={sx} sy={sy} xTicks={xTicks} yTicks={yTicks} xLabel={props.xLabel} yLabel={props.yLabel} />
      {hi && <line class="highlight-rule" x1={r2(sx(hi[0]))} x2={r2(sx(hi[0]))} y1={MT} y2={H - MB} />}
      <path class="series" d={path} />
      {pts.map(([x, y]) => (
        <circle
          class={x === props.highlightX ? 'dot chosen' : 'dot'}
          cx={r2(sx(x))}
          cy={r2(sy(y))}
          r={x === props.highlightX ? 5 : 3}
        />
      ))}
      {hi && props.highlightLabel !== undefined && (
        <text
          class="highlight-label"
          x={r2(sx(hi[0]) + (labelLeft ? -8 : 8))}
          y={r2(sy(hi[1]) + (sy(hi[1]) < MT + 16 ? 16 : -8))}
          text-anchor={labelLeft ? 'end' : 'start'}
        >
          {props.highlightLabel}
        </text>
      )}
    </ChartFrame>
  );
}
