// How each segment differs from the whole population, per input: numbers as
// standard deviations from the average (with both means in raw units),
// categories as the level most over-represented in the segment.
import type { Model, Segment } from '../../model/index.ts';
import { fmtNumber, fmtPercent } from '../format.ts';
import { inputLabel } from './fields.ts';
import { targetLabel } from './scoring.ts';

export interface NumberDifference {
  kind: 'number';
  label: string;
  /** (segment mean − population mean) / population sd. */
  z: number;
  segment: string;
  population: string;
}

export interface LevelDifference {
  kind: 'level';
  label: string;
  level: string;
  segmentShare: number;
  populationShare: number;
}

export type Difference = NumberDifference | LevelDifference;

export function segmentDifferences(model: Model, seg: Segment): Difference[] {
  const pop = model.segmentation.population;
  const out: Difference[] = [];
  model.inputs.forEach((input, j) => {
    if (input.type === 'number') {
      // Means and stds are in input order (validated: a number here for a number input).
      const m = seg.profile.means[j];
      const pm = pop.means[j];
      const sd = pop.stds[j] ?? 0;
      if (m == null || pm == null) return;
      out.push({
        kind: 'number',
        label: inputLabel(input),
        z: sd > 0 ? (m - pm) / sd : 0,
        segment: fmtNumber(m),
        population: fmtNumber(pm),
      });
    } else {
      const shares = seg.profile.shares[input.name] ?? {};
      const popShares = pop.shares[input.name] ?? {};
      let best: LevelDifference | null = null;
      for (const level of input.levels) {
        const s = shares[level] ?? 0;
        const p = popShares[level] ?? 0;
        if (!best || s - p > best.segmentShare - best.populationShare)
          best = { kind: 'level', label: inputLabel(input), level, segmentShare: s, populationShare: p };
      }
      if (best) out.push(best);
    }
  });
  return out;
}

/** How far a difference stands out, comparable across kinds (a share lift of 0.5 ≈ 1.5 sd). */
export const strength = (d: Difference) =>
  d.kind === 'number' ? Math.abs(d.z) : Math.abs(d.segmentShare - d.populationShare) * 3;

/** A target's rate over all training customers: the segments' rates weighted by size (the test rate if rates are missing). */
export function overallRate(model: Model, target: string): number {
  let n = 0;
  let pos = 0;
  for (const s of model.segmentation.segments) {
    const r = s.rates?.[target];
    if (r === undefined) return model.targets.find((t) => t.name === target)?.metrics.test.positiveRate ?? NaN;
    n += s.size;
    pos += r * s.size;
  }
  return n > 0 ? pos / n : NaN;
}

/**
 * The segment's configured action, or a starting point derived from its target
 * rates against the population's, marked as such so nobody mistakes it for advice
 * someone wrote.
 */
export function suggestedAction(model: Model, seg: Segment): { text: string; configured: boolean } {
  if (seg.action?.trim()) return { text: seg.action.trim(), configured: true };
  const parts: string[] = [];
  for (const t of model.targets) {
    const rate = seg.rates?.[t.name];
    const overall = overallRate(model, t.name);
    if (rate === undefined || !Number.isFinite(overall)) continue;
    const name = targetLabel(t);
    const ratio = overall > 0 ? rate / overall : 1;
    const figures = `${name}: ${fmtPercent(rate)} here vs ${fmtPercent(overall)} overall`;
    // Worded to hold whether the outcome is wanted (a purchase) or not (churn): either way, campaigns about it belong where it is common.
    const topic = `campaigns about ${name.toLowerCase()}`;
    if (ratio >= 1.25) parts.push(`${figures}, well above average — prioritise this group in ${topic}`);
    else if (ratio <= 0.8) parts.push(`${figures}, well below average — a low priority for ${topic}`);
    else parts.push(`${figures}, close to average — no special treatment suggested`);
  }
  return { text: parts.length ? parts.join('. ') + '.' : 'No target rates to suggest from.', configured: false };
}
