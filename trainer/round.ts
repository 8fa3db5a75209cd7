// Rounding for the exported model: six significant digits keep scores within
// ~1e-6 of the unrounded fit while keeping the JSON compact.
export function roundSig(v: number, digits = 6): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(digits));
}

export function roundTo(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

export const roundAll = (a: ArrayLike<number>, digits = 6): number[] => Array.from(a, (v) => roundSig(v, digits));
