// The numeric kernels that the trainer and the scorer share. One copy of each,
// so the promise that the edge answers as the trainer measured rests on one
// summation order, not on two copies kept in step.

/** Numerically stable logistic function. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1 + e^z) without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Σ w[j]·x[j] for j < d, one sum in index order. */
export function dot(w: ArrayLike<number>, x: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += w[j] * x[j];
  return s;
}

/**
 * Σ w[t]·v[o+t] for t < len as four interleaved sums: independent chains the
 * processor runs side by side. Rounds differently from `dot`; the logistic
 * fit uses this one throughout.
 */
export function dot4(w: Float64Array, v: Float64Array, o: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (const end = len & ~3; t < end; t += 4) {
    s0 += w[t] * v[o + t];
    s1 += w[t + 1] * v[o + t + 1];
    s2 += w[t + 2] * v[o + t + 2];
    s3 += w[t + 3] * v[o + t + 3];
  }
  for (; t < len; t++) s0 += w[t] * v[o + t];
  return s0 + s1 + (s2 + s3);
}

/**
 * Squared Euclidean distance between a[ao..ao+d) and b[bo..bo+d). Unrolled by
 * four (V8 does not unroll loops of unknown length); one accumulator keeps the
 * plain loop's rounding, which every distance below shares.
 */
export function sqDist(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, d: number): number {
  let s = 0;
  let j = 0;
  for (const end = d & ~3; j < end; j += 4) {
    const t0 = a[ao + j] - b[bo + j];
    const t1 = a[ao + j + 1] - b[bo + j + 1];
    const t2 = a[ao + j + 2] - b[bo + j + 2];
    const t3 = a[ao + j + 3] - b[bo + j + 3];
    s += t0 * t0;
    s += t1 * t1;
    s += t2 * t2;
    s += t3 * t3;
  }
  for (; j < d; j++) {
    const t = a[ao + j] - b[bo + j];
    s += t * t;
  }
  return s;
}

/**
 * Squared distances from row a[ao..ao+d) to the m rows of `rows` starting at
 * rows[ro] (row-major, d apart), into out[0..m). Four sums run side by side,
 * each adding its terms in sqDist's order, so out[c] equals
 * sqDist(a, ao, rows, ro + c·d, d) bit for bit.
 */
export function distancesTo(
  a: Float64Array,
  ao: number,
  rows: Float64Array,
  ro: number,
  m: number,
  d: number,
  out: Float64Array,
): void {
  let c = 0;
  for (; c + 4 <= m; c += 4) {
    const o0 = ro + c * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < d; j++) {
      const x = a[ao + j];
      const t0 = x - rows[o0 + j];
      const t1 = x - rows[o1 + j];
      const t2 = x - rows[o2 + j];
      const t3 = x - rows[o3 + j];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    out[c] = s0;
    out[c + 1] = s1;
    out[c + 2] = s2;
    out[c + 3] = s3;
  }
  if (c + 2 <= m) {
    const o0 = ro + c * d;
    const o1 = o0 + d;
    let s0 = 0;
    let s1 = 0;
    for (let j = 0; j < d; j++) {
      const x = a[ao + j];
      const t0 = x - rows[o0 + j];
      const t1 = x - rows[o1 + j];
      s0 += t0 * t0;
      s1 += t1 * t1;
    }
    out[c] = s0;
    out[c + 1] = s1;
    c += 2;
  }
  if (c < m) out[c] = sqDist(a, ao, rows, ro + c * d, d);
}

/**
 * Index of the centroid nearest to x[xo..xo+d) (squared distance; ties go to
 * the lower index). The trainer assigns its rows and the scorer settles near
 * ties with this one function.
 */
export function nearestCentroid(centroids: Float64Array, k: number, d: number, x: ArrayLike<number>, xo = 0): number {
  let best = 0;
  let bestDist = Infinity;
  for (let c = 0; c < k; c++) {
    const dist = sqDist(x, xo, centroids, c * d, d);
    if (dist < bestDist) {
      bestDist = dist;
      best = c;
    }
  }
  return best;
}
