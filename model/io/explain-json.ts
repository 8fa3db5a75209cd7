// Scoring answers with each binary head's `reasons`, for `explain=true`: the
// ordinary path (a result object per record, then JSON.stringify), so the
// fast writers of score-json.ts and the worker's WebAssembly stay as they are
// without it. Same members, order and numbers as those answers, `reasons`
// added last to each result.
import type { CompiledModel } from '../engine/compile.ts';
import type { FieldWarning } from '../engine/read.ts';
import type { Reasons } from '../engine/reasons.ts';
import type { ScoreResult } from '../engine/score.ts';
import type { Tally } from '../engine/tally.ts';
import { asScorer, type Scorer } from '../engine/scorer.ts';
import { asciiJson, type RecordProblem, type ScoredJson } from './score-json.ts';

export type ExplainedResult = ScoreResult & { reasons: Reasons };

/** Scores the scorer's values (already read) with their reasons. */
export function explainValues(sc: Scorer, warnings: FieldWarning[]): ExplainedResult {
  const result = sc.scoreValues(warnings);
  return { ...result, reasons: sc.reasons() };
}

/** scoreToJson with reasons: `{ model, ...result, reasons }` for one record, `{ model, results }` for a batch. */
export function explainToJson(
  target: CompiledModel | Scorer,
  model: string,
  records: Record<string, unknown>[],
  batch: boolean,
  tally: Tally | null = null,
): ScoredJson {
  const sc = asScorer(target);
  const read = (i: number, warnings: FieldWarning[]) => sc.read(records[i], undefined, warnings);
  return explained(model, records.length, batch, read, sc, tally);
}

/** scoreTableToJson with reasons. */
export function explainTableToJson(
  target: CompiledModel | Scorer,
  model: string,
  columns: string[],
  data: unknown[][],
  tally: Tally | null = null,
): ScoredJson {
  const sc = asScorer(target);
  const slots = Int32Array.from(columns, (c) => sc.cm.inputIndex.get(c)!);
  const read = (i: number, warnings: FieldWarning[]) => sc.readRow(columns, slots, data[i], warnings);
  return explained(model, data.length, true, read, sc, tally);
}

function explained(
  model: string,
  count: number,
  batch: boolean,
  read: (i: number, warnings: FieldWarning[]) => ReturnType<Scorer['read']>,
  sc: Scorer,
  tally: Tally | null,
): ScoredJson {
  let problems: RecordProblem[] | null = null;
  const results: ExplainedResult[] = [];
  for (let i = 0; i < count; i++) {
    const warnings: FieldWarning[] = [];
    const refused = read(i, warnings);
    if (refused) {
      problems ??= [];
      for (const p of refused) problems.push({ index: i, field: p.field, reason: p.reason });
    } else if (!problems) {
      const result = explainValues(sc, warnings);
      // Counted like scoreToJson counts (monitoring), from the values just scored.
      tally?.add(sc.values, result.segment.id, sc.probs, warnings);
      results.push(result);
    }
  }
  if (problems) return { ok: false, problems };
  return { ok: true, json: asciiJson(batch ? { model, results } : { model, ...results[0] }) };
}
