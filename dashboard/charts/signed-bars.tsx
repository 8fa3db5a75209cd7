// Labelled horizontal bars for signed values, growing right (positive) or
// left (negative) of a zero line, each with its value written at its end —
// for model weights. The bars use the `bar-fill up` / `bar-fill down`
// classes of the small diverging bars, so both read the same way. Drawn at
// its natural size (height follows the number of rows).
import { fmtNumber } from '../format.ts';
import { r2 } from './scale.ts';
import { ChartFrame } from './frame.tsx';

const ROW_H = 18;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function SignedBarChart(props: { id: string; title: string; items: { label: string; value: number }[] }) {
  const items = props.items.filter((it) => Number.isFinite(it.value));
  const left = Math.min(260, 12 + 6.2 * Math.max(...items.map((i) => i.label.length), 4));
  const width = Math.ceil(left + 380);
  const height = 8 + ROW_H * items.length + 8;
  const limit = Math.max(...items.map((i) => Math.abs(i.value)), 1e-9);
  // Room for a value label beyond the longest bar on either side.
  const zero = r2(left + 190);
  const scale = 140 / limit;
  return (
    <ChartFrame kind="signed-bars" id={props.id} title={props.title} width={width} height={height} fixedSize>
      {items.map((it, i) => {
        const y = 8 + i * ROW_H;
        const w = Math.abs(it.value) * scale;
        const up = it.value >= 0;
        const x = up ? zero : zero - w;
        return (
          <g class="row">
            <text class="label" x={r2(left - 6)} y={y + ROW_H / 2} dy="0.32em" text-anchor="end">
              {clip(it.label, 40)}
            </text>
            <rect
              class={up ? 'bar-fill up' : 'bar-fill down'}
              x={r2(x)}
              y={y + 2}
              width={r2(Math.max(w, 0.5))}
              height={ROW_H - 5}
            >
              <title>{`${it.label}: ${fmtNumber(it.value)}`}</title>
            </rect>
            <text
              class="value"
              x={r2(up ? x + w + 4 : x - 4)}
              y={y + ROW_H / 2}
              dy="0.32em"
              text-anchor={up ? 'start' : 'end'}
            >
              {fmtNumber(it.value)}
            </text>
          </g>
        );
      })}
      <line class="bar-centre" x1={zero} x2={zero} y1="2" y2={height - 2} />
    </ChartFrame>
  );
}
