// Principal components for the segment map: eigenvectors of the d×d
// covariance (d is small, n may be large, so one pass over the rows and a
// Jacobi solve beats an SVD of the n×d data).
import type { Matrix } from './matrix.ts';

export interface PCAOptions {
  components?: number;
}

export interface PCAFit {
  /** Column means subtracted before projecting. */
  mean: Float64Array;
  /** Unit principal axes, largest variance first; each has its largest-|value| entry positive. */
  components: Float64Array[];
  /** Share of the total variance each returned axis explains. */
  explainedVarianceRatio: number[];
}

export function fitPCA(X: Matrix, options: PCAOptions = {}): PCAFit {
  const { components = 2 } = options;
  const { data, n, d } = X;
  if (!Number.isInteger(components) || components < 1 || components > d) {
    throw new Error(`fitPCA: components must be an integer in 1..${d}, got ${components}`);
  }
  if (n < 2) throw new Error(`fitPCA: need at least 2 rows, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;

  // Upper triangle of the scatter matrix, from centred rows (no cancellation from huge means).
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const b = i * d;
    for (let j = 0; j < d; j++) row[j] = data[b + j] - mean[j];
    for (let p = 0; p < d; p++) {
      const rp = row[p];
      if (rp === 0) continue;
      const o = p * d;
      for (let q = p; q < d; q++) cov[o + q] += rp * row[q];
    }
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = cov[p * d + q] / (n - 1);
      cov[p * d + q] = v;
      cov[q * d + p] = v;
    }
  }

  const { values, vectors } = symmetricEigen(cov, d);
  let total = 0;
  for (let j = 0; j < d; j++) total += Math.max(values[j], 0);
  const axes: Float64Array[] = [];
  const ratios: number[] = [];
  for (let c = 0; c < components; c++) {
    const axis = new Float64Array(d);
    for (let j = 0; j < d; j++) axis[j] = vectors[j * d + c];
    // Eigenvectors have no intrinsic sign; fix one so refits give the same map.
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(axis[j]) > Math.abs(axis[big])) big = j;
    if (axis[big] < 0) for (let j = 0; j < d; j++) axis[j] = -axis[j];
    axes.push(axis);
    ratios.push(total > 0 ? Math.max(values[c], 0) / total : 0);
  }
  return { mean, components: axes, explainedVarianceRatio: ratios };
}

/** Row i's coordinates on each component: out[i*m + c], m = pca.components.length. */
export function projectRows(X: Matrix, pca: PCAFit): Float64Array {
  const { data, n, d } = X;
  const { mean, components } = pca;
  if (mean.length !== d) throw new Error(`projectRows: model has ${mean.length} columns, data has ${d}`);
  const m = components.length;
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const b = i * d;
    for (let c = 0; c < m; c++) {
      const axis = components[c];
      let s = 0;
      for (let j = 0; j < d; j++) s += (data[b + j] - mean[j]) * axis[j];
      out[i * m + c] = s;
    }
  }
  return out;
}

/**
 * Eigen-decomposition of a symmetric d×d matrix (row-major) by cyclic Jacobi
 * rotations: slow in d³ but simple and accurate for the d ≤ ~200 we have.
 * Values come sorted descending; vectors[j*d + c] is entry j of vector c.
 */
export function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let j = 0; j < d; j++) v[j * d + j] = 1;
  let norm = 0;
  for (let t = 0; t < d * d; t++) norm += a[t] * a[t];

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] * a[p * d + q];
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q]; the smaller root keeps it stable.
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < d; r++) {
          const arp = a[r * d + p];
          const arq = a[r * d + q];
          a[r * d + p] = c * arp - s * arq;
          a[r * d + q] = s * arp + c * arq;
        }
        for (let r = 0; r < d; r++) {
          const apr = a[p * d + r];
          const aqr = a[q * d + r];
          a[p * d + r] = c * apr - s * aqr;
          a[q * d + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < d; r++) {
          const vrp = v[r * d + p];
          const vrq = v[r * d + q];
          v[r * d + p] = c * vrp - s * vrq;
          v[r * d + q] = s * vrp + c * vrq;
        }
      }
    }
  }

  const order = Array.from({ length: d }, (_, j) => j).sort((x, y) => a[y * d + y] - a[x * d + x] || x - y);
  const values = new Float64Array(d);
  const vectors = new Float64Array(d * d);
  for (let c = 0; c < d; c++) {
    const src = order[c];
    values[c] = a[src * d + src];
    for (let j = 0; j < d; j++) vectors[j * d + c] = v[j * d + src];
  }
  return { values, vectors };
}
