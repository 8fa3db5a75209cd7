// Ward clustering of the first rows of a .f64 matrix: `npx tsx bench/jobs/ward.ts <x> <d> <rows> <k> [reps]`.
import { fitWard } from '../../trainer/estimators/ward.ts';
import { readF64Shared } from '../lib/io.ts';

const [xFile, dArg, rowsArg, kArg, repsArg = '1'] = process.argv.slice(2);
const d = Number(dArg);
const n = Number(rowsArg);
const X = { data: readF64Shared(xFile).subarray(0, n * d), n, d };
let best = Infinity;
let fit = fitWard(X, { k: Number(kArg) });
for (let r = 0; r < Number(repsArg); r++) {
  const t = performance.now();
  fit = fitWard(X, { k: Number(kArg) });
  best = Math.min(best, performance.now() - t);
}
const sizes = new Array<number>(Number(kArg)).fill(0);
for (const l of fit.labels) sizes[l]++;
console.log(JSON.stringify({ ms: best, sizes: sizes.sort((a, b) => b - a) }));
