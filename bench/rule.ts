// The one rule every bench row is judged by, fixed before anything is
// measured (docs/performance.md#the-rule says the same):
//
// - A timed row runs at least MIN_ROUNDS rounds. In a round each side runs
//   once, back to back; the order alternates from round to round (ours first
//   in even rounds, last in odd ones), so a slow minute of the host lands on
//   both sides.
// - Per round the row has one figure: ours ÷ the baseline's for a ratio
//   target, our own figure for an absolute one. The MEDIAN of those figures
//   decides ✓/✗. Best rounds may be printed beside it, never decide.
// - A round with any failure — a non-2xx answer, a socket error, an answer
//   that differs from the expected one — fails the row, whatever its figure.
// - A row with fewer rounds (a `--quick` run, or a baseline that could not
//   run) is not judged: it shows its figure and no ✓/✗.
// - An exact figure (a size, a distance between two fits) does not vary from
//   run to run: it is judged as measured, once.
//
// Targets are in bench/targets.ts; `judge` there applies this rule.

export const MIN_ROUNDS = 5;

/** The rounds a timed row runs: MIN_ROUNDS in a full run, `quickRounds` (a smoke test, not judged) in --quick. */
export const roundsFor = (quick: boolean, quickRounds = 1): number => (quick ? quickRounds : MIN_ROUNDS);

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const min = (xs: readonly number[]): number => Math.min(...xs);
export const max = (xs: readonly number[]): number => Math.max(...xs);

type Sides = Record<string, (() => Promise<unknown>) | null>;
type Results<S extends Sides> = { [K in keyof S]: NonNullable<S[K]> extends () => Promise<infer T> ? T[] : never[] };

/**
 * `rounds` alternating rounds of every side given (null sides are skipped):
 * in even rounds the sides run in the order given, in odd rounds in reverse.
 * Each side's results come back in round order.
 */
export async function alternate<S extends Sides>(rounds: number, sides: S): Promise<Results<S>> {
  const names = Object.keys(sides).filter((k) => sides[k] !== null);
  const out: Record<string, unknown[]> = Object.fromEntries(Object.keys(sides).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? [...names].reverse() : names) out[name].push(await sides[name]!());
  }
  return out as Results<S>;
}

/** Per-round ratios of two sides measured in the same rounds. */
export function ratios(ours: readonly number[], theirs: readonly number[]): number[] {
  if (ours.length !== theirs.length) throw new Error('bench rule: ratios need one figure per round on each side');
  return ours.map((o, r) => o / theirs[r]);
}

/** What a measured row hands to `judge`: one figure per round and the failures seen in any round. */
export interface Evidence {
  /** The figure the target reads, per round (ours ÷ baseline for a ratio target). */
  rounds: number[];
  /** One line per failed round (non-2xx answers, wrong answers); any one fails the row. */
  failures?: string[];
  /** The sizes an absolute limit depends on (e.g. the raw data's MB); see bench/targets.ts. */
  params?: Record<string, number>;
}

export interface Verdict {
  /** The median of the rounds (or the exact figure): the one figure the target is read against. */
  figure: number;
  /** What the rounds column shows: how many, and how many failed. */
  rounds: string;
  pass: boolean | null;
  /** Why rounds failed (printed under the table). */
  failures: string[];
}

/**
 * The rule itself: the median of the rounds against `meets`; a failure in
 * any round fails the row; too few rounds judge nothing. `exact` figures
 * (one measurement that does not vary) are judged as they are.
 */
export function applyRule(e: Evidence, meets: ((figure: number) => boolean) | null, exact = false): Verdict {
  const failures = e.failures ?? [];
  const figure = median(e.rounds);
  const n = e.rounds.length;
  const rounds = `${exact ? 'exact' : n}${failures.length ? ` (${failures.length} failed)` : ''}`;
  if (failures.length) return { figure, rounds, pass: false, failures };
  if (meets === null || n === 0 || (!exact && n < MIN_ROUNDS)) return { figure, rounds, pass: null, failures };
  return { figure, rounds, pass: meets(figure), failures };
}
