// L2-regularised logistic regression with an intercept, fitted by Newton's
// method (IRLS) with a backtracking line search until the gradient vanishes.
// It minimises the same objective as scikit-learn's LogisticRegression(C):
//   ½‖w‖² + C · Σ sᵢ · logloss(yᵢ, σ(xᵢ·w + b))
// so coefficients agree with lbfgs to its tolerance. The intercept is not
// penalised. ml-logistic-regression has neither an intercept nor L2 and runs
// a fixed number of gradient steps, so it cannot meet that bar.
import { dot4, sigmoid, softplus } from '../../model/index.ts';
import { runParallel, shared, sharedFloat64, threadsFor } from '../parallel/pool.ts';

export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's C. */
  C?: number;
  /** Per-row weights (e.g. balanced class weights). */
  sampleWeight?: Float64Array;
  maxIter?: number;
  /** Stop when the largest gradient component (of objective / C) falls below tol × n. */
  tol?: number;
  /** Where Newton starts (zeros otherwise): a fit on similar rows starts close to the optimum. */
  start?: { weights: ArrayLike<number>; intercept: number };
  /**
   * Fit on these rows of X only (then n is their count and y is theirs):
   * a fold's rows are read straight into the column copy every fit makes anyway.
   */
  rows?: ArrayLike<number>;
}

export interface LogisticFit {
  weights: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
}

/** Weights that make both classes count equally, as class_weight='balanced'. */
export function balancedWeights(y: Uint8Array): Float64Array {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  const neg = y.length - pos;
  const wPos = y.length / (2 * Math.max(pos, 1));
  const wNeg = y.length / (2 * Math.max(neg, 1));
  return Float64Array.from(y, (v) => (v ? wPos : wNeg));
}

/** Rows per chunk: the unit of work a thread claims, small enough that the chunk's slice of every column stays in cache. */
const CHUNK = 2048;

/**
 * X is n×d row-major; y holds 0/1. Newton steps (IRLS): each iteration builds
 * the exact gradient and Hessian. The data is first copied column by column,
 * so that the Hessian — d(d+1)/2 weighted dot products between columns — runs
 * as streaming loops with independent sums, chunk by chunk while the chunk's
 * columns are in cache, instead of an n·d² scatter into the matrix. Chunks are
 * shared with worker threads on large inputs; their partial sums are added in
 * chunk order, so the fit does not depend on the number of threads.
 */
export function fitLogistic(
  X: Float64Array,
  n: number,
  d: number,
  y: Uint8Array,
  options: LogisticOptions = {},
): LogisticFit {
  const C = options.C ?? 1;
  const lambda = 1 / C;
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  const m = d + 1; // last slot is the intercept
  const rows = options.rows;
  if (rows && (rows.length !== n || X.length % d !== 0))
    throw new Error(`fitLogistic: ${rows.length} rows of a matrix of ${X.length} values given for ${n} rows of ${d}`);
  if (!rows && X.length !== n * d) throw new Error(`fitLogistic: ${X.length} values do not make a ${n}×${d} matrix`);
  const chunks = Math.ceil(n / CHUNK);
  // A pass costs about n·d(d+1)/2 for the Hessian.
  const threads = threadsFor((n * d * (d + 1)) / 2, chunks);
  const f64 = threads > 1 ? sharedFloat64 : (len: number) => new Float64Array(len);
  const cols = f64(n * d);
  for (let i = 0; i < n; i++) {
    const row = (rows ? rows[i] : i) * d;
    for (let a = 0; a < d; a++) cols[a * n + i] = X[row + a];
  }
  const args: LogisticArgs = {
    cols,
    y: threads > 1 ? shared(y) : y,
    weights: options.sampleWeight ? (threads > 1 ? shared(options.sampleWeight) : options.sampleWeight) : null,
    n,
    d,
    pass: 'loss',
    beta: f64(m),
    z: f64(n),
    partial: f64(chunks * (m + m * m)),
    loss: f64(chunks),
  };
  const run = (pass: LogisticArgs['pass']) =>
    runParallel('logistic-chunks', logisticChunks, { ...args, pass }, chunks, threads);
  const beta = args.beta;
  if (options.start) {
    for (let j = 0; j < d; j++) beta[j] = options.start.weights[j];
    beta[d] = options.start.intercept;
  }
  const grad = new Float64Array(m);
  const H = new Float64Array(m * m);
  const step = new Float64Array(m);
  const current = new Float64Array(m);

  /** Objective at args.beta (margins left in args.z). */
  const objective = () => {
    run('loss');
    let loss = 0;
    for (let c = 0; c < chunks; c++) loss += args.loss[c];
    let pen = 0;
    for (let j = 0; j < d; j++) pen += beta[j] * beta[j];
    return 0.5 * pen + C * loss;
  };

  let f = objective();
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    // Gradient and Hessian (upper triangle, mirrored after), scaled by 1/C to keep them O(n).
    run('newton');
    grad.fill(0);
    H.fill(0);
    const stride = m + m * m;
    for (let c = 0; c < chunks; c++) {
      const o = c * stride;
      for (let j = 0; j < m; j++) grad[j] += args.partial[o + j];
      for (let a = 0; a < m; a++) for (let b = a; b < m; b++) H[a * m + b] += args.partial[o + m + a * m + b];
    }
    let gmax = 0;
    for (let j = 0; j < m; j++) {
      if (j < d) {
        grad[j] += lambda * beta[j];
        H[j * m + j] += lambda;
      }
      gmax = Math.max(gmax, Math.abs(grad[j]));
    }
    if (gmax <= tol * Math.max(1, n)) {
      converged = true;
      break;
    }
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) H[b * m + a] = H[a * m + b];
    choleskySolve(H, grad, step, m);

    // Backtracking line search: Newton steps can overshoot on near-separable data.
    current.set(beta);
    let t = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < m; j++) beta[j] = current[j] - t * step[j];
      fNew = objective();
      if (fNew <= f) break;
      t *= 0.5;
    }
    const improvement = f - fNew;
    f = fNew;
    if (improvement >= 0 && improvement <= 1e-14 * Math.max(1, Math.abs(f))) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { weights: beta.slice(0, d), intercept: beta[d], iterations, converged };
}

