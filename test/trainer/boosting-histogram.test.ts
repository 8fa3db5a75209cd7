// The histogram kernels (four, two and one column a pass; the root with its
// counts made once per fit) against the plainest loop: one row and one
// column at a time, adding in row order. Sums must agree to the bit, since
// a fit's trees depend on every bin's exact value.
import { expect, it } from 'vitest';
import {
  buildNode,
  buildRoot,
  gatherGradients,
  histogramLayout,
  rootCounts,
} from '../../trainer/estimators/boosting/histogram.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { kernelArena } from '../support/kernel-arena.ts';

/** d columns of n codes (bins[j] value bins plus the missing bin), gradients and hessians as pairs. */
function table(n: number, bins: number[], seed: number) {
  const rng = new Rng(seed);
  const codes = bins.map((b) => Uint8Array.from({ length: n }, () => rng.int(b + 1)));
  const gh = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? rng.next() - 0.7 : rng.next() * 0.25));
  return { codes, gh, ...histogramLayout(bins) };
}

function plain(codes: Uint8Array[], off: Int32Array, size: number, rows: ArrayLike<number>, gh: Float32Array) {
  const out = new Float64Array(size);
  codes.forEach((c, j) => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const b = (off[j] + c[r]) * 3;
      out[b] += gh[2 * r];
      out[b + 1] += gh[2 * r + 1];
      out[b + 2] += 1;
    }
  });
  return out;
}

// 1 to 7 columns: every mix of the four-, two- and one-column loops.
it.each([1, 2, 3, 4, 5, 6, 7])('builds %i columns of a root and of a node as the plain loop does, to the bit', (d) => {
  const n = 5000;
  const bins = [255, 2, 17, 1, 64, 3, 200].slice(0, d);
  const { codes, gh, off, size } = table(n, bins, d);
  const { kernels, place } = kernelArena();
  const [inCodes, inGh] = [codes.map(place), place(gh)];
  const all = Uint32Array.from({ length: n }, (_, i) => i);
  const root = place(new Float64Array(size));
  buildRoot(kernels, inCodes, off, rootCounts(codes, off, size), n, inGh, root, 0, d);
  expect(root).toEqual(plain(codes, off, size, all, gh));

  // A node: every third row and a few more, in ascending order, as a partition leaves them.
  const rows = all.filter((r) => r % 3 === 0 || r % 7 === 1);
  const at = 100;
  const padded = new Uint32Array(at + rows.length);
  padded.set(rows, at);
  const inRows = place(padded);
  const ordered = place(new Float32Array(2 * rows.length));
  gatherGradients(kernels, inRows, at, at + rows.length, inGh, ordered, 0);
  const node = place(new Float64Array(size).fill(7));
  buildNode(kernels, inCodes, off, inRows, at, rows.length, ordered, node, 0, d);
  expect(node).toEqual(plain(codes, off, size, rows, gh));
});

it('builds a range of columns without touching the others', () => {
  const bins = [10, 20, 30, 40, 50];
  const { codes, gh, off, size } = table(2000, bins, 9);
  const rows = Uint32Array.from({ length: 2000 }, (_, i) => i);
  const whole = plain(codes, off, size, rows, gh);
  const { kernels, place } = kernelArena();
  const out = place(new Float64Array(size).fill(-1));
  buildRoot(kernels, codes.map(place), off, rootCounts(codes, off, size), 2000, place(gh), out, 1, 4);
  const [from, to] = [off[1] * 3, off[4] * 3];
  expect(out.subarray(from, to)).toEqual(whole.subarray(from, to));
  expect(out.subarray(0, from).every((v) => v === -1)).toBe(true);
  expect(out.subarray(to).every((v) => v === -1)).toBe(true);
});
