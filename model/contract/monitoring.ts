// The rules a model's training distributions (`monitoring`, see types.ts)
// must meet: every array the right length for the model's inputs, segments
// and heads, so the edge can count into its bins without a check per record.
import type { InputField } from './types.ts';

/** Equal-width bins of probability in a head's score histogram. */
export const SCORE_BINS = 20;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/** How many bins input `f` has, given its edges (null for a category): values, then unseen (categories), then missing. */
export const inputBinCount = (f: InputField, edges: readonly number[] | null): number =>
  f.type === 'number' ? (edges?.length ?? 0) + 2 : f.levels.length + 2;

/** Problems of a `monitoring` section, named by path (none when it is absent). */
export function monitoringProblems(
  m: unknown,
  inputs: readonly InputField[],
  segments: number,
  heads: number,
): string[] {
  if (m === undefined) return [];
  const problems: string[] = [];
  const bad = (path: string, why: string) => problems.push(`monitoring.${path}: ${why}`);
  if (!isObj(m)) return ['monitoring: must be an object'];
  if (!Number.isInteger(m.rows) || (m.rows as number) < 1) bad('rows', 'must be a positive integer');
  const rows = m.rows as number;
  const shares = (v: unknown, path: string, len: number) => {
    if (!Array.isArray(v) || v.length !== len || !v.every(isCount))
      return bad(path, `must be ${len} counts of training rows`);
    if (v.reduce((a: number, b: number) => a + b, 0) !== rows) bad(path, `must add up to rows (${rows})`);
  };
  const edges = Array.isArray(m.edges) ? m.edges : [];
  if (edges.length !== inputs.length) bad('edges', `must hold one entry per input (${inputs.length})`);
  const shareLists = Array.isArray(m.inputs) ? m.inputs : [];
  if (shareLists.length !== inputs.length) bad('inputs', `must hold one entry per input (${inputs.length})`);
  inputs.forEach((f, i) => {
    const e = edges[i] as unknown;
    if (f.type === 'number') {
      const ok =
        Array.isArray(e) &&
        e.every((x, j) => typeof x === 'number' && Number.isFinite(x) && (j === 0 || x > (e[j - 1] as number)));
      if (!ok) return bad(`edges[${i}]`, 'must be ascending finite numbers (number input)');
    } else if (e !== null) return bad(`edges[${i}]`, 'must be null (category input)');
    shares(shareLists[i], `inputs[${i}]`, inputBinCount(f, (e as number[] | null) ?? null));
  });
  shares(m.segments, 'segments', segments);
  const scores = Array.isArray(m.scores) ? m.scores : [];
  if (scores.length !== heads) bad('scores', `must hold one histogram per binary head (${heads})`);
  scores.forEach((h: unknown, i: number) => shares(h, `scores[${i}]`, SCORE_BINS));
  return problems;
}
