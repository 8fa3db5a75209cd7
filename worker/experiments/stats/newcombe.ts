// Newcombe's hybrid score interval for a difference of two independent
// proportions (Newcombe 1998, "Interval estimation for the difference between
// independent proportions", Statistics in Medicine 17:873–890, method 10): it
// combines the two Wilson intervals, and keeps close to nominal coverage where
// the Wald interval for p1 − p2 is too narrow (small counts, rare conversions).
import { type Interval, wilsonInterval, Z95 } from './wilson.ts';

/** Interval for p1 − p2 from x1/n1 and x2/n2 (both n > 0). */
export function newcombeDifference(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const d = p1 - p2;
  return {
    lo: d - Math.sqrt((p1 - w1.lo) ** 2 + (w2.hi - p2) ** 2),
    hi: d + Math.sqrt((w1.hi - p1) ** 2 + (p2 - w2.lo) ** 2),
  };
}
