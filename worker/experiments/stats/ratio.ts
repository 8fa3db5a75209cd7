// Interval for a ratio of two independent proportions by MOVER on the log
// scale (Zou & Donner 2008, "Construction of confidence limits about effect
// measures: a general approach", Statistics in Medicine 27:1693–1702, §3.2):
// log(p1/p2) = log p1 − log p2, each with its Wilson limits, recombined like
// Newcombe's difference. Relative uplift is the ratio minus one, so its
// interval is this one shifted by one.
import { type Interval, wilsonInterval, Z95 } from './wilson.ts';

/**
 * Interval for p1 / p2, or null when x2 = 0 (no control conversions: the ratio
 * is unbounded). With x1 = 0 the estimate is 0 and the log scale has no
 * centre; the interval is then the conservative [0, u1 / l2].
 */
export function ratioInterval(x1: number, n1: number, x2: number, n2: number, z = Z95): Interval | null {
  if (x2 === 0) return null;
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  if (x1 === 0) return { lo: 0, hi: a.hi / b.lo };
  const l1 = Math.log(x1 / n1);
  const l2 = Math.log(x2 / n2);
  const centre = l1 - l2;
  const down = Math.sqrt((l1 - Math.log(a.lo)) ** 2 + (Math.log(b.hi) - l2) ** 2);
  // a.hi is 1 when x1 = n1; the log of it is 0, which is still a finite limit.
  const up = Math.sqrt((Math.log(a.hi) - l1) ** 2 + (l2 - Math.log(b.lo)) ** 2);
  return { lo: Math.exp(centre - down), hi: Math.exp(centre + up) };
}