export interface LogisticArgs {
  /** The data column by column: column a is cols[a·n .. a·n + n). */
  cols: Float64Array;
  y: Uint8Array;
  weights: Float64Array | null;
  n: number;
  d: number;
  /** 'loss': margins z = X·β + b and each chunk's loss; 'newton': each chunk's gradient and Hessian at z. */
  pass: 'loss' | 'newton';
  /** Coefficients, intercept last. */
  beta: Float64Array;
  z: Float64Array;
  /** Per chunk: gradient (d+1), then the Hessian's upper triangle in a (d+1)² block. */
  partial: Float64Array;
  loss: Float64Array;
}

/** The row chunks one thread claims, for one pass of fitLogistic. */
export function logisticChunks(a: LogisticArgs, _slot: number, claim: () => number): void {
  const { cols, y, weights: s, n, d, beta, z, partial, loss } = a;
  const m = d + 1;
  if (a.pass === 'loss') {
    for (let c = claim(); c >= 0; c = claim()) {
      const c0 = c * CHUNK;
      const c1 = Math.min(n, c0 + CHUNK);
      z.fill(beta[d], c0, c1);
      for (let j = 0; j < d; j++) {
        const w = beta[j];
        if (w === 0) continue;
        const o = j * n;
        for (let i = c0; i < c1; i++) z[i] += w * cols[o + i];
      }
      let l = 0;
      for (let i = c0; i < c1; i++) {
        const v = softplus(z[i]) - (y[i] ? z[i] : 0);
        l += s ? s[i] * v : v;
      }
      loss[c] = l;
    }
    return;
  }
  const residual = new Float64Array(CHUNK);
  const curvature = new Float64Array(CHUNK);
  const weighted = new Float64Array(CHUNK);
  for (let c = claim(); c >= 0; c = claim()) {
    const c0 = c * CHUNK;
    const len = Math.min(n, c0 + CHUNK) - c0;
    const o = c * (m + m * m);
    const h = o + m;
    let r0 = 0;
    let h0 = 0;
    for (let t = 0; t < len; t++) {
      const i = c0 + t;
      const p = sigmoid(z[i]);
      const wi = s ? s[i] : 1;
      const r = wi * (p - (y[i] ? 1 : 0));
      const hi = wi * p * (1 - p);
      residual[t] = r;
      curvature[t] = hi;
      r0 += r;
      h0 += hi;
    }
    partial[o + d] = r0;
    partial[h + d * m + d] = h0;
    for (let j = 0; j < d; j++) {
      const oj = j * n + c0;
      let g = 0;
      let hd = 0;
      for (let t = 0; t < len; t++) {
        const x = cols[oj + t];
        g += residual[t] * x;
        const hx = curvature[t] * x;
        weighted[t] = hx;
        hd += hx;
      }
      partial[o + j] = g;
      partial[h + j * m + d] = hd;
      for (let b = j; b < d; b++) partial[h + j * m + b] = dot4(weighted, cols, b * n + c0, len);
    }
  }
}

/** Solves A x = b for symmetric positive-definite A (m×m) in place of a copy. */
export function choleskySolve(A: Float64Array, b: Float64Array, x: Float64Array, m: number): void {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * m + j];
      for (let k = 0; k < j; k++) sum -= L[i * m + k] * L[j * m + k];
      if (i === j) L[i * m + i] = Math.sqrt(Math.max(sum, 1e-300));
      else L[i * m + j] = sum / L[j * m + j];
    }
  }
  for (let i = 0; i < m; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= L[i * m + k] * x[k];
    x[i] = sum / L[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let sum = x[i];
    for (let k = i + 1; k < m; k++) sum -= L[k * m + i] * x[k];
    x[i] = sum / L[i * m + i];
  }
}

export function predictLogistic(
  X: Float64Array,
  n: number,
  d: number,
  fit: { weights: ArrayLike<number>; intercept: number },
  /** Score these rows of X only (n is their count). */
  rows?: ArrayLike<number>,
): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = fit.intercept;
    const row = (rows ? rows[i] : i) * d;
    for (let j = 0; j < d; j++) v += X[row + j] * fit.weights[j];
    p[i] = sigmoid(v);
  }
  return p;
}
