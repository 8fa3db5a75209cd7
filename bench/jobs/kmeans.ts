// k-means on a .f64 matrix: `npx tsx bench/jobs/kmeans.ts <file> <d> <k> <restarts> <seed> [rows]`.
// Prints wall time of fitKMeans (data loaded and the thread pool started, as
// scikit-learn's fit finds its data and OpenMP threads), the fit, peak RSS and threads.
import { fitKMeans } from '../../trainer/estimators/kmeans/restarts.ts';
import { parallelSettings, prestartWorkers } from '../../trainer/parallel/pool.ts';
import { peakRssMB, readF64Shared } from '../lib/io.ts';

prestartWorkers();

const [file, dArg, kArg, restartsArg, seedArg, rowsArg] = process.argv.slice(2);
const d = Number(dArg);
let data = readF64Shared(file);
if (rowsArg) data = data.subarray(0, Number(rowsArg) * d);
const n = data.length / d;
const t = performance.now();
const fit = fitKMeans({ data, n, d }, { k: Number(kArg), restarts: Number(restartsArg), seed: Number(seedArg) });
const ms = performance.now() - t;
console.log(
  JSON.stringify({
    ms,
    inertia: fit.inertia,
    iterations: fit.iterations,
    peakRssMB: peakRssMB(),
    threads: parallelSettings().threads,
    rawMB: (n * d * 8) / 1e6,
  }),
);
