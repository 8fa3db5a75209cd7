// Live accuracy from outcome counts (docs/monitoring.md): per target, counts
// of labelled receipts by segment, probability bin (1,000 equal bins) and
// label. ROC-AUC is the Mann–Whitney statistic over the bins: a positive
// beats every negative in a lower bin and ties half of those in its own bin.
// Only pairs in the same bin are approximated, so the error is at most half
// the share of such pairs (with 1,000 bins, well under 0.01 unless the scores
// crowd into a few bins). Calibration is per decile of probability.

/** Probability bins outcomes are counted in (bin = floor(p · OUTCOME_BINS)). */
export const OUTCOME_BINS = 1000;

export interface OutcomeRow {
  target: string;
  segment: number;
  bin: number;
  label: number;
  n: number;
}

export interface OutcomeStats {
  n: number;
  positives: number;
  rocAuc: number | null;
  /** [mean predicted, observed rate, count] per decile of probability that has outcomes. */
  calibration: [number, number, number][];
  /** Outcomes, positives and the observed rate per segment id. */
  bySegment: Record<string, { n: number; positives: number; rate: number }>;
}

export const outcomeBin = (p: number) => Math.min(OUTCOME_BINS - 1, Math.max(0, Math.floor(p * OUTCOME_BINS)));

/** ROC-AUC of per-bin positive and negative counts (ties within a bin count half); null without both labels. */
export function binnedAuc(pos: Float64Array, neg: Float64Array): number | null {
  let P = 0;
  let N = 0;
  let sum = 0;
  for (let b = 0; b < pos.length; b++) {
    sum += pos[b] * (N + 0.5 * neg[b]);
    N += neg[b];
    P += pos[b];
  }
  return P && N ? sum / (P * N) : null;
}

export function outcomeStats(rows: OutcomeRow[]): Record<string, OutcomeStats> {
  const byTarget = new Map<string, OutcomeRow[]>();
  for (const r of rows) {
    const list = byTarget.get(r.target);
    if (list) list.push(r);
    else byTarget.set(r.target, [r]);
  }
  const out: Record<string, OutcomeStats> = {};
  for (const [target, list] of byTarget) {
    const pos = new Float64Array(OUTCOME_BINS);
    const neg = new Float64Array(OUTCOME_BINS);
    const dec = Array.from({ length: 10 }, () => ({ n: 0, pos: 0, p: 0 }));
    const seg: OutcomeStats['bySegment'] = {};
    let n = 0;
    let positives = 0;
    for (const r of list) {
      (r.label ? pos : neg)[r.bin] += r.n;
      n += r.n;
      positives += r.label ? r.n : 0;
      const d = dec[Math.min(9, Math.floor(r.bin / (OUTCOME_BINS / 10)))];
      d.n += r.n;
      d.pos += r.label ? r.n : 0;
      d.p += r.n * ((r.bin + 0.5) / OUTCOME_BINS);
      const s = (seg[String(r.segment)] ??= { n: 0, positives: 0, rate: 0 });
      s.n += r.n;
      s.positives += r.label ? r.n : 0;
    }
    for (const s of Object.values(seg)) s.rate = s.positives / s.n;
    out[target] = {
      n,
      positives,
      rocAuc: binnedAuc(pos, neg),
      calibration: dec.filter((d) => d.n).map((d) => [d.p / d.n, d.pos / d.n, d.n]),
      bySegment: seg,
    };
  }
  return out;
}
