// The mixture sequential probability ratio test (mSPRT) of Johari, Koomen,
// Pekelis & Walsh, "Peeking at A/B tests: why it matters, and what to do about
// it" (KDD 2017) and "Always valid inference" (Operations Research 70, 2022) —
// the test behind Optimizely's Stats Engine. The difference of conversion
// rates is treated as normal, θ̂ ~ N(θ, s²), and the alternative as a normal
// mixture θ ~ N(0, τ²). Its likelihood ratio against θ = 0,
//   Λ = sqrt(s² / (s² + τ²)) · exp(τ² θ̂² / (2 s² (s² + τ²))),
// is a martingale under the null, so by Ville's inequality
// P(Λ ever reaches 1/α) ≤ α: the p-value min(1, 1/Λ) may be read after every
// visitor without inflating false positives.

/**
 * The mixing standard deviation τ, in rate units: 0.02 (τ² = 0.0004), two
 * points of conversion, the size of uplift a personalisation typically makes.
 * The test is valid for any τ; τ only sets where it is most powerful.
 */
export const MIXING_SD = 0.02;

/** Always-valid p-value for "the two conversion rates differ", from the counts now. */
export function msprtPValue(x1: number, n1: number, x2: number, n2: number, tau = MIXING_SD): number {
  if (n1 === 0 || n2 === 0) return 1;
  // Pooled variance: the variance of θ̂ under the null being tested (θ = 0).
  const pooled = (x1 + x2) / (n1 + n2);
  const s2 = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (s2 === 0) return 1;
  const diff = x1 / n1 - x2 / n2;
  const t2 = tau * tau;
  const logLambda = 0.5 * Math.log(s2 / (s2 + t2)) + (t2 * diff * diff) / (2 * s2 * (s2 + t2));
  return Math.min(1, Math.exp(-logLambda));
}
