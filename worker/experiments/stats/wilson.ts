// Wilson's score interval for one proportion (Wilson 1927): good coverage even
// for small counts and rates near 0 or 1, where the Wald interval fails. It is
// the building block of Newcombe's and MOVER-R intervals below.

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  lo: number;
  hi: number;
}

/** Wilson interval for `x` successes out of `n` (n > 0). */
export function wilsonInterval(x: number, n: number, z = Z95): Interval {
  const p = x / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  // Clamp rounding noise: the exact limits are 0 at x = 0 and 1 at x = n.
  return { lo: Math.max(0, (centre - spread) / denom), hi: Math.min(1, (centre + spread) / denom) };
}
