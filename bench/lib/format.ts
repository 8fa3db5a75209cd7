// How the bench table writes its figures: times, sizes, ratios and rates, and
// what a baseline's cell says when that baseline could not run. Shared by the
// sections (their cells), the targets (limits shown in the target column) and
// the rendering.

export const ms = (v: number) =>
  v >= 10_000
    ? `${(v / 1000).toFixed(1)} s`
    : v >= 1000
      ? `${(v / 1000).toFixed(2)} s`
      : v >= 10
        ? `${v.toFixed(0)} ms`
        : v >= 1
          ? `${v.toFixed(2)} ms`
          : `${(v * 1000).toFixed(0)} µs`;
export const mb = (v: number) => `${v.toFixed(0)} MB`;
/** A time ratio, ours over theirs; far below 1 it reads better as how many times faster. */
export const x = (v: number) => (v < 0.1 ? `1/${(1 / v).toFixed(0)}` : `${v.toFixed(2)}×`);
export const perSec = (v: number, unit: string) =>
  v >= 1e6
    ? `${(v / 1e6).toFixed(2)} M ${unit}/s`
    : v >= 1e3
      ? `${(v / 1e3).toFixed(1)} k ${unit}/s`
      : `${v.toFixed(0)} ${unit}/s`;
export const SKIPPED = 'not installed';
