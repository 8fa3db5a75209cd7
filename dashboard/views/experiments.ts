// An experiment's results in words, for marketers: what personalising a
// population does to its conversion, in points, with the 95% interval — or
// why there is no verdict yet.
import type { PopulationResult } from '../../worker/experiments/results.ts';
import { MIN_CONVERSIONS, MIN_VISITORS_PER_VARIANT } from '../../worker/experiments/stats/uplift.ts';

/** A difference of rates as signed points of conversion, one decimal: 0.031 → "3.1", −0.004 → "−0.4". */
export function fmtPoints(d: number): string {
  const v = Math.round(d * 1000) / 10;
  return `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(1)}`;
}

const interval = (ci: [number, number]) => `95% interval ${fmtPoints(ci[0])} to ${fmtPoints(ci[1])}`;

/** One sentence on `population` ("segment 2", "all visitors"). */
export function verdictSentence(subject: string, r: PopulationResult): string {
  const u = r.uplift;
  if (u.absolute === null || u.ci === null)
    return `No visitors yet in both variants for ${subject}: nothing to compare.`;
  const size = `${fmtPoints(Math.abs(u.absolute))} points of conversion, ${interval(u.ci)}`;
  switch (u.verdict) {
    case 'personalised-better':
      return `Personalising ${subject} adds ${size}.`;
    case 'control-better':
      return `Personalising ${subject} costs ${size}: the default page converts better.`;
    case 'inconclusive':
      return `No clear difference yet for ${subject}: personalising changes conversion by ${fmtPoints(u.absolute)} points, ${interval(u.ci)}.`;
    default:
      return `Too few visitors for a verdict on ${subject} yet (it needs ${MIN_VISITORS_PER_VARIANT} visitors in each variant and ${MIN_CONVERSIONS} conversions); so far ${fmtPoints(u.absolute)} points, ${interval(u.ci)}.`;
  }
}

export const VERDICT_LABELS: Record<PopulationResult['uplift']['verdict'], string> = {
  'too-few': 'too few visitors',
  inconclusive: 'no clear difference',
  'personalised-better': 'personalised converts better',
  'control-better': 'default page converts better',
};
