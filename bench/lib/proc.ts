// Running benchmark jobs in their own processes: each job prints one JSON line
// (its figures) as its last line of output; the caller also measures the wall
// time from spawn to exit. A job that runs too long is killed, never waited for.
import { spawn } from 'node:child_process';
import { pythonPath, sklearnEnv } from './python.ts';

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

/** A job of bench/sklearn/jobs.py in a fresh Python process (the venv's when it is ready, see python.ts). */
export function sklearnJob<T>(args: (string | number)[], timeoutMs = 900_000): Promise<JobResult<T>> {
  return runJob<T>(pythonPath(), ['bench/sklearn/jobs.py', ...args.map(String)], { timeoutMs, env: sklearnEnv() });
}
