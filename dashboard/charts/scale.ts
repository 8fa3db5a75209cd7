// The little scale maths server-side SVG charts need: linear maps, padded
// extents, "nice" tick values (1, 2, 2.5 or 5 × a power of ten) and their
// labels. Shared by the dashboard and the training report.
import { fmtNumber } from '../format.ts';

export type Scale = (v: number) => number;

export function linear([d0, d1]: [number, number], [r0, r1]: [number, number]): Scale {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** Min and max of the values, widened by `pad` of the span on each side. */
export function extent(values: Iterable<number>, pad = 0): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const p = (hi - lo) * pad;
  return [lo - p, hi + p];
}

/** About `count` round values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Coordinates for SVG attributes: two decimals are plenty and keep pages small. */
export const r2 = (v: number) => Math.round(v * 100) / 100;

/** A tick value as an axis label: the one number format, thousands as "k" and millions as "M" so labels clear the axis title. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  return a >= 1e6 ? `${fmtNumber(v / 1e6)}M` : a >= 1000 ? `${fmtNumber(v / 1000)}k` : fmtNumber(v);
}
