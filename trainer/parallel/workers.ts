// The pool's worker threads: starting them, knowing which are ready, and
// learning at once when one dies, even while the caller blocks on a job.
//
// The caller's thread cannot hear a worker's 'exit' event while it sits in
// Atomics.wait, so the workers are children of a small supervisor thread
// (supervisor.mjs) whose event loop is always free. Workers and supervisor
// report into one shared array: each worker's status (starting, ready, dead)
// and a signal word they bump, and notify, on every change and at the end of
// every job — the one word the caller waits on. Why a worker died comes
// through a port the caller reads synchronously.
//
// Workers start lazily, on the first job large enough to pay for them; a
// worker still starting simply joins late (or not at all: the caller never
// waits for one that has not joined). They are unref'd, so they never keep the
// process alive. A worker that dies is replaced before the next job; one that
// cannot start at all (its script does not load) stops the pool from trying
// again, and jobs then run on the caller alone.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { bundleCachePath, readBundle, writeBundle } from './bundle-cache.ts';

// Words of the shared state.
const SIGNAL = 0; // bumped on every change below and at the end of every worker's part of a job
const DEATHS = 1; // workers that have died
const STATUS = 2; // STATUS + w: worker w's status
const STARTING = 0;
const READY = 1;
const DEAD = 2;
const MAX_WORKERS = 1024;
const LAYOUT = { signal: SIGNAL, deaths: DEATHS, status: STATUS, ready: READY, dead: DEAD };

/** What a worker thread is started with (read by thread.ts). */
export interface WorkerData {
  jobs: MessagePort;
  errors: MessagePort;
  state: Int32Array;
  index: number;
}

interface PoolWorker {
  /** Jobs go to the worker through this port; a task's error comes back through `errors`. */
  jobs: MessagePort;
  errors: MessagePort;
  /** Which start of worker `index` this is (a dead worker's replacement gets a new id). */
  id: number;
  /** Why it died, once the supervisor has said; and whether a job's error has told the caller already. */
  reason?: string;
  reported?: boolean;
}

const workers: PoolWorker[] = [];
let state: Int32Array | null = null;
let supervisor: { worker: Worker; deaths: MessagePort } | null = null;
let spawns = 0;
/** Why worker threads cannot start in this process (then every job runs on the caller). */
let broken: string | null = null;

function poolState(): Int32Array {
  state ??= new Int32Array(new SharedArrayBuffer((STATUS + MAX_WORKERS) * 4));
  return state;
}

/** Worker side: tells the caller that something changed (a worker is ready, or finished its part of a job). */
export function signal(s: Int32Array): void {
  Atomics.add(s, SIGNAL, 1);
  Atomics.notify(s, SIGNAL);
}

/** Worker side: this worker listens for jobs. */
export function workerReady(s: Int32Array, index: number): void {
  Atomics.store(s, STATUS + index, READY);
  signal(s);
}

/** The signal word's value, to pass to waitForSignal once the condition waited for is checked. */
export function signalSeen(): number {
  return Atomics.load(poolState(), SIGNAL);
}

/** Blocks until a worker signals after `seen` was read (or `timeoutMs` passes). */
export function waitForSignal(seen: number, timeoutMs = Infinity): void {
  Atomics.wait(poolState(), SIGNAL, seen, timeoutMs);
}

/** How many workers have died in this process so far (a cheap check for the caller between items). */
export function deathCount(): number {
  return state === null ? 0 : Atomics.load(state, DEATHS);
}

export function workerDead(w: number): boolean {
  return state !== null && Atomics.load(state, STATUS + w) === DEAD;
}

/** Why worker w died, as far as the supervisor has said (for the error of the job it died in). */
export function deathReason(w: number): string {
  collectDeaths();
  workers[w].reported = true;
  return workers[w].reason ?? 'no reason given';
}

/** Posts a job to worker w. */
export function postJob(w: number, job: unknown): void {
  workers[w].jobs.postMessage(job);
}

