// What a route calls to count what it scored (docs/monitoring.md): the tally
// to count into — the isolate's buffer itself for one record, a scratch tally
// for a batch, kept only if the whole batch scores — then `counted`, which
// adds the request's records to its source and schedules a flush. Without the
// MONITOR binding nothing is counted.
import { type CompiledModel, Tally } from '../../model/index.ts';
import type { Env } from '../env.ts';
import { binsFor, bufferFor, scratchTally, SOURCES, type Source } from './buffer.ts';
import { scheduleFlush, type WaitUntil } from './flush.ts';

/** The tally a request counts into, or null when monitoring is off. */
export function requestTally(env: Env, cm: CompiledModel, version: string, batch: boolean): Tally | null {
  if (!env.MONITOR) return null;
  return batch ? scratchTally(cm) : bufferFor(cm, version, Date.now()).tally;
}

/** A tally of its own, for a request that scores over a long stream (merged by `counted` at its end). */
export function streamTally(env: Env, cm: CompiledModel): Tally | null {
  return env.MONITOR ? new Tally(binsFor(cm)) : null;
}

/** The request's records are final: into the buffer (from a scratch tally), by source, and a flush scheduled. */
export function counted(
  env: Env,
  ctx: WaitUntil | undefined,
  cm: CompiledModel,
  version: string,
  source: Source,
  tally: Tally | null,
  records: number,
): void {
  if (!tally || !env.MONITOR) return;
  const buffer = bufferFor(cm, version, Date.now());
  if (tally !== buffer.tally) buffer.tally.merge(tally);
  buffer.sources[SOURCES.indexOf(source)] += records;
  if (ctx) scheduleFlush(env, ctx);
}

/** Hono's execution context, or undefined when a test calls the app without one. */
export function executionContext(c: { readonly executionCtx: WaitUntil }): WaitUntil | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}
