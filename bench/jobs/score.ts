// In-process scoring: `npx tsx bench/jobs/score.ts <model.json> latency|throughput <records>`.
// Raw records (parsed JSON: six numbers, three category strings, as a caller
// sends them) — type checks, imputation, encoding, scaling, nearest centroid,
// every logistic head, the projection. `latency`: one record per scoreRecord
// call, wall time per call; `throughput`: batches of 1,000 through
// scoreToJson (the answer text included), records per second of wall time.
// Both after a warm-up, on one thread.
import { readFileSync } from 'node:fs';
import { drawCustomer, newDraft, CHANNELS, LOYALTY_TIERS, NUMERIC, REGIONS } from '../../data/customers-model.ts';
import { compileModel, createScorer, parseModel, scoreToJson } from '../../model/index.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

const [modelFile, mode, recordsArg] = process.argv.slice(2);
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
let out: Record<string, number>;
if (mode === 'latency') {
  // One record per call, as a caller scores one visitor: the wall time of n calls over n.
  const call = (i: number) => {
    const r = scorer.scoreRecord(records[i % 1000]);
    if (r.ok) sink += r.result.segment.id + r.result.warnings.length;
  };
  for (let i = 0; i < 200_000; i++) call(i);
  const t = performance.now();
  for (let i = 0; i < n; i++) call(i);
  out = { nsPerRecord: ((performance.now() - t) * 1e6) / n };
} else if (mode === 'throughput') {
  // Batched: 1,000 records a call (the batch API's largest) into the answer text the worker sends.
  const call = () => {
    const r = scoreToJson(scorer, cm.model.version, records, true);
    if (!r.ok) throw new Error('bench/jobs/score: the model refused a generated record');
    sink += r.json.length;
  };
  for (let i = 0; i < 200; i++) call();
  const batches = Math.max(1, Math.round(n / 1000));
  const t = performance.now();
  for (let b = 0; b < batches; b++) call();
  out = { recordsPerSec: (batches * 1000) / ((performance.now() - t) / 1000) };
} else throw new Error(`bench/jobs/score: mode is latency or throughput, not ${mode}`);
console.log(JSON.stringify({ ...out, heads: cm.heads.length, k: cm.k, d: cm.d, sink }));
