// Cross-validation bookkeeping shared by the heads: per-fold metrics into a
// mean and a (population) standard deviation, rounded for the report.
import { roundTo } from '../round.ts';

export interface CvSummary {
  folds: number;
  mean: Record<string, number>;
  sd: Record<string, number>;
}

export function summariseFolds<T extends object>(perFold: T[], keys: readonly (keyof T & string)[]): CvSummary {
  const mean: Record<string, number> = {};
  const sd: Record<string, number> = {};
  for (const key of keys) {
    const vals = perFold.map((m) => m[key] as number);
    const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
    mean[key] = roundTo(mu, 4);
    sd[key] = roundTo(Math.sqrt(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length), 4);
  }
  return { folds: perFold.length, mean, sd };
}

/** Row indices 0..n-1 where `keep` holds. */
export function indicesWhere(n: number, keep: (i: number) => boolean): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep(i)) out.push(i);
  return Uint32Array.from(out);
}
