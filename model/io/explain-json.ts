// Scoring answers with each binary head's `reasons`, for `explain=true`: the
// ordinary path (a result object per record, then JSON.stringify), so the
// fast writers of score-json.ts and the worker's WebAssembly stay as they are
// without it. Same members, order and numbers as those answers, `reasons`
// added last to each result.
import type { CompiledModel } from '../engine/compile.ts';
import type { FieldWarning } from '../engine/read.ts';
import type { Reasons } from '../engine/reasons.ts';
import type { ScoreResult } from '../engine/score.ts';
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
): ScoredJson {
  const sc = asScorer(target);
  return explained(model, records.length, batch, (i, warnings) => sc.read(records[i], undefined, warnings), sc);
}

/** scoreTableToJson with reasons. */
export function explainTableToJson(
  target: CompiledModel | Scorer,
  model: string,
  columns: string[],
  data: unknown[][],
): ScoredJson {
  const sc = asScorer(target);
  const slots = Int32Array.from(columns, (c) => sc.cm.inputIndex.get(c)!);
  return explained(model, data.length, true, (i, warnings) => sc.readRow(columns, slots, data[i], warnings), sc);
}

function explained(
  model: string,
  count: number,
  batch: boolean,
  read: (i: number, warnings: FieldWarning[]) => ReturnType<Scorer['read']>,
  sc: Scorer,
): ScoredJson {
  let problems: RecordProblem[] | null = null;
  const results: ExplainedResult[] = [];
  for (let i = 0; i < count; i++) {
    const warnings: FieldWarning[] = [];
    const refused = read(i, warnings);
    if (refused) {
      problems ??= [];
      for (const p of refused) problems.push({ index: i, field: p.field, reason: p.reason });
    } else if (!problems) results.push(explainValues(sc, warnings));
  }
  if (problems) return { ok: false, problems };
  return { ok: true, json: asciiJson(batch ? { model, results } : { model, ...results[0] }) };
}
