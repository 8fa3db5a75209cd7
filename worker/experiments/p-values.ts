// The p-value an experiment's results report is the running minimum of the
// mSPRT's always-valid p-value over every look taken at them, p_n =
// min(p_{n−1}, 1/Λ_n) (Johari, Pekelis & Walsh, "Always valid inference",
// Operations Research 70, 2022, section 3), as Optimizely's Stats Engine
// reports it: still valid, since the chance that 1/Λ *ever* falls to α is at
// most α, and it never rises, so a verdict once reached does not flip back
// the next day. Each look (an API or dashboard read) stores each population's
// p-value with a MIN upsert: concurrent looks keep the lowest.
import type { ExperimentResults, PopulationResult } from './results.ts';
import { withRunningPValue } from './stats/uplift.ts';

/** The row of the whole experiment; segments are stored under their ids. */
export const OVERALL = -1;

const UPSERT = `INSERT INTO experiment_p_values (experiment, segment, p) VALUES (?, ?, ?)
  ON CONFLICT (experiment, segment) DO UPDATE SET p = MIN(p, excluded.p) RETURNING p`;

/** Records this look's p-values and answers the results with each population's running minimum. */
export async function withRunningPValues(db: D1Database, results: ExperimentResults): Promise<ExperimentResults> {
  const populations: [number, PopulationResult][] = [
    [OVERALL, results.overall],
    ...Object.entries(results.segments).map(([id, r]) => [Number(id), r] as [number, PopulationResult]),
  ];
  const looked = populations.filter(([, r]) => r.uplift.pValue !== null);
  if (!looked.length) return results;
  const stmt = db.prepare(UPSERT);
  const rows = await db.batch<{ p: number }>(looked.map(([id, r]) => stmt.bind(results.key, id, r.uplift.pValue)));
  const running = new Map(looked.map(([id], i) => [id, rows[i].results[0].p]));
  const lowered = (id: number, r: PopulationResult): PopulationResult => {
    const p = running.get(id);
    return p === undefined ? r : { ...r, uplift: withRunningPValue(r.uplift, p) };
  };
  const segments: Record<string, PopulationResult> = {};
  for (const [id, r] of Object.entries(results.segments)) segments[id] = lowered(Number(id), r);
  return { ...results, overall: lowered(OVERALL, results.overall), segments };
}
