// Exposures — a visitor assigned to an experiment — are buffered per isolate
// and written to D1 in batches, never one write per request: the first
// buffered exposure schedules a flush (waitUntil, after EXPERIMENT_FLUSH_SECONDS,
// default 10 s, within the 30 s a waitUntil may run), and a full buffer flushes
// at once. A flush is one D1 batch of a statement pair per 1000 rows
// (exposure-sql.ts): the rows go in ON CONFLICT DO NOTHING on (experiment,
// visitor) and only the visitors the database did not have are counted, so a
// visitor counts once however many isolates see them. If D1 fails, the
// flush logs one line and keeps the rows for the next flush (up to the buffer's
// bound); a request never waits on it.

import { exposureStatements } from './exposure-sql.ts';

export interface Exposure {
  experiment: string;
  /** The keyed hash of the visitor id (visitor-hash.ts). */
  visitor: string;
  variant: 0 | 1;
  segment: number;
  /** Unix seconds. */
  at: number;
}

/** A flush starts at once when this many exposures wait. */
export const FLUSH_SIZE = 500;
/** Beyond this many waiting (D1 down for long), new exposures are dropped, not buffered: memory stays bounded. */
export const MAX_PENDING = 20_000;
/** Exposures flushed recently, skipped when the same visitor comes back to this isolate; cleared when full. */
const RECENT_LIMIT = 50_000;

const pending = new Map<string, Exposure>();
const recent = new Set<string>();
let scheduled = false;
let flushing: Promise<void> | null = null;
/** Exposures dropped because the buffer was full (for the log and the tests). */
let dropped = 0;

export const pendingExposures = (): number => pending.size;

/** For tests: forget everything buffered. */
export function resetExposures(): void {
  pending.clear();
  recent.clear();
  scheduled = false;
  flushing = null;
  dropped = 0;
}

/** Writes what is buffered (one D1 batch, one transaction). Never throws. */
export function flushExposures(db: D1Database): Promise<void> {
  if (flushing) return flushing.then(() => (pending.size ? flushExposures(db) : undefined));
  if (pending.size === 0) return Promise.resolve();
  const batch = [...pending];
  pending.clear();
  scheduled = false;
  flushing = db
    .batch(
      exposureStatements(
        db,
        batch.map(([, e]) => e),
      ),
    )
    .then(() => {
      if (recent.size + batch.length > RECENT_LIMIT) recent.clear();
      for (const [id] of batch) recent.add(id);
    })
    .catch((e: unknown) => {
      // Back into the buffer for the next flush, as far as the bound allows.
      let kept = 0;
      for (const [id, row] of batch) if (pending.size < MAX_PENDING && !pending.has(id)) pending.set(id, row), kept++;
      console.error(
        `experiment exposures not written (${batch.length}, ${kept} kept for the next flush): ${String(e)}`,
      );
    })
    .finally(() => {
      flushing = null;
    });
  return flushing;
}

/**
 * Buffers an exposure (once per visitor and experiment in this isolate) and
 * schedules its flush; returns at once.
 */
export function recordExposure(
  db: D1Database,
  e: Exposure,
  ctx: Pick<ExecutionContext, 'waitUntil'> | undefined,
  delaySeconds: number,
): void {
  const id = `${e.experiment}\0${e.visitor}`;
  if (recent.has(id) || pending.has(id)) return;
  if (pending.size >= MAX_PENDING) {
    if (dropped++ % 1000 === 0) console.error(`experiment exposures dropped: the buffer is full (${dropped} so far)`);
    return;
  }
  pending.set(id, e);
  if (!ctx) return; // no request to outlive (a unit test): flushed by the next flush
  if (pending.size >= FLUSH_SIZE) ctx.waitUntil(flushExposures(db));
  else if (!scheduled) {
    scheduled = true;
    const delay = new Promise<void>((resolve) => setTimeout(resolve, delaySeconds * 1000));
    ctx.waitUntil(delay.then(() => flushExposures(db)));
  }
}
