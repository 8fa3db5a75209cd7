// Curves of a target head on held-out rows, each on the unit square with a
// dashed reference for comparison and its summary number written in:
// ROC (true- against false-positive rate, the chance diagonal, the AUC),
// precision–recall (the base rate, the average precision) and calibration
// (observed rate against mean predicted probability per bin, the diagonal of
// perfect calibration, the Brier score).
import type { Child } from 'hono/jsx';
import { fmtScore } from '../format.ts';
import { linear, r2 } from './scale.ts';
import { ChartFrame } from './frame.tsx';

const S = 240;
const ML = 42;
const MB = 36;
const MT = 10;
const MR = 10;
const sx = linear([0, 1], [ML, S - MR]);
const sy = linear([0, 1], [S - MB, MT]);
const TICKS = [0, 0.5, 1];

type Points = [number, number][];
const pathOf = (pts: Points) =>
  pts
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    .map(([x, y], i) => `${i ? 'L' : 'M'}${r2(sx(x))},${r2(sy(y))}`)
    .join('');

/** The square, its 0–½–1 ticks and axis titles around whatever the chart draws; `note` is written on top. */
function UnitSquare(props: {
  kind: string;
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  children: Child;
  note?: Child;
}) {
  return (
    <ChartFrame kind={props.kind} id={props.id} title={props.title} width={S} height={S}>
      <rect class="plot-bg" x={ML} y={MT} width={S - ML - MR} height={S - MT - MB} />
      {props.children}
      <g class="axis">
        {TICKS.map((t) => (
          <text x={r2(sx(t))} y={S - MB + 15} text-anchor="middle">
            {t}
          </text>
        ))}
        {TICKS.map((t) => (
          <text x={ML - 6} y={r2(sy(t))} dy="0.32em" text-anchor="end">
            {t}
          </text>
        ))}
        <text class="axis-label" x={(ML + S - MR) / 2} y={S - 4} text-anchor="middle">
          {props.xLabel}
        </text>
        <text class="axis-label" transform={`translate(12 ${(MT + S - MB) / 2}) rotate(-90)`} text-anchor="middle">
          {props.yLabel}
        </text>
      </g>
      {props.note}
    </ChartFrame>
  );
}

export function RocChart(props: { id: string; title: string; roc: Points; auc: number }) {
  const pts = props.roc.length
    ? props.roc
    : ([
        [0, 0],
        [1, 1],
      ] as Points);
  const path = pathOf(pts);
  const area = `${path}L${r2(sx(1))},${r2(sy(0))}L${r2(sx(0))},${r2(sy(0))}Z`;
  return (
    <UnitSquare
      kind="roc"
      id={props.id}
      title={props.title}
      xLabel="False-positive rate"
      yLabel="True-positive rate"
      note={
        <text class="auc" x={sx(0.95)} y={sy(0.08)} text-anchor="end">
          AUC {props.auc.toFixed(2)}
        </text>
      }
    >
      <path class="area" d={area} />
      <line class="chance" x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} />
      <path class="series" d={path} />
    </UnitSquare>
  );
}

/** Precision against recall; the dashed line is the positive rate, what a random ranking scores. */
export function PrecisionRecallChart(props: {
  id: string;
  title: string;
  pr: Points;
  baseRate: number;
  averagePrecision?: number;
}) {
  const base = r2(sy(Math.min(1, Math.max(0, props.baseRate))));
  return (
    <UnitSquare
      kind="curve pr"
      id={props.id}
      title={props.title}
      xLabel="Recall"
      yLabel="Precision"
      note={
        props.averagePrecision !== undefined && (
          <text class="note" x={sx(0.05)} y={sy(0.08)} text-anchor="start">
            AP {fmtScore(props.averagePrecision)}
          </text>
        )
      }
    >
      <line class="reference" x1={sx(0)} y1={base} x2={sx(1)} y2={base} />
      <path class="series" d={pathOf(props.pr)} />
    </UnitSquare>
  );
}

/** Observed positive rate against mean predicted probability, one dot per bin; on the diagonal is perfect. */
export function CalibrationChart(props: { id: string; title: string; bins: Points; brier?: number }) {
  const pts = props.bins.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  return (
    <UnitSquare
      kind="curve calibration"
      id={props.id}
      title={props.title}
      xLabel="Mean predicted probability"
      yLabel="Observed rate"
      note={
        props.brier !== undefined && (
          <text class="note" x={sx(0.95)} y={sy(0.08)} text-anchor="end">
            Brier {props.brier.toFixed(3)}
          </text>
        )
      }
    >
      <line class="reference" x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} />
      <path class="series" d={pathOf(pts)} />
      {pts.map(([x, y]) => (
        <circle class="dot" cx={r2(sx(x))} cy={r2(sy(y))} r="3" />
      ))}
    </UnitSquare>
  );
}
