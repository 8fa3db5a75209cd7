// Boosted-trees fit on a .f64 matrix and its labels:
// `npx tsx bench/jobs/boost.ts <x> <y> <d> <trainRows>` — fits on the first
// trainRows rows (100 iterations, 31 leaves, learning rate 0.1, 255 bins, no
// early stopping, as the scikit-learn side) and measures held-out ROC-AUC on the rest.
// On as many of the pool's threads as `train` would use for the same fit
// (trainer/estimators/boosting/threads.ts), started as `train` starts them.
import { BOOST_DEFAULTS, fitBoosted, predictBoosted } from '../../trainer/estimators/boosting/boost.ts';
import { rocAuc } from '../../trainer/estimators/metrics.ts';
import { readF64Shared, readU8 } from '../lib/io.ts';

const [xFile, yFile, dArg, trainArg] = process.argv.slice(2);
const d = Number(dArg);
const X = readF64Shared(xFile);
const n = X.length / d;
const y = readU8(yFile).subarray(0, n);
// Column-major, as the trainer holds tree values.
const columns = Array.from({ length: d }, (_, j) => {
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) col[i] = X[i * d + j];
  return col;
});
const data = {
  columns,
  kinds: columns.map(() => 'number' as const),
  levels: columns.map(() => 0),
  use: columns.map(() => true),
};
const trainRows = Number(trainArg);
const train = Uint32Array.from({ length: trainRows }, (_, i) => i);
const test = Uint32Array.from({ length: n - trainRows }, (_, i) => trainRows + i);
const t = performance.now();
const cpu = process.cpuUsage();
const fit = fitBoosted(data, y, train, { ...BOOST_DEFAULTS, earlyStopping: false }, 0);
const ms = performance.now() - t;
// CPU time of every thread of the process, user + system, as Python's process_time.
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
const p = predictBoosted(fit, data, test);
console.log(
  JSON.stringify({
    ms,
    cpuMs,
    auc: rocAuc(y.subarray(trainRows), p),
    trees: fit.trees.length,
    threads: fit.threads,
    leaves: fit.trees.reduce((s, tr) => s + tr.leaf.length, 0) / fit.trees.length,
  }),
);
