// Dense row-major matrices as plain data, so the clustering code can loop over
// one Float64Array instead of allocating an object per row.

export interface Matrix {
  /** Row-major n × d values: row i is data[i*d .. i*d + d). */
  data: Float64Array;
  n: number;
  d: number;
}

export function matrix(data: Float64Array, n: number, d: number): Matrix {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) {
    throw new Error(`matrix: bad shape ${n}×${d}`);
  }
  if (data.length !== n * d) {
    throw new Error(`matrix: ${data.length} values do not make a ${n}×${d} matrix`);
  }
  return { data, n, d };
}

export function fromRows(rows: ArrayLike<number>[]): Matrix {
  const n = rows.length;
  if (n === 0) throw new Error('fromRows: no rows');
  const d = rows[0].length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== d) throw new Error(`fromRows: row ${i} has ${r.length} values, expected ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = r[j];
  }
  return { data, n, d };
}

export function toRows(data: Float64Array, n: number, d: number): number[][] {
  const rows: number[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = Array.from(data.subarray(i * d, i * d + d));
  return rows;
}

/** The rows `idx` of X as a new matrix. */
export function takeRows(X: Matrix, idx: ArrayLike<number>): Matrix {
  const { d } = X;
  const m = idx.length;
  const data = new Float64Array(m * d);
  const src = X.data;
  // A plain copy loop: a subarray view per row cost more than copying its few values.
  for (let r = 0, o = 0; r < m; r++) for (let s = idx[r] * d, e = s + d; s < e; ) data[o++] = src[s++];
  return { data, n: m, d };
}

/** Mean of each column's population variance; scales k-means' tolerance like scikit-learn. */
export function meanColumnVariance(X: Matrix): number {
  const { data, n, d } = X;
  if (n === 0) return 0;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const b = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[b + j] - mean[j];
      ss += t * t;
    }
  }
  return ss / (n * d);
}

/** Adds each row of X to its cluster's sums (k × d, row-major) and counts it, in row order. */
export function addToClusterSums(
  X: Matrix,
  labels: Int32Array,
  sums: Float64Array,
  counts: Int32Array | Float64Array,
): void {
  const { data, n, d } = X;
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    counts[c]++;
    const o = c * d;
    const b = i * d;
    for (let j = 0; j < d; j++) sums[o + j] += data[b + j];
  }
}

/**
 * Cluster sizes and the means of the points in each cluster (an empty cluster
 * keeps a zero centroid).
 */
export function clusterMeans(X: Matrix, labels: Int32Array, k: number): { centroids: Float64Array; sizes: Int32Array } {
  const { d } = X;
  const centroids = new Float64Array(k * d);
  const sizes = new Int32Array(k);
  addToClusterSums(X, labels, centroids, sizes);
  for (let c = 0; c < k; c++) {
    if (sizes[c] === 0) continue;
    const inv = 1 / sizes[c];
    for (let j = 0; j < d; j++) centroids[c * d + j] *= inv;
  }
  return { centroids, sizes };
}

/**
 * Renumber clusters so ids do not depend on the order the algorithm happened
 * to find them in: largest cluster first, ties broken by the centroid's
 * coordinates (first, then the next, …), then by the old id. Same data and seed
 * therefore give the same segment ids.
 */
export function canonicalise(
  labels: Int32Array,
  centroids: Float64Array,
  k: number,
  d: number,
): { labels: Int32Array; centroids: Float64Array; sizes: Int32Array } {
  const sizes = new Int32Array(k);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const order = Array.from({ length: k }, (_, c) => c).sort((a, b) => {
    if (sizes[a] !== sizes[b]) return sizes[b] - sizes[a];
    for (let j = 0; j < d; j++) {
      const diff = centroids[a * d + j] - centroids[b * d + j];
      if (diff !== 0) return diff;
    }
    return a - b;
  });
  const newId = new Int32Array(k);
  const outCentroids = new Float64Array(k * d);
  const outSizes = new Int32Array(k);
  for (let r = 0; r < k; r++) {
    newId[order[r]] = r;
    outCentroids.set(centroids.subarray(order[r] * d, order[r] * d + d), r * d);
    outSizes[r] = sizes[order[r]];
  }
  const outLabels = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) outLabels[i] = newId[labels[i]];
  return { labels: outLabels, centroids: outCentroids, sizes: outSizes };
}
