// Which experiment a scored visitor is in, if any: an index built once per
// refresh of the experiments (never per request) from segment id to the live
// experiments covering it, and the GrowthBook bucket of the visitor.
import { type Variant, variantOf } from './bucket.ts';
import { type Experiment, isLive } from './definition.ts';

export interface Assignment {
  key: string;
  variant: Variant;
}

interface Entry {
  key: string;
  holdout: number;
  startMs: number;
  endMs: number;
}

export interface AssignmentIndex {
  /** Per segment id, the live experiments naming it; `all` those covering every segment. */
  bySegment: Map<number, Entry[]>;
  all: Entry[];
  /** Number of live experiments: 0 lets a request skip the lookup entirely. */
  size: number;
}

export const EMPTY_INDEX: AssignmentIndex = { bySegment: new Map(), all: [], size: 0 };

export function buildIndex(experiments: readonly Experiment[], now: number): AssignmentIndex {
  const index: AssignmentIndex = { bySegment: new Map(), all: [], size: 0 };
  for (const e of experiments) {
    if (!isLive(e, now)) continue;
    const entry: Entry = {
      key: e.key,
      holdout: e.holdout,
      startMs: Date.parse(e.start),
      endMs: e.end === null ? Infinity : Date.parse(e.end),
    };
    index.size++;
    if (e.segments === 'all') index.all.push(entry);
    else
      for (const s of e.segments) {
        const list = index.bySegment.get(s);
        if (list) list.push(entry);
        else index.bySegment.set(s, [entry]);
      }
  }
  return index;
}

const running = (list: Entry[] | undefined, now: number): Entry | undefined =>
  list?.find((e) => e.startMs <= now && now < e.endMs);

/** The visitor's experiment and variant for a record scored into `segment`, or null (not in any running experiment). */
export function assign(index: AssignmentIndex, segment: number, visitor: string, now: number): Assignment | null {
  if (index.size === 0) return null;
  const entry = running(index.bySegment.get(segment), now) ?? running(index.all, now);
  return entry ? { key: entry.key, variant: variantOf(entry.key, visitor, entry.holdout) } : null;
}
