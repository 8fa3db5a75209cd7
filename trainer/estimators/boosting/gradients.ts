// The log-loss gradients of a boosted fit: per row, p − y and p(1 − p) with
// p = sigmoid(F), kept as float32 (as scikit-learn keeps them; the
// histograms add them in float64). The pass runs once per tree over every
// fit row; it is kernels.wat's "gradients", with its own e^x: branch-free,
// exact to ~1.4 ulp (tested against Math.exp), and the fit stays
// deterministic. With Math.exp and a branch on F's sign the pass took ~20 ns
// a row in V8; in JavaScript with that exp, 9–14 ns, and in WebAssembly, two
// rows at a time in f64x2 lanes, ~3.8 ns (800k rows, side by side). The results are
// the JavaScript exp's to the bit but for subnormal ones (x < −708), which
// are within an ulp of the least double and make the same float32 gradients.
import type { Kernels } from './kernels.ts';

/** 2^(i/128), i = 0..127: the table the exp reads, copied into each fit's memory (./memory.ts). */
export const EXP_TABLE = Float64Array.from({ length: 128 }, (_, i) => 2 ** (i / 128));

/**
 * Gradients and hessians of rows i0..i1-1 from raw scores F and labels y,
 * into gh (pairs g, h, rounded to float32). Every array lies in the
 * kernels' memory, `table` holding EXP_TABLE.
 */
export function logLossGradients(
  k: Kernels,
  F: Float64Array,
  y: Uint8Array,
  gh: Float32Array,
  table: Float64Array,
  i0: number,
  i1: number,
): void {
  k.gradients(F.byteOffset + 8 * i0, y.byteOffset + i0, gh.byteOffset + 8 * i0, i1 - i0, table.byteOffset);
}