/** The error message worker w posted for its failed part of a job, if any. */
export function takeError(w: number): string | undefined {
  return receiveMessageOnPort(workers[w].errors)?.message as string | undefined;
}

/**
 * The worker script: thread.ts and what it imports, bundled by esbuild into
 * one CommonJS script (once per project state: kept in node_modules/.cache,
 * ./bundle-cache.ts), so a worker starts in ~40 ms instead of loading a
 * TypeScript loader (~0.5 s). esbuild runs in a child process (bundler.mjs):
 * loading it here made every typed-array loop of the process ~1.5× slower
 * (a 1M-row boosted fit on one thread: 8.7 s with a worker started against
 * 6.9 s without). If bundling fails (the warning says why), workers load
 * thread.ts through tsx instead.
 */
let bundle: { source: string | null; error: string | null } | undefined;

const BUNDLE_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node20' } as const;

function bundledWorker(): { source: string | null; error: string | null } {
  if (bundle) return bundle;
  const entry = fileURLToPath(new URL('./thread.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const failures: string[] = [];
  for (let attempt = 0; attempt < 2 && !bundle; attempt++) {
    const started = Date.now();
    try {
      // esbuild's version from its package.json: its API is never loaded in this process (above).
      const version = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8'))
        .version as string;
      const key = JSON.stringify({ esbuild: version, options: BUNDLE_OPTIONS });
      const cache = bundleCachePath(entry, join(root, 'node_modules'));
      const cached = readBundle(cache, key);
      if (cached) {
        bundle = { source: cached, error: null };
        break;
      }
      const out = bundleInChild(entry, root);
      bundle = { source: out.source, error: null };
      writeBundle(cache, key, out.inputs, out.source, started);
    } catch (e) {
      failures.push(`${describe(e)} (after ${Date.now() - started} ms)`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  if (!bundle) {
    const error = `bundling ${entry} with esbuild failed: ${failures.join('; then ')}`;
    process.emitWarning(`edgeseg: ${error}; worker threads will load it through tsx instead, more slowly`);
    bundle = { source: null, error };
  }
  return bundle;
}

/** Runs bundler.mjs in a child process; throws with esbuild's own message when it fails. */
function bundleInChild(entry: string, root: string): { source: string; inputs: string[] } {
  const script = fileURLToPath(new URL('./bundler.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, entry, root, JSON.stringify(BUNDLE_OPTIONS)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) throw run.error;
  let out: { source?: string; inputs?: string[]; error?: string };
  try {
    out = JSON.parse(run.stdout);
  } catch {
    throw new Error(`the bundler exited with ${run.status ?? run.signal}: ${run.stderr.trim() || 'no output'}`);
  }
  if (out.error !== undefined || typeof out.source !== 'string' || !Array.isArray(out.inputs))
    throw new Error(out.error ?? 'the bundler gave no script');
  return { source: out.source, inputs: out.inputs };
}

/**
 * The script a worker runs: the bundle or, when bundling failed, thread.ts
 * through tsx's require hook (slower to start, ~0.3 s). Not through the
 * caller's own loader: on Node 20 a loader registered with --import does not
 * reach worker threads (under tsx or vitest alike, a worker given thread.ts
 * fails with 'Unknown file extension ".ts"').
 */
function workerScript(): string {
  const { source, error } = bundledWorker();
  if (source) return source;
  const require = createRequire(import.meta.url);
  let tsx: string;
  try {
    tsx = require.resolve('tsx/cjs/api');
  } catch (e) {
    throw new Error(`${error}; and tsx, to load it without a bundle, cannot be found (${describe(e)})`);
  }
  const entry = fileURLToPath(new URL('./thread.ts', import.meta.url));
  return `require(${JSON.stringify(tsx)}).register();\nrequire(${JSON.stringify(entry)});\n`;
}

/** An error on one line, with its code (EAGAIN, ENOMEM, …) when it has one. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  const text = e.message.replace(/\s*\n\s*/g, ' ');
  return code && !text.includes(code) ? `${text} [${code}]` : text;
}

function startSupervisor(): { worker: Worker; deaths: MessagePort } {
  if (supervisor) return supervisor;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./supervisor.mjs', import.meta.url), {
    workerData: { deaths: port2, state: poolState(), layout: LAYOUT },
    transferList: [port2],
    execArgv: [],
  });
  worker.unref();
  port1.unref();
  // Seen only when the caller's event loop runs; the supervisor runs nothing that should fail.
  worker.on('error', (e) => {
    process.emitWarning(`edgeseg worker supervisor failed: ${(e as Error).message}`);
  });
  supervisor = { worker, deaths: port1 };
  return supervisor;
}

/** Reads what the supervisor said about workers that ended: their reasons, and whether threads can start at all. */
function collectDeaths(): void {
  if (!supervisor) return;
  for (let m = receiveMessageOnPort(supervisor.deaths); m; m = receiveMessageOnPort(supervisor.deaths)) {
    const { index, id, reason, wasReady } = m.message as {
      index: number;
      id: number;
      reason: string;
      wasReady: boolean;
    };
    if (workers[index]?.id === id) workers[index].reason = reason;
    if (!wasReady && !broken) {
      // Its script did not load; a replacement would fail the same way.
      const error = bundle?.error;
      broken = error ? `${reason} (loaded through tsx, as ${error})` : reason;
      process.emitWarning(`edgeseg worker threads could not start, so jobs run on the calling thread alone: ${broken}`);
    }
  }
}

function spawn(w: number, script: string): void {
  const s = poolState();
  const { worker } = startSupervisor();
  const jobs = new MessageChannel();
  const errors = new MessageChannel();
  jobs.port1.unref();
  errors.port1.unref();
  const id = ++spawns;
  Atomics.store(s, STATUS + w, STARTING);
  workers[w] = { jobs: jobs.port1, errors: errors.port1, id };
  const data: WorkerData = { jobs: jobs.port2, errors: errors.port2, state: s, index: w };
  worker.postMessage({ index: w, id, source: script, data }, [jobs.port2, errors.port2]);
}

/**
 * Makes sure workers 0..count-1 exist (replacing any that died) and returns
 * how many jobs may be posted to: `count`, or 0 when worker threads cannot
 * start in this process.
 */
export function ensureWorkers(count: number): number {
  collectDeaths();
  if (broken) return 0;
  const n = Math.min(count, MAX_WORKERS);
  for (let w = 0; w < n; w++) {
    if (w < workers.length && !workerDead(w)) continue;
    // A worker that died between jobs: no job's error said so.
    if (w < workers.length && !workers[w].reported)
      process.emitWarning(`edgeseg worker thread ${w + 1} died: ${workers[w].reason ?? 'no reason given'}`);
    startSupervisor();
    let script: string;
    try {
      script = workerScript();
    } catch (e) {
      broken = (e as Error).message;
      process.emitWarning(`edgeseg worker threads cannot start, so jobs run on the calling thread alone: ${broken}`);
      return 0;
    }
    spawn(w, script);
  }
  return n;
}

/** Starts `count` workers now and blocks until they listen for jobs; fails at once, saying why, when they cannot start. */
export function startWorkersNow(count: number, timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const n = ensureWorkers(count);
    if (broken) throw new Error(`worker threads could not start: ${broken}`);
    const seen = signalSeen();
    let ready = 0;
    for (let w = 0; w < n; w++) if (Atomics.load(poolState(), STATUS + w) === READY) ready++;
    if (ready >= n) return;
    const left = until - Date.now();
    if (left <= 0) throw new Error(`worker threads did not start within ${timeoutMs} ms (${ready} of ${n} ready)`);
    waitForSignal(seen, left);
  }
}
