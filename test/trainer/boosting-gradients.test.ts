// The boosted fit's gradient pass uses its own e^x (kernels.wat, glued by trainer/estimators/boosting/gradients.ts):
// it must stay within a couple of ulps of Math.exp, and the gradients, kept as float32,
// within float32 rounding of the ones sigmoid gives.
import { expect, it } from 'vitest';
import { sigmoid } from '../../model/index.ts';
import { EXP_TABLE, logLossGradients } from '../../trainer/estimators/boosting/gradients.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { kernelArena } from '../support/kernel-arena.ts';

const arena = kernelArena(1 << 23);
const table = arena.place(EXP_TABLE);
const expNonPositive = (x: number) => arena.kernels.exp(x, table.byteOffset);

it('gives e^x to 2 ulps over the whole range of normal results', () => {
  const rng = new Rng(11);
  let worst = 0;
  for (let i = 0; i < 200_000; i++) {
    const x = -rng.next() * [1, 40, 708][i % 3];
    const exact = Math.exp(x);
    worst = Math.max(worst, Math.abs(expNonPositive(x) - exact) / exact);
  }
  expect(worst).toBeLessThanOrEqual(2 * Number.EPSILON);
  expect(expNonPositive(0)).toBe(1);
  expect(expNonPositive(-0)).toBe(1);
  expect(expNonPositive(-746)).toBe(0);
  expect(expNonPositive(-Infinity)).toBe(0);
  // Subnormal results: the one rounding of 2^(k/128)·e^r, as Math.exp's to an ulp of the least double.
  for (const x of [-708.5, -720, -740, -744.4])
    expect(Math.abs(expNonPositive(x) - Math.exp(x))).toBeLessThanOrEqual(Number.MIN_VALUE);
});

it('gives the log-loss gradients and hessians that sigmoid gives, to float32 rounding', () => {
  const rng = new Rng(12);
  const n = 50_000;
  const F = arena.place(Float64Array.from({ length: n }, (_, i) => (rng.next() - 0.5) * [2, 30, 1400][i % 3]));
  const y = arena.place(Uint8Array.from({ length: n }, () => (rng.next() < 0.3 ? 1 : 0)));
  const gh = arena.place(new Float32Array(2 * n));
  // In two calls, as the fit's chunks make them.
  logLossGradients(arena.kernels, F, y, gh, table, 0, 20_001);
  logLossGradients(arena.kernels, F, y, gh, table, 20_001, n);
  // Half a float32 ulp of the value, and (near p = 1, where 1 − p carries p's rounding) an ulp of 1 in float64.
  const close = (got: number, want: number) => Math.abs(got - want) <= Math.abs(want) * 2 ** -24 + 4 * Number.EPSILON;
  for (let i = 0; i < n; i++) {
    const p = sigmoid(F[i]);
    expect(close(gh[2 * i], p - y[i])).toBe(true);
    expect(close(gh[2 * i + 1], p * (1 - p))).toBe(true);
  }
});

it('gives the same gradients two rows at a time as one at a time, to the bit', () => {
  const rng = new Rng(13);
  const n = 20_001;
  const special = [0, -0, 745.5, -745.5, 708.5, -708.5, 40, -40, 1e-300, -1e-300];
  const F = arena.place(
    Float64Array.from({ length: n }, (_, i) =>
      i % 7 === 0 ? special[i % special.length] : (rng.next() - 0.5) * [2, 30, 1500][i % 3],
    ),
  );
  const y = arena.place(Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0)));
  const paired = arena.place(new Float32Array(2 * n));
  const single = arena.place(new Float32Array(2 * n));
  logLossGradients(arena.kernels, F, y, paired, table, 0, n);
  // One row per call: only the one-row path runs.
  for (let i = 0; i < n; i++) logLossGradients(arena.kernels, F, y, single, table, i, i + 1);
  expect(paired.every((v, k) => Object.is(v, single[k]))).toBe(true);
});
