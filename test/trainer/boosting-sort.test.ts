// The radix sort behind the bin cuts (kernels.wat's sortValues) gives
// Float64Array.prototype.sort's order exactly: signs, zeros of both signs,
// subnormals, infinities, ties.
import { expect, it } from 'vitest';
import { Rng } from '../../trainer/estimators/rng.ts';
import { kernelArena } from '../support/kernel-arena.ts';

/** Sorts `values`, which lie in the arena, with the arena's scratch. */
function sortIn(arena: ReturnType<typeof kernelArena>, values: Float64Array): void {
  const tmp = arena.place(new Float64Array(values.length));
  const counts = arena.place(new Uint32Array(8 * 256));
  arena.kernels.sortValues(values.byteOffset, values.length, tmp.byteOffset, counts.byteOffset);
}

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

it('sorts as Float64Array.prototype.sort does, -0 before +0', () => {
  const rng = new Rng(9);
  const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE];
  for (const n of [0, 1, 2, 3, 17, 1000, 70_000]) {
    const values = Float64Array.from({ length: n }, (_, i) => {
      const pick = rng.next();
      if (pick < 0.1) return special[i % special.length];
      if (pick < 0.4) return rng.int(20) - 10; // ties
      return rng.normal() * 10 ** (rng.int(40) - 20);
    });
    const expected = values.slice().sort();
    const arena = kernelArena();
    const placed = arena.place(values);
    sortIn(arena, placed);
    expect(same(placed, expected)).toBe(true);
  }
});

it('sorts values that share their top bits, and a view into a larger buffer, in place', () => {
  const rng = new Rng(10);
  const arena = kernelArena();
  const buffer = arena.place(new Float64Array(5000));
  for (let i = 0; i < buffer.length; i++) buffer[i] = 1 + rng.next();
  const view = buffer.subarray(1000, 4000);
  const expected = view.slice().sort();
  const outside = [buffer.slice(0, 1000), buffer.slice(4000)];
  sortIn(arena, view);
  expect(same(view, expected)).toBe(true);
  expect(same(buffer.subarray(0, 1000), outside[0]) && same(buffer.subarray(4000), outside[1])).toBe(true);
});
