// Each isolate's unflushed counts (docs/monitoring.md): per model version and
// hour, a Tally of what it scored (segments, score bins, input bins) and the
// records per source. Requests add to it in memory; flush.ts takes the
// buffers away and adds them to D1. Nothing here is per record but the
// Tally's own counting.
import { binsOf, Tally, type Bins, type CompiledModel } from '../../model/index.ts';

/** Where scored records come from, as the `source` rows name them. */
export const SOURCES = ['single', 'batch', 'segment', 'embed', 'webhook', 'dashboard'] as const;
export type Source = (typeof SOURCES)[number];

export interface Buffer {
  readonly version: string;
  /** Unix time / 3600, UTC. */
  readonly hour: number;
  readonly tally: Tally;
  /** Records per source, in SOURCES order. */
  readonly sources: Float64Array;
  /** Set when a flush of these counts failed once: a second failure drops them. */
  retried: boolean;
}

const HOUR_MS = 3_600_000;
const bins = new WeakMap<CompiledModel, Bins>();
const scratch = new WeakMap<CompiledModel, Tally>();
let buffers: Buffer[] = [];
let current: Buffer | null = null;

export const binsFor = (cm: CompiledModel): Bins => {
  let b = bins.get(cm);
  if (!b) bins.set(cm, (b = binsOf(cm.model)));
  return b;
};

/** The buffer counting `cm`'s records now (one lookup per request). */
export function bufferFor(cm: CompiledModel, version: string, nowMs: number): Buffer {
  const hour = Math.floor(nowMs / HOUR_MS);
  if (current && current.hour === hour && current.version === version && current.tally.bins === binsFor(cm))
    return current;
  current = buffers.find((b) => b.hour === hour && b.version === version) ?? null;
  if (!current) {
    current = {
      version,
      hour,
      tally: new Tally(binsFor(cm)),
      sources: new Float64Array(SOURCES.length),
      retried: false,
    };
    buffers.push(current);
  }
  return current;
}

/** A cleared tally of `cm`'s bins for one request's batch, merged into a buffer only once the whole batch has scored. */
export function scratchTally(cm: CompiledModel): Tally {
  let t = scratch.get(cm);
  if (!t) scratch.set(cm, (t = new Tally(binsFor(cm))));
  else if (t.records) t.clear();
  return t;
}

/** Records counted and not yet taken by a flush. */
export function bufferedRecords(): number {
  let n = 0;
  for (const b of buffers) n += b.tally.records;
  return n;
}

/** Takes every buffer away (for a flush); counting continues into new ones. */
export function takeBuffers(): Buffer[] {
  const taken = buffers.filter((b) => b.tally.records > 0);
  buffers = [];
  current = null;
  return taken;
}

/** Gives a flush's buffers back, to be added by the next flush. */
export function returnBuffers(failed: Buffer[]): void {
  for (const b of failed) {
    b.retried = true;
    buffers.push(b);
  }
  current = null;
}

/** For tests: forgets every unflushed count. */
export function resetBuffers(): void {
  buffers = [];
  current = null;
}
