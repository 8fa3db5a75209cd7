// An experiment as data: what an operator posts, what is stored in KV, and the
// rules a new one must meet. Pure functions; the routes and the store do I/O.

export interface Experiment {
  key: string;
  /** Share of the experiment's visitors held back on the default page (0 < holdout < 1). */
  holdout: number;
  /** Segment ids of `model` the experiment covers, ascending, or every segment. */
  segments: number[] | 'all';
  /** ISO times; `end` null runs until stopped. */
  start: string;
  end: string | null;
  /** The model version active at creation: its segment ids are the ones named. */
  model: string;
  createdAt: string;
  stoppedAt: string | null;
}

export type ExperimentState = 'scheduled' | 'running' | 'ended' | 'stopped';

/** KV document holding every experiment (one key: one read refreshes them all). */
export const EXPERIMENTS_KEY = 'experiments:all';

export interface ExperimentsDocument {
  experiments: Experiment[];
}

/** Letters, digits, `-` and `_`, starting with a letter or digit: safe in a path, a header and a D1 key. */
export const EXPERIMENT_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function experimentState(e: Experiment, now: number): ExperimentState {
  if (e.stoppedAt !== null) return 'stopped';
  if (e.end !== null && Date.parse(e.end) <= now) return 'ended';
  if (Date.parse(e.start) > now) return 'scheduled';
  return 'running';
}

/** Still to run or running: the experiments a new one must not overlap. */
export const isLive = (e: Experiment, now: number): boolean => {
  const s = experimentState(e, now);
  return s === 'running' || s === 'scheduled';
};

const overlaps = (a: number[] | 'all', b: number[] | 'all'): number[] | 'all' | null => {
  if (a === 'all') return b === 'all' || b.length ? b : null;
  if (b === 'all') return a.length ? a : null;
  const shared = a.filter((s) => b.includes(s));
  return shared.length ? shared : null;
};

export interface ExperimentConflict {
  status: 404 | 409 | 422;
  name: string;
  reason: string;
}

/**
 * What stops a new experiment from being stored next to the existing ones:
 * a key already used (results are kept per key, so keys are never reused),
 * segments the active model does not have, or segments already in a live
 * experiment (a visitor is in at most one experiment at a time).
 */
export function conflictOf(
  candidate: Pick<Experiment, 'key' | 'segments' | 'start' | 'end'>,
  existing: readonly Experiment[],
  segmentCount: number,
  now: number,
): ExperimentConflict | null {
  if (existing.some((e) => e.key === candidate.key))
    return { status: 409, name: 'key', reason: `an experiment "${candidate.key}" exists already; keys are not reused` };
  if (candidate.segments !== 'all') {
    const unknown = candidate.segments.filter((s) => s >= segmentCount);
    if (unknown.length)
      return {
        status: 422,
        name: 'segments',
        reason: `the active model has segments 0 to ${segmentCount - 1}; it has no segment ${unknown.join(', ')}`,
      };
  }
  if (candidate.end !== null && Date.parse(candidate.end) <= Math.max(now, Date.parse(candidate.start)))
    return { status: 422, name: 'end', reason: 'must be after start and in the future' };
  for (const e of existing) {
    if (!isLive(e, now)) continue;
    const shared = overlaps(candidate.segments, e.segments);
    if (shared)
      return {
        status: 409,
        name: 'segments',
        reason: `${shared === 'all' ? 'every segment' : `segment ${shared.join(', ')}`} is already in experiment "${e.key}" (${experimentState(e, now)}); stop it first`,
      };
  }
  return null;
}
