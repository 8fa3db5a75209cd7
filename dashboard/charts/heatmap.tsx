// A heat map: a grid of cells coloured by value with the value written in,
// rows and columns labelled (column labels slanted to fit). Segment profiles
// (diverging: above or below the population) and confusion matrices
// (sequential: counts) use it. Colours are palette classes; every cell has a
// tooltip naming its row and column. Drawn at its natural size (width and
// height follow the labels and the number of cells).
import { heatClass } from './palette.ts';
import { r2 } from './scale.ts';
import { ChartFrame } from './frame.tsx';

const CELL_H = 26;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function HeatMap(props: {
  id: string;
  title: string;
  rows: string[];
  cols: string[];
  /** values[row][col], coloured on ±limit (or 0…limit when sequential). */
  values: number[][];
  /** text[row][col], written in the cell. */
  text: string[][];
  limit: number;
  sequential?: boolean;
}) {
  const { rows, cols } = props;
  const cellW = Math.max(46, Math.min(90, 640 / Math.max(1, cols.length)));
  const left = Math.min(240, 12 + 6.5 * Math.max(...rows.map((l) => l.length), 4));
  // Column labels are slanted 40°: leave room for the longest above the cells, and for the last one to the right.
  const top =
    12 + Math.round(Math.min(22, Math.max(...cols.map((c) => c.length), 4)) * 5.6 * Math.sin((40 * Math.PI) / 180));
  const width = Math.ceil(left + cellW * cols.length + 90);
  const height = top + CELL_H * rows.length + 10;
  return (
    <ChartFrame kind="heatmap" id={props.id} title={props.title} width={width} height={height} fixedSize>
      <g class="axis x">
        {cols.map((c, j) => (
          <text transform={`translate(${r2(left + j * cellW + cellW / 2)} ${top - 6}) rotate(-40)`}>{clip(c, 22)}</text>
        ))}
      </g>
      <g class="axis y">
        {rows.map((r, i) => (
          <text x={left - 6} y={top + i * CELL_H + CELL_H / 2} dy="0.32em" text-anchor="end">
            {clip(r, 36)}
          </text>
        ))}
      </g>
      <g class="cells">
        {rows.map((r, i) =>
          cols.map((c, j) => {
            const { fill, dark } = heatClass(props.values[i]?.[j] ?? NaN, props.limit, props.sequential);
            const x = left + j * cellW;
            const y = top + i * CELL_H;
            return (
              <g class="cell">
                <rect class={fill} x={r2(x)} y={y} width={r2(cellW)} height={CELL_H}>
                  <title>{`${r} · ${c}: ${props.text[i]?.[j] ?? ''}`}</title>
                </rect>
                <text
                  class={dark ? 'on-dark' : undefined}
                  x={r2(x + cellW / 2)}
                  y={y + CELL_H / 2}
                  dy="0.32em"
                  text-anchor="middle"
                >
                  {props.text[i]?.[j] ?? ''}
                </text>
              </g>
            );
          }),
        )}
      </g>
    </ChartFrame>
  );
}
