// The whole `npm run train`: `npx tsx bench/jobs/train.ts <out dir> <train arguments…>`.
// The same function the CLI runs, timed from the first byte read to the model written.
import { runTrain } from '../../trainer/cli/train.ts';
import { parallelSettings } from '../../trainer/parallel/pool.ts';
import { peakRssMB } from '../lib/io.ts';

const [out, ...args] = process.argv.slice(2);
const t = performance.now();
const run = await runTrain(
  [...args, '--out', out, '--seed', '42', '--trained-at', '2026-01-01T00:00:00Z', '--quiet'],
  () => {},
  { write: () => true },
);
const ms = performance.now() - t;
const { readFileSync } = await import('node:fs');
const report = JSON.parse(readFileSync(`${out}/report.json`, 'utf8'));
console.log(
  JSON.stringify({
    ms,
    version: run.version,
    timings: report.timings,
    k: report.segmentation.chosen,
    testAuc: report.targets[0]?.test.rocAuc,
    peakRssMB: peakRssMB(),
    threads: parallelSettings().threads,
  }),
);
