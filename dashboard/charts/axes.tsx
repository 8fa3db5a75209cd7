// Grid lines, tick labels and axis titles around a plot area, for the charts
// with numeric axes (the line chart, the segment map with axes). Text is
// escaped by hono/jsx; colours come from classes (`grid`, `axis`).
import { r2, tickLabel, type Scale } from './scale.ts';

/** Where the plot area sits in the chart's viewBox. */
export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function Axes(props: {
  box: Box;
  sx: Scale;
  sy: Scale;
  xTicks: number[];
  yTicks: number[];
  xLabel: string;
  yLabel: string;
  xGrid?: boolean;
}) {
  const { box: b, sx, sy } = props;
  const x0 = b.left;
  const x1 = b.width - b.right;
  const yBase = b.height - b.bottom;
  return (
    <>
      <g class="grid">
        {props.yTicks.map((t) => (
          <line x1={x0} x2={x1} y1={r2(sy(t))} y2={r2(sy(t))} />
        ))}
        {props.xGrid && props.xTicks.map((t) => <line x1={r2(sx(t))} x2={r2(sx(t))} y1={b.top} y2={yBase} />)}
      </g>
      <g class="axis y">
        {props.yTicks.map((t) => (
          <text x={x0 - 6} y={r2(sy(t))} dy="0.32em" text-anchor="end">
            {tickLabel(t)}
          </text>
        ))}
        <text class="axis-label" transform={`translate(12 ${(b.top + yBase) / 2}) rotate(-90)`} text-anchor="middle">
          {props.yLabel}
        </text>
      </g>
      <g class="axis x">
        <line x1={x0} x2={x1} y1={yBase} y2={yBase} />
        {props.xTicks.map((t) => (
          <text x={r2(sx(t))} y={yBase + 15} text-anchor="middle">
            {tickLabel(t)}
          </text>
        ))}
        <text class="axis-label" x={(x0 + x1) / 2} y={b.height - 4} text-anchor="middle">
          {props.xLabel}
        </text>
      </g>
    </>
  );
}
