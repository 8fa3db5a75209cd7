// The Population Stability Index and its verdicts, with Evidently's
// conventions (evidently/legacy/calculations/stattests/psi.py and utils.py's
// get_binned_data): shares of each bin in the training (reference) and live
// (current) data, an empty bin counted as a small epsilon, and
// PSI = Σ (training − live) · ln(training / live).

/** Evidently's share for an empty bin: 0.0001, or the smallest non-empty share / 10^6 when that is ≤ 0.0001. */
export const PSI_EPSILON = 0.0001;
/** Below this, `stable` (the usual PSI rule of thumb; Evidently's default drift threshold is 0.1). */
export const PSI_MODERATE = 0.1;
/** At or above this, `drift`. */
export const PSI_DRIFT = 0.2;
/** Fewer live records than this give no verdict (`too few`); MONITOR_MIN_RECORDS overrides it. */
export const DEFAULT_MIN_RECORDS = 500;

export type DriftStatus = 'stable' | 'moderate' | 'drift' | 'too few';

/** PSI of live shares against training shares (same bins). */
export function psi(live: readonly number[], training: readonly number[]): number {
  const et = emptyShare(training);
  const el = emptyShare(live);
  let sum = 0;
  for (let i = 0; i < training.length; i++) {
    const t = training[i] || et;
    const l = live[i] || el;
    sum += (t - l) * Math.log(t / l);
  }
  return sum;
}

/** What an empty bin of these shares counts as (Evidently's get_binned_data). */
export function emptyShare(shares: readonly number[]): number {
  let min = Infinity;
  for (const s of shares) if (s > 0 && s < min) min = s;
  return min <= PSI_EPSILON ? min / 1e6 : PSI_EPSILON;
}

export function driftStatus(value: number, records: number, minRecords: number): DriftStatus {
  if (records < minRecords) return 'too few';
  return value < PSI_MODERATE ? 'stable' : value < PSI_DRIFT ? 'moderate' : 'drift';
}

/** Counts as shares of their total (all zeros when there are none). */
export function shares(counts: readonly number[]): number[] {
  let total = 0;
  for (const c of counts) total += c;
  return counts.map((c) => (total ? c / total : 0));
}
