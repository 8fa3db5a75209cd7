// An experiment's results: its D1 counts per variant and segment, compared
// overall and per segment (stats/uplift.ts).
import { type Experiment, type ExperimentState, experimentState } from './definition.ts';
import { type Comparison, compareVariants, type VariantCounts } from './stats/uplift.ts';

export interface CountCell {
  variant: 0 | 1;
  segment: number;
  visitors: number;
  conversions: number;
  value: number;
}

type WithValue<T> = T & { value: number };

export interface PopulationResult extends Comparison {
  control: WithValue<Comparison['control']>;
  personalised: WithValue<Comparison['personalised']>;
}

export interface ExperimentResults {
  key: string;
  holdout: number;
  state: ExperimentState;
  model: string;
  start: string;
  end: string | null;
  stoppedAt: string | null;
  overall: PopulationResult;
  segments: Record<string, PopulationResult>;
}

interface Totals extends VariantCounts {
  value: number;
}

const zero = (): [Totals, Totals] => [
  { visitors: 0, conversions: 0, value: 0 },
  { visitors: 0, conversions: 0, value: 0 },
];

function compare([control, personalised]: [Totals, Totals]): PopulationResult {
  const r = compareVariants(control, personalised);
  return {
    control: { ...r.control, value: control.value },
    personalised: { ...r.personalised, value: personalised.value },
    uplift: r.uplift,
  };
}

/** Results from the counts; named segments appear even before anyone in them is counted. */
export function experimentResults(e: Experiment, cells: readonly CountCell[], now: number): ExperimentResults {
  const overall = zero();
  const bySegment = new Map<number, [Totals, Totals]>();
  if (e.segments !== 'all') for (const s of e.segments) bySegment.set(s, zero());
  for (const cell of cells) {
    let seg = bySegment.get(cell.segment);
    if (!seg) bySegment.set(cell.segment, (seg = zero()));
    for (const t of [overall[cell.variant], seg[cell.variant]]) {
      t.visitors += cell.visitors;
      t.conversions += cell.conversions;
      t.value += cell.value;
    }
  }
  const segments: Record<string, PopulationResult> = {};
  for (const id of [...bySegment.keys()].sort((a, b) => a - b)) segments[id] = compare(bySegment.get(id)!);
  return {
    key: e.key,
    holdout: e.holdout,
    state: experimentState(e, now),
    model: e.model,
    start: e.start,
    end: e.end,
    stoppedAt: e.stoppedAt,
    overall: compare(overall),
    segments,
  };
}

/** The experiment's count cells from D1. */
export async function readCounts(db: D1Database, key: string): Promise<CountCell[]> {
  const { results } = await db
    .prepare('SELECT variant, segment, visitors, conversions, value FROM experiment_counts WHERE experiment = ?')
    .bind(key)
    .all<CountCell>();
  return results;
}
