// A node's rows split between its children (kernels.wat's split, through
// partition.ts): in one pass, and chunk by chunk then joined as the threads
// do it; both must give the plain stable partition, the left rows first.
import { expect, it } from 'vitest';
import { joinChunk, joinPlan, partitionChunk, partitionRange } from '../../trainer/estimators/boosting/partition.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { kernelArena } from '../support/kernel-arena.ts';

/** n rows (a shuffled subset of 3n), their codes in 0..bins-1, and which bins go left. */
function node(n: number, bins: number, seed: number) {
  const rng = new Rng(seed);
  const codes = Uint8Array.from({ length: 3 * n }, () => rng.int(bins));
  const goesLeft = Uint8Array.from({ length: 256 }, () => (rng.next() < 0.4 ? 1 : 0));
  const rows = Uint32Array.from({ length: n }, () => rng.int(3 * n));
  return { codes, goesLeft, rows };
}

const stable = (rows: Uint32Array, codes: Uint8Array, goesLeft: Uint8Array) => [
  ...rows.filter((r) => goesLeft[codes[r]] === 1),
  ...rows.filter((r) => goesLeft[codes[r]] === 0),
];

it.each([0, 1, 2, 1000, 20_011])('splits %i rows in one pass as a stable partition does', (n) => {
  const { codes, goesLeft, rows } = node(n, 40, n + 1);
  const { kernels, place } = kernelArena();
  // The node sits between other rows, which must not move.
  const all = place(Uint32Array.from({ length: n + 10 }, (_, i) => (i < 5 || i >= n + 5 ? 99 : rows[i - 5])));
  const p = { rows: all, tmp: place(new Uint32Array(n + 10)), kernels };
  const mid = partitionRange(p, place(codes), place(goesLeft), 5, n + 5);
  const want = stable(rows, codes, goesLeft);
  expect(mid - 5).toBe(want.filter((r) => goesLeft[codes[r]] === 1).length);
  expect([...all.subarray(5, n + 5)]).toEqual(want);
  expect([...all.subarray(0, 5), ...all.subarray(n + 5)]).toEqual(Array(10).fill(99));
});

it.each([1, 7, 64, 1000])('splits chunk by chunk (%i rows a chunk) and joins to the same partition', (chunk) => {
  const n = 5003;
  const { codes, goesLeft, rows } = node(n, 255, chunk);
  const { kernels, place } = kernelArena();
  const p = { rows: place(rows), tmp: place(new Uint32Array(n)), kernels };
  const [inCodes, inGoesLeft] = [place(codes), place(goesLeft)];
  const chunks = Math.ceil(n / chunk);
  const lefts = new Int32Array(chunks);
  for (let c = 0; c < chunks; c++)
    lefts[c] = partitionChunk(p, inCodes, inGoesLeft, c * chunk, Math.min(n, (c + 1) * chunk));
  const places = new Int32Array(2 * chunks);
  const mid = joinPlan(0, n, chunk, lefts, places);
  for (let c = 0; c < chunks; c++) joinChunk(p, 0, n, chunk, lefts, places, c);
  const want = stable(rows, codes, goesLeft);
  expect(mid).toBe(want.filter((r) => goesLeft[codes[r]] === 1).length);
  expect([...p.rows]).toEqual(want);
});
