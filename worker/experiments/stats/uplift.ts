// What a holdout says about one population (an experiment overall, or one
// segment of it): rates per variant, absolute and relative uplift of
// personalised over control with 95% intervals, the always-valid p-value and a
// verdict — none before a minimum sample.
import { msprtPValue } from './msprt.ts';
import { newcombeDifference } from './newcombe.ts';
import { ratioInterval } from './ratio.ts';

export interface VariantCounts {
  visitors: number;
  conversions: number;
}

export interface VariantFigures extends VariantCounts {
  /** conversions / visitors; null without visitors. */
  rate: number | null;
}

export type Verdict = 'too-few' | 'inconclusive' | 'personalised-better' | 'control-better';

export interface Uplift {
  /** Personalised rate minus control rate (rate units: 0.031 is 3.1 points). */
  absolute: number | null;
  /** Personalised rate over control rate, minus one; null without control conversions. */
  relative: number | null;
  /** 95% interval of `absolute` (Newcombe's hybrid score). */
  ci: [number, number] | null;
  /** 95% interval of `relative` (MOVER on the log scale); the upper limit is null when unbounded. */
  relativeCi: [number, number | null] | null;
  /** Always-valid p-value (mSPRT); null below the minimum sample. */
  pValue: number | null;
  verdict: Verdict;
}

export interface Comparison {
  control: VariantFigures;
  personalised: VariantFigures;
  uplift: Uplift;
}

/**
 * No verdict before each variant has this many visitors and both together
 * this many conversions: below them the normal approximation under the mSPRT
 * is poor and one conversion moves a rate by whole points.
 */
export const MIN_VISITORS_PER_VARIANT = 100;
export const MIN_CONVERSIONS = 20;
/** Significance level of the verdict. */
export const ALPHA = 0.05;

function figures(c: VariantCounts): VariantFigures {
  return { visitors: c.visitors, conversions: c.conversions, rate: c.visitors > 0 ? c.conversions / c.visitors : null };
}

export function enoughForVerdict(control: VariantCounts, personalised: VariantCounts): boolean {
  return (
    control.visitors >= MIN_VISITORS_PER_VARIANT &&
    personalised.visitors >= MIN_VISITORS_PER_VARIANT &&
    control.conversions + personalised.conversions >= MIN_CONVERSIONS
  );
}

function verdictOf(pValue: number | null, absolute: number | null): Verdict {
  if (pValue === null || absolute === null) return 'too-few';
  return pValue > ALPHA ? 'inconclusive' : absolute > 0 ? 'personalised-better' : 'control-better';
}

/**
 * The uplift with the p-value `p` taken so far (the running minimum over the
 * looks, experiments/p-values.ts) when it is lower than today's, and the
 * verdict that goes with it.
 */
export function withRunningPValue(uplift: Uplift, p: number): Uplift {
  if (uplift.pValue === null || p >= uplift.pValue) return uplift;
  return { ...uplift, pValue: p, verdict: verdictOf(p, uplift.absolute) };
}

/** Compares personalised with control; intervals as soon as both have visitors, a verdict only past the minimum. */
export function compareVariants(control: VariantCounts, personalised: VariantCounts): Comparison {
  const c = figures(control);
  const p = figures(personalised);
  if (c.rate === null || p.rate === null) {
    const uplift: Uplift = {
      absolute: null,
      relative: null,
      ci: null,
      relativeCi: null,
      pValue: null,
      verdict: 'too-few',
    };
    return { control: c, personalised: p, uplift };
  }
  const diff = newcombeDifference(p.conversions, p.visitors, c.conversions, c.visitors);
  const ratio = ratioInterval(p.conversions, p.visitors, c.conversions, c.visitors);
  const enough = enoughForVerdict(control, personalised);
  const pValue = enough ? msprtPValue(p.conversions, p.visitors, c.conversions, c.visitors) : null;
  const absolute = p.rate - c.rate;
  const verdict = verdictOf(pValue, absolute);
  return {
    control: c,
    personalised: p,
    uplift: {
      absolute,
      relative: c.conversions > 0 ? p.rate / c.rate - 1 : null,
      ci: [diff.lo, diff.hi],
      relativeCi: ratio && [ratio.lo - 1, Number.isFinite(ratio.hi) ? ratio.hi - 1 : null],
      pValue,
      verdict,
    },
  };
}
