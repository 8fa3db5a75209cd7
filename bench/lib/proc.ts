// Running benchmark jobs in their own processes: each job prints one JSON line
// (its figures) as its last line of output; the caller also measures the wall
// time from spawn to exit. A job that runs too long is killed, never waited for.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface JobResult<T> {
  /** Spawn to exit, including interpreter start-up and imports. */
  wallMs: number;
  out: T;
}

export class JobError extends Error {}

export function runJob<T>(
  cmd: string,
  args: string[],
  options: { timeoutMs: number; env?: NodeJS.ProcessEnv; cwd?: string },
): Promise<JobResult<T>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new JobError(`${cmd} ${args.join(' ')}: still running after ${options.timeoutMs / 1000} s, stopped`));
    }, options.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      if (code !== 0)
        return reject(
          new JobError(
            `${cmd} ${args.join(' ')} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
          ),
        );
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ wallMs, out: JSON.parse(last) as T });
      } catch {
        reject(new JobError(`${cmd} ${args.join(' ')} printed no JSON result: ${last.slice(0, 200)}`));
      }
    });
  });
}

/** A TypeScript job under bench/jobs, in a fresh Node process (so no JIT or heap state carries over). */
export function nodeJob<T>(
  job: string,
  args: (string | number)[],
  timeoutMs = 600_000,
  env: NodeJS.ProcessEnv = {},
): Promise<JobResult<T>> {
  return runJob<T>(process.execPath, ['--import', 'tsx', `bench/jobs/${job}.ts`, ...args.map(String)], {
    timeoutMs,
    env: { ...process.env, ...env },
  });
}

/** Debian's Python, the one python3-sklearn installs into (a `python3` earlier on PATH may lack it). */
export const PYTHON = '/usr/bin/python3';

/**
 * scikit-learn's version, or null when Debian's python3-sklearn is not
 * installed. It starts Python, so the CLI asks once and passes the answer to
 * the sections in their context.
 */
export async function sklearnVersion(): Promise<string | null> {
  if (!existsSync(PYTHON)) return null;
  try {
    const r = await runJob<{ sklearn: string; numpy: string; blas: string }>(
      PYTHON,
      ['bench/sklearn/jobs.py', 'version'],
      { timeoutMs: 60_000, env: sklearnEnv() },
    );
    return `${r.out.sklearn} (numpy ${r.out.numpy}, ${r.out.blas})`;
  } catch {
    return null;
  }
}

/**
 * The environment scikit-learn runs in: OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE,
 * set on some machines, force a slower OpenBLAS kernel; they are removed for
 * this subprocess only, so numpy picks the kernel for the processor it runs on.
 */
export function sklearnEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export function sklearnJob<T>(args: (string | number)[], timeoutMs = 900_000): Promise<JobResult<T>> {
  return runJob<T>(PYTHON, ['bench/sklearn/jobs.py', ...args.map(String)], { timeoutMs, env: sklearnEnv() });
}
