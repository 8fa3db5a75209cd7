// PCA to 2-D on a .f64 matrix: `npx tsx bench/jobs/pca.ts <x> <d> [reps]` — fit and projecting every row, best of `reps`.
import { fitPCA, projectRows } from '../../trainer/estimators/pca.ts';
import { readF64Shared } from '../lib/io.ts';

const [xFile, dArg, repsArg = '1'] = process.argv.slice(2);
const d = Number(dArg);
const data = readF64Shared(xFile);
const X = { data, n: data.length / d, d };
let fitMs = Infinity;
let transformMs = Infinity;
let pca = fitPCA(X, { components: 2 });
for (let r = 0; r < Number(repsArg); r++) {
  const t = performance.now();
  pca = fitPCA(X, { components: 2 });
  const t1 = performance.now();
  projectRows(X, pca);
  fitMs = Math.min(fitMs, t1 - t);
  transformMs = Math.min(transformMs, performance.now() - t1);
}
console.log(JSON.stringify({ fitMs, transformMs, explained: pca.explainedVarianceRatio }));
