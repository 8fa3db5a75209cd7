// Estimates with their intervals, one row each around a zero line (a forest
// plot) — for the uplift of personalising per segment, in points. Drawn at its
// natural size (height follows the number of rows).
import { ChartFrame } from './frame.tsx';
import { linear, niceTicks, r2 } from './scale.ts';

const ROW_H = 26;
const TOP = 8;
const AXIS_H = 34;

export interface IntervalRow {
  label: string;
  estimate: number;
  lo: number;
  hi: number;
  /** Colours the row: the interval excludes zero on that side and the verdict agrees. */
  tone: 'up' | 'down' | 'none';
}

export function IntervalChart(props: { id: string; title: string; rows: IntervalRow[]; unit: string }) {
  const rows = props.rows.filter((r) => [r.estimate, r.lo, r.hi].every(Number.isFinite));
  const left = Math.min(240, 12 + 6.2 * Math.max(...rows.map((r) => r.label.length), 6));
  const width = Math.ceil(left + 400);
  const height = TOP + ROW_H * Math.max(rows.length, 1) + AXIS_H;
  const reach = Math.max(...rows.flatMap((r) => [Math.abs(r.lo), Math.abs(r.hi)]), 1e-9);
  const ticks = niceTicks(-reach, reach, 6);
  const limit = Math.max(reach, ...ticks.map(Math.abs));
  const sx = linear([-limit, limit], [left, width - 16]);
  const axisY = TOP + ROW_H * Math.max(rows.length, 1);
  return (
    <ChartFrame kind="intervals" id={props.id} title={props.title} width={width} height={height} fixedSize>
      <g class="grid">
        {ticks.map((t) => (
          <line x1={r2(sx(t))} x2={r2(sx(t))} y1={TOP} y2={axisY} />
        ))}
      </g>
      <line class="bar-centre" x1={r2(sx(0))} x2={r2(sx(0))} y1={TOP - 4} y2={axisY} />
      {rows.map((r, i) => {
        const y = TOP + i * ROW_H + ROW_H / 2;
        return (
          <g class={`row interval ${r.tone}`}>
            <text class="label" x={r2(left - 8)} y={y} dy="0.32em" text-anchor="end">
              {r.label}
            </text>
            <line class="whisker" x1={r2(sx(r.lo))} x2={r2(sx(r.hi))} y1={y} y2={y} />
            <line class="whisker" x1={r2(sx(r.lo))} x2={r2(sx(r.lo))} y1={y - 5} y2={y + 5} />
            <line class="whisker" x1={r2(sx(r.hi))} x2={r2(sx(r.hi))} y1={y - 5} y2={y + 5} />
            <circle class="estimate" cx={r2(sx(r.estimate))} cy={y} r="4.5">
              <title>{`${r.label}: ${r.estimate.toFixed(1)} ${props.unit} (95% interval ${r.lo.toFixed(1)} to ${r.hi.toFixed(1)})`}</title>
            </circle>
          </g>
        );
      })}
      <g class="axis x">
        <line x1={left} x2={width - 16} y1={axisY} y2={axisY} />
        {ticks.map((t) => (
          <text x={r2(sx(t))} y={axisY + 14} text-anchor="middle">
            {t > 0 ? `+${t}` : String(t)}
          </text>
        ))}
        <text class="axis-label" x={r2((left + width - 16) / 2)} y={height - 4} text-anchor="middle">
          {`uplift of personalising (${props.unit}), with 95% interval`}
        </text>
      </g>
    </ChartFrame>
  );
}
