// Writing an isolate's buffered counts to D1 (docs/monitoring.md): never per
// request. The first count after a flush schedules the next one with
// waitUntil, MONITOR_FLUSH_SECONDS later (default 25 s, under the 30 s a
// waitUntil may outlive its response), and a buffer past LARGE_BUFFER records
// is flushed at once. A flush takes the buffers away, adds their non-zero
// counts as hourly rows (INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n,
// in one db.batch), and on failure logs one line and gives them back for the
// next flush once; a second failure, or a flush slower than FLUSH_TIMEOUT_MS
// (which may yet have been written), drops them. A request never waits on it.
import { SCORE_BINS } from '../../model/index.ts';
import type { Env } from '../env.ts';
import { type Buffer, bufferedRecords, returnBuffers, SOURCES, takeBuffers } from './buffer.ts';

/** Records after which a buffer is flushed without waiting for the timer. */
export const LARGE_BUFFER = 20_000;
export const DEFAULT_FLUSH_SECONDS = 25;
export const FLUSH_TIMEOUT_MS = 10_000;
/** Rows per INSERT: 6 bound values each, under D1's 100 per statement. */
const ROWS_PER_STATEMENT = 16;

/** What scheduling a flush needs of an execution context. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export type Row = [model: string, hour: number, kind: string, name: string, bin: number, n: number];

/** The non-zero counts of a buffer as hourly rows. */
export function bufferRows(b: Buffer): Row[] {
  const rows: Row[] = [];
  const { version: m, hour: h } = b;
  const { bins, counts } = b.tally;
  SOURCES.forEach((s, i) => {
    if (b.sources[i]) rows.push([m, h, 'source', s, 0, b.sources[i]]);
  });
  for (let s = 0; s < bins.segments; s++) {
    const n = counts[bins.segmentAt + s];
    if (n) rows.push([m, h, 'segment', '', s, n]);
  }
  bins.headNames.forEach((name, head) => {
    for (let j = 0; j < SCORE_BINS; j++) {
      const n = counts[bins.scoreAt + head * SCORE_BINS + j];
      if (n) rows.push([m, h, 'score', name, j, n]);
    }
  });
  bins.inputNames.forEach((name, i) => {
    for (let j = 0; j < bins.inputBins[i]; j++) {
      const n = counts[bins.inputAt[i] + j];
      if (n) rows.push([m, h, 'input', name, j, n]);
    }
  });
  return rows;
}

const upsertSql = (rows: number) =>
  `INSERT INTO counts (model, hour, kind, name, bin, n) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')} ` +
  'ON CONFLICT (model, hour, kind, name, bin) DO UPDATE SET n = n + excluded.n';

/** Upserts rows in one batch (a transaction: all or nothing). */
export async function writeRows(db: D1Database, rows: Row[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
    const part = rows.slice(at, at + ROWS_PER_STATEMENT);
    statements.push(db.prepare(upsertSql(part.length)).bind(...part.flat()));
  }
  if (statements.length) await db.batch(statements);
}

const timeout = (ms: number) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms));

/** Adds every buffered count to D1; never throws. */
export async function flush(db: D1Database): Promise<void> {
  const taken = takeBuffers();
  if (!taken.length) return;
  const rows = taken.flatMap(bufferRows);
  try {
    await Promise.race([writeRows(db, rows), timeout(FLUSH_TIMEOUT_MS)]);
  } catch (e) {
    const slow = /no answer in/.test(String((e as Error)?.message));
    const retry = slow ? [] : taken.filter((b) => !b.retried);
    const records = taken.reduce((n, b) => n + b.tally.records, 0);
    console.error(
      `monitor: flush of ${records} records failed (${String((e as Error)?.message ?? e).slice(0, 120)}); ` +
        (retry.length ? 'kept for the next flush' : 'counts dropped'),
    );
    returnBuffers(retry);
  }
}

let scheduled = false;

/** After a request counted records: schedules a flush (or flushes a large buffer now). Costs a branch or two. */
export function scheduleFlush(env: Env, ctx: WaitUntil): void {
  const db = env.MONITOR;
  if (!db) return;
  if (bufferedRecords() >= LARGE_BUFFER) {
    ctx.waitUntil(flush(db));
    return;
  }
  if (scheduled) return;
  scheduled = true;
  const seconds = Number(env.MONITOR_FLUSH_SECONDS ?? DEFAULT_FLUSH_SECONDS);
  const wait = Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 28) * 1000 : DEFAULT_FLUSH_SECONDS * 1000;
  ctx.waitUntil(
    (wait ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve()).then(() => {
      scheduled = false;
      return flush(db);
    }),
  );
}

/** For tests: forgets a scheduled flush (its timer is gone with the test's context). */
export function resetFlushSchedule(): void {
  scheduled = false;
}
