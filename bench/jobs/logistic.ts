// L2 logistic regression on a .f64 matrix and its labels:
// `npx tsx bench/jobs/logistic.ts <x> <y> <d> <C> [reps] [rows]` — the median of `reps` fits
// after one warm-up fit (as scikit-learn's side does).
import { fitLogistic } from '../../trainer/estimators/logistic.ts';
import { readF64Shared, readU8 } from '../lib/io.ts';
import { median } from '../rule.ts';

const [xFile, yFile, dArg, cArg, repsArg = '1', rowsArg] = process.argv.slice(2);
const d = Number(dArg);
let X = readF64Shared(xFile);
if (rowsArg) X = X.subarray(0, Number(rowsArg) * d);
const n = X.length / d;
const y = readU8(yFile).subarray(0, n);
const times: number[] = [];
let fit = fitLogistic(X, n, d, y, { C: Number(cArg) });
for (let r = 0; r < Number(repsArg); r++) {
  const t = performance.now();
  fit = fitLogistic(X, n, d, y, { C: Number(cArg) });
  times.push(performance.now() - t);
}
let correct = 0;
for (let i = 0; i < n; i++) {
  let z = fit.intercept;
  for (let j = 0; j < d; j++) z += X[i * d + j] * fit.weights[j];
  if ((z >= 0 ? 1 : 0) === y[i]) correct++;
}
console.log(
  JSON.stringify({
    ms: median(times),
    coef: Array.from(fit.weights),
    intercept: fit.intercept,
    iterations: fit.iterations,
    accuracy: correct / n,
  }),
);
