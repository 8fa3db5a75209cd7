// The 2-D PCA map: a sample of training customers coloured by segment, the
// segment centres numbered, and (optionally) the scored customer ringed.
// A point beyond the training cloud is pinned to the edge and says so.
// With `axes` it is a scatter plot with ticked, labelled axes (the report's
// variant, which states how much variance each component shows).
import { Axes, type Box } from './axes.tsx';
import { segClass } from './palette.ts';
import { extent, linear, niceTicks, r2 } from './scale.ts';
import { ChartFrame } from './frame.tsx';

export interface MapCentroid {
  id: number;
  x: number;
  y: number;
}

const W = 400;
const H = 300;
const M = 14;
const PLAIN: Box = { width: W, height: H, left: M, right: M, top: M, bottom: M };
const AXES: Box = { width: W + 34, height: H + 24, left: 48, right: M, top: M, bottom: 38 };

export function SegmentMap(props: {
  id: string;
  title: string;
  sample: [number, number, number][];
  centroids: MapCentroid[];
  point?: [number, number];
  axes?: { x: string; y: string };
}) {
  const b = props.axes ? AXES : PLAIN;
  const [left, right, top, bottom] = [b.left, b.width - b.right, b.top, b.height - b.bottom];
  const xs = [...props.sample.map((p) => p[0]), ...props.centroids.map((c) => c.x)];
  const ys = [...props.sample.map((p) => p[1]), ...props.centroids.map((c) => c.y)];
  const [x0, x1] = extent(xs, 0.04);
  const [y0, y1] = extent(ys, 0.04);
  const sx = linear([x0, x1], [left, right]);
  const sy = linear([y0, y1], [bottom, top]); // up is up
  let you: { cx: number; cy: number; off: boolean } | null = null;
  if (props.point) {
    const [px, py] = props.point;
    const off = px < x0 || px > x1 || py < y0 || py > y1;
    you = { cx: r2(Math.min(right, Math.max(left, sx(px)))), cy: r2(Math.min(bottom, Math.max(top, sy(py)))), off };
  }
  return (
    <ChartFrame
      kind={props.axes ? 'map scatter' : 'map'}
      id={props.id}
      title={props.title}
      width={b.width}
      height={b.height}
    >
      {props.axes ? (
        <>
          <rect class="plot-bg" x={left} y={top} width={right - left} height={bottom - top} />
          <Axes
            box={b}
            sx={sx}
            sy={sy}
            xTicks={niceTicks(x0, x1, 5)}
            yTicks={niceTicks(y0, y1, 5)}
            xLabel={props.axes.x}
            yLabel={props.axes.y}
            xGrid
          />
        </>
      ) : (
        <rect class="plot-bg" x="0" y="0" width={W} height={H} />
      )}
      <g class="points">
        {props.sample.map(([x, y, s]) => (
          <circle class={`pt ${segClass(s)}`} cx={r2(sx(x))} cy={r2(sy(y))} r="2.6" />
        ))}
      </g>
      <g class="centroids">
        {props.centroids.map((c) => (
          <g class="centroid" data-segment={c.id}>
            <circle class={segClass(c.id)} cx={r2(sx(c.x))} cy={r2(sy(c.y))} r="9" />
            <text x={r2(sx(c.x))} y={r2(sy(c.y))} dy="0.35em" text-anchor="middle">
              {c.id + 1}
            </text>
          </g>
        ))}
      </g>
      {you && (
        <g class="you" data-off-map={you.off ? 'true' : 'false'}>
          <circle class="you-halo" cx={you.cx} cy={you.cy} r="13" />
          <circle class="you-dot" cx={you.cx} cy={you.cy} r="5.5" />
          <text
            x={you.cx > W - 120 ? you.cx - 17 : you.cx + 17}
            y={you.cy < 24 ? you.cy + 18 : you.cy - 10}
            text-anchor={you.cx > W - 120 ? 'end' : 'start'}
          >
            {you.off ? 'This customer (off the map)' : 'This customer'}
          </text>
        </g>
      )}
    </ChartFrame>
  );
}
