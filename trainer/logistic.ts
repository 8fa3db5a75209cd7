// L2-regularised logistic regression with an intercept, fitted by Newton's
// method (IRLS) with a backtracking line search until the gradient vanishes.
// It minimises the same objective as scikit-learn's LogisticRegression(C):
//   ½‖w‖² + C · Σ sᵢ · logloss(yᵢ, σ(xᵢ·w + b))
// so coefficients agree with lbfgs to its tolerance. The intercept is not
// penalised. ml-logistic-regression has neither an intercept nor L2 and runs
// a fixed number of gradient steps, so it cannot meet that bar.

export interface LogisticOptions {
  /** Inverse regularisation strength, as scikit-learn's C. */
  C?: number;
  /** Per-row weights (e.g. balanced class weights). */
  sampleWeight?: Float64Array;
  maxIter?: number;
  /** Stop when the largest gradient component (of objective / C) falls below tol × n. */
  tol?: number;
}

export interface LogisticFit {
  weights: Float64Array;
  intercept: number;
  iterations: number;
  converged: boolean;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/** Weights that make both classes count equally, as class_weight='balanced'. */
export function balancedWeights(y: Uint8Array): Float64Array {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i];
  const neg = y.length - pos;
  const wPos = y.length / (2 * Math.max(pos, 1));
  const wNeg = y.length / (2 * Math.max(neg, 1));
  return Float64Array.from(y, (v) => (v ? wPos : wNeg));
}

/** X is n×d row-major; y holds 0/1. */
export function fitLogistic(X: Float64Array, n: number, d: number, y: Uint8Array, options: LogisticOptions = {}): LogisticFit {
  const C = options.C ?? 1;
  const lambda = 1 / C;
  const s = options.sampleWeight;
  const maxIter = options.maxIter ?? 100;
  const tol = options.tol ?? 1e-10;
  const m = d + 1; // last slot is the intercept
  const beta = new Float64Array(m);
  const grad = new Float64Array(m);
  const H = new Float64Array(m * m);
  const step = new Float64Array(m);
  const z = new Float64Array(n);
  const trial = new Float64Array(m);

  const margins = (b: Float64Array, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let v = b[d];
      const row = i * d;
      for (let j = 0; j < d; j++) v += X[row + j] * b[j];
      out[i] = v;
    }
  };
  const objective = (b: Float64Array, zz: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const l = softplus(zz[i]) - (y[i] ? zz[i] : 0);
      loss += s ? s[i] * l : l;
    }
    let pen = 0;
    for (let j = 0; j < d; j++) pen += b[j] * b[j];
    return 0.5 * pen + C * loss;
  };

  margins(beta, z);
  let f = objective(beta, z);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIter; iterations++) {
    // Gradient and Hessian (upper triangle, mirrored after), scaled by 1/C to keep them O(n).
    grad.fill(0);
    H.fill(0);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(z[i]);
      const wi = s ? s[i] : 1;
      const r = wi * (p - (y[i] ? 1 : 0));
      const h = wi * p * (1 - p);
      const row = i * d;
      for (let a = 0; a < d; a++) {
        const xa = X[row + a];
        grad[a] += r * xa;
        const hx = h * xa;
        const ha = a * m;
        for (let b = a; b < d; b++) H[ha + b] += hx * X[row + b];
        H[ha + d] += hx;
      }
      grad[d] += r;
      H[d * m + d] += h;
    }
    let gmax = 0;
    for (let j = 0; j < m; j++) {
      if (j < d) {
        grad[j] += lambda * beta[j];
        H[j * m + j] += lambda;
      }
      gmax = Math.max(gmax, Math.abs(grad[j]));
    }
    if (gmax <= tol * Math.max(1, n)) { converged = true; break; }
    for (let a = 0; a < m; a++) for (let b = a + 1; b < m; b++) H[b * m + a] = H[a * m + b];
    choleskySolve(H, grad, step, m);

    // Backtracking line search: Newton steps can overshoot on near-separable data.
    let t = 1;
    let fNew = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let j = 0; j < m; j++) trial[j] = beta[j] - t * step[j];
      margins(trial, z);
      fNew = objective(trial, z);
      if (fNew <= f) break;
      t *= 0.5;
    }
    const improvement = f - fNew;
    beta.set(trial);
    f = fNew;
    if (improvement >= 0 && improvement <= 1e-14 * Math.max(1, Math.abs(f))) { converged = true; iterations++; break; }
  }
  return { weights: beta.slice(0, d), intercept: beta[d], iterations, converged };
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

export function predictLogistic(X: Float64Array, n: number, d: number, fit: { weights: ArrayLike<number>; intercept: number }): Float64Array {
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = fit.intercept;
    const row = i * d;
    for (let j = 0; j < d; j++) v += X[row + j] * fit.weights[j];
    p[i] = sigmoid(v);
  }
  return p;
}
