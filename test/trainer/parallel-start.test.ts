// Worker threads that cannot start say why at once, instead of after a
// start-up timeout. Here esbuild's binary is one that exits at once, so
// bundling the worker script fails, and so does tsx (which transforms with
// esbuild too, its cache off) when a worker loads the script without a
// bundle; the bundle kept on disk is off too. Jobs then run on the caller alone.
import { afterAll, describe, expect, it } from 'vitest';
import { configureParallel, runParallel, startWorkers } from '../../trainer/parallel/pool.ts';

// Read by esbuild when the pool first loads it, and by tsx in the workers (this file runs in a process of its own).
const saved = {
  ESBUILD_BINARY_PATH: process.env.ESBUILD_BINARY_PATH,
  TSX_DISABLE_CACHE: process.env.TSX_DISABLE_CACHE,
  EDGESEG_BUNDLE_CACHE: process.env.EDGESEG_BUNDLE_CACHE,
};
process.env.ESBUILD_BINARY_PATH = '/bin/false';
process.env.TSX_DISABLE_CACHE = '1';
process.env.EDGESEG_BUNDLE_CACHE = 'off';
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('worker threads that cannot start', () => {
  it('fail startWorkers at once with the reasons, and jobs still run on the caller', () => {
    configureParallel({ threads: 2, minWork: 0 });
    const started = Date.now();
    expect(() => startWorkers(1)).toThrow(
      /^worker threads could not start: .+ \(loaded through tsx, as bundling .*thread\.ts with esbuild failed: The service was stopped.*\)$/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    let sum = 0;
    const body = (_a: object, _slot: number, claim: () => number) => {
      for (let i = claim(); i >= 0; i = claim()) sum += i;
    };
    expect(runParallel('kmeans-restarts', body, {}, 100, 2)).toBe(1);
    expect(sum).toBe(4950);
  });
});
