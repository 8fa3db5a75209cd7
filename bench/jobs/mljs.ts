// The design card's mljs packages on the same data, as the benchmark's "mljs"
// baseline (they stay the tests' oracles: same seed → same inertia and axes).
//   kmeans <x> <d> <rows> <k> <restarts>   ml-kmeans, best inertia of `restarts` seeds (k-means++, its defaults)
//   pca <x> <d>                            ml-pca fit, then predict (projection) of every row
//   logistic <x> <y> <d>                   ml-logistic-regression with its defaults (50,000 gradient steps, no intercept, no L2)
import { kmeans } from 'ml-kmeans';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { PCA } from 'ml-pca';
import { readF64Shared, readU8 } from '../lib/io.ts';

const [job, ...args] = process.argv.slice(2);
const rowsOf = (data: Float64Array, n: number, d: number) =>
  Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * d, i * d + d)));

if (job === 'kmeans') {
  const [xFile, dArg, rowsArg, kArg, restartsArg] = args;
  const d = Number(dArg);
  const n = Number(rowsArg);
  const rows = rowsOf(readF64Shared(xFile), n, d);
  const t = performance.now();
  let best = Infinity;
  for (let seed = 0; seed < Number(restartsArg); seed++) {
    const res = kmeans(rows, Number(kArg), { seed, initialization: 'kmeans++' });
    let inertia = 0;
    rows.forEach((r, i) => {
      const c = res.centroids[res.clusters[i]];
      for (let j = 0; j < d; j++) inertia += (r[j] - c[j]) ** 2;
    });
    best = Math.min(best, inertia);
  }
  console.log(
    JSON.stringify({ ms: performance.now() - t, inertia: best, peakRssMB: process.resourceUsage().maxRSS / 1024 }),
  );
} else if (job === 'pca') {
  const [xFile, dArg] = args;
  const d = Number(dArg);
  const data = readF64Shared(xFile);
  const rows = rowsOf(data, data.length / d, d);
  const t = performance.now();
  const pca = new PCA(rows);
  const t1 = performance.now();
  pca.predict(rows, { nComponents: 2 });
  console.log(
    JSON.stringify({
      fitMs: t1 - t,
      transformMs: performance.now() - t1,
      explained: pca.getExplainedVariance().slice(0, 2),
    }),
  );
} else if (job === 'logistic') {
  const [xFile, yFile, dArg] = args;
  const d = Number(dArg);
  const data = readF64Shared(xFile);
  const n = data.length / d;
  const y = readU8(yFile);
  const X = new Matrix(rowsOf(data, n, d));
  const Y = Matrix.columnVector(Array.from(y));
  const t = performance.now();
  const lr = new LogisticRegression();
  lr.train(X, Y);
  const ms = performance.now() - t;
  const pred = lr.predict(X);
  let correct = 0;
  for (let i = 0; i < n; i++) if (pred[i] === y[i]) correct++;
  console.log(JSON.stringify({ ms, accuracy: correct / n }));
} else throw new Error(`unknown job ${job}`);
