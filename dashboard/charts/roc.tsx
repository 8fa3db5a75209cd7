// The ROC curve of a target head on held-out rows: true-positive rate against
// false-positive rate, the chance diagonal for reference, the AUC written in.
import { linear, r2 } from './scale.ts';

const S = 240;
const ML = 42;
const MB = 36;
const MT = 10;
const MR = 10;

export function RocChart(props: { id: string; title: string; roc: [number, number][]; auc: number }) {
  const sx = linear([0, 1], [ML, S - MR]);
  const sy = linear([0, 1], [S - MB, MT]);
  const pts = props.roc.length ? props.roc : [[0, 0], [1, 1]] as [number, number][];
  const path = pts.map(([x, y], i) => `${i ? 'L' : 'M'}${r2(sx(x))},${r2(sy(y))}`).join('');
  const area = `${path}L${r2(sx(1))},${r2(sy(0))}L${r2(sx(0))},${r2(sy(0))}Z`;
  const ticks = [0, 0.5, 1];
  const titleId = `${props.id}-title`;
  return (
    <svg class="chart roc" id={props.id} viewBox={`0 0 ${S} ${S}`} role="img" aria-labelledby={titleId}>
      <title id={titleId}>{props.title}</title>
      <rect class="plot-bg" x={ML} y={MT} width={S - ML - MR} height={S - MT - MB} />
      <path class="area" d={area} />
      <line class="chance" x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} />
      <path class="series" d={path} />
      <g class="axis">
        {ticks.map((t) => <text x={r2(sx(t))} y={S - MB + 15} text-anchor="middle">{t}</text>)}
        {ticks.map((t) => <text x={ML - 6} y={r2(sy(t))} dy="0.32em" text-anchor="end">{t}</text>)}
        <text class="axis-label" x={(ML + S - MR) / 2} y={S - 4} text-anchor="middle">False-positive rate</text>
        <text class="axis-label" transform={`translate(12 ${(MT + S - MB) / 2}) rotate(-90)`} text-anchor="middle">True-positive rate</text>
      </g>
      <text class="auc" x={sx(0.95)} y={sy(0.08)} text-anchor="end">AUC {props.auc.toFixed(2)}</text>
    </svg>
  );
}
