// In-process scoring: `npx tsx bench/jobs/score.ts <model.json> <records> [batches]`.
// Raw records (parsed JSON: six numbers, three category strings, as a caller
// sends them) through scoreRecord — type checks, imputation, encoding,
// scaling, nearest centroid, every logistic head, the projection. Throughput is
// records per second of CPU time of this single-threaded process.
import { readFileSync } from 'node:fs';
import { drawCustomer, newDraft, CHANNELS, LOYALTY_TIERS, NUMERIC, REGIONS } from '../../data/customers-model.ts';
import { compileModel, createScorer, parseModel } from '../../model/index.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

const [modelFile, recordsArg, batchesArg = '5'] = process.argv.slice(2);
const cm = compileModel(parseModel(readFileSync(modelFile, 'utf8')));
const scorer = createScorer(cm);
// 1,000 distinct customers the model never saw (another seed), as JSON text parsed back.
const rng = new Rng(2024);
const draft = newDraft();
const z = new Float64Array(6);
const text = JSON.stringify(
  Array.from({ length: 1000 }, () => {
    drawCustomer(rng, draft, z);
    const r: Record<string, unknown> = {};
    NUMERIC.forEach((name, j) => {
      r[name] = draft.x[j];
    });
    r.region = REGIONS[draft.region];
    r.channel = CHANNELS[draft.channel];
    r.loyalty_tier = LOYALTY_TIERS[draft.loyalty];
    return r;
  }),
);
const records = JSON.parse(text) as Record<string, unknown>[];
const n = Number(recordsArg);
let sink = 0;
let best = 0;
for (let b = 0; b < Number(batchesArg); b++) {
  const t = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const out = scorer.scoreRecord(records[i % 1000]);
    if (out.ok) sink += out.result.segment.id + out.result.warnings.length;
  }
  const u = process.cpuUsage(t);
  best = Math.max(best, n / ((u.user + u.system) / 1e6));
}
const check = scorer.scoreRecord(records[0]);
console.log(
  JSON.stringify({
    recordsPerSec: best,
    nsPerRecord: 1e9 / best,
    heads: cm.heads.length,
    k: cm.k,
    d: cm.d,
    sink,
    example: check.ok ? check.result : null,
  }),
);
