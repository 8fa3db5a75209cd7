// Experiments, in-process: `npx tsx bench/jobs/experiments.ts <model.json> <calls> [batches]`.
// - assignment: the per-request lookup (segment → running experiment, GrowthBook
//   hash of the visitor), ns per call, beside scoring one record on the same data;
// - recording an exposure: the visitor's keyed hash (HMAC-SHA256, worker/crypto, synchronous) and
//   adding it to the isolate's buffer, µs per exposure;
// - flushing: batches of new exposures written to a local D1 (miniflare's, the
//   SQLite `wrangler dev` runs) with the schema of migrations/, visitors per second.
// Best of `batches` runs each (CPU time for the synchronous loops, wall time for the rest).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { drawCustomer, newDraft, CHANNELS, LOYALTY_TIERS, NUMERIC, REGIONS } from '../../data/customers-model.ts';
import { compileModel, createScorer, parseModel } from '../../model/index.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { assign, buildIndex } from '../../worker/experiments/assign.ts';
import type { Experiment } from '../../worker/experiments/definition.ts';
import {
  flushExposures,
  pendingExposures,
  recordExposure,
  resetExposures,
} from '../../worker/experiments/exposures.ts';
import { visitorHash } from '../../worker/experiments/visitor-hash.ts';

const [modelFile, callsArg, batchesArg = '5'] = process.argv.slice(2);
const calls = Number(callsArg);
const batches = Number(batchesArg);
const cm = compileModel(parseModel(readFileSync(modelFile, 'utf8')));
const scorer = createScorer(cm);

const rng = new Rng(2024);
const draft = newDraft();
const z = new Float64Array(6);
const records = Array.from({ length: 1000 }, () => {
  drawCustomer(rng, draft, z);
  const r: Record<string, unknown> = {};
  NUMERIC.forEach((name, j) => {
    r[name] = draft.x[j];
  });
  r.region = REGIONS[draft.region];
  r.channel = CHANNELS[draft.channel];
  r.loyalty_tier = LOYALTY_TIERS[draft.loyalty];
  return r;
});
const visitors = Array.from({ length: 1000 }, (_, i) => crypto.randomUUID() + i);
const segments = records.map((r) => {
  const out = scorer.scoreRecord(r);
  return out.ok ? out.result.segment.id : 0;
});

// Two running experiments: one on half the segments, one on the rest (a visitor is in at most one).
const now = Date.now();
const half = Math.ceil(cm.k / 2);
const experiment = (key: string, segs: number[]): Experiment => ({
  key,
  holdout: 0.1,
  segments: segs,
  start: new Date(now - 1000).toISOString(),
  end: null,
  model: 'bench',
  createdAt: new Date(now - 1000).toISOString(),
  stoppedAt: null,
});
const index = buildIndex(
  [
    experiment(
      'bench-a',
      Array.from({ length: half }, (_, i) => i),
    ),
    experiment(
      'bench-b',
      Array.from({ length: cm.k - half }, (_, i) => half + i),
    ),
  ],
  now,
);

const cpuBest = (loop: () => void): number => {
  let best = Infinity;
  for (let b = 0; b < batches; b++) {
    const t = process.cpuUsage();
    loop();
    const u = process.cpuUsage(t);
    best = Math.min(best, (u.user + u.system) * 1000);
  }
  return best / calls;
};

let sink = 0;
const assignNs = cpuBest(() => {
  for (let i = 0; i < calls; i++) {
    const a = assign(index, segments[i % 1000], visitors[i % 1000], now);
    if (a && a.variant === 'control') sink++;
  }
});
const scoreNs = cpuBest(() => {
  for (let i = 0; i < calls; i++) {
    const out = scorer.scoreRecord(records[i % 1000]);
    if (out.ok) sink += out.result.segment.id;
  }
});

// Recording, for distinct new visitors (the costly case: a returning one stops at the buffer's check):
// the keyed hash (async WebCrypto, wall time) and the buffer's bookkeeping (CPU time), apart.
const secret = 'bench-receipt-secret';
const fakeDb = null as unknown as D1Database; // no flush happens without an execution context
const exposures = 10_000;
const hashes: string[] = [];
let hashUs = Infinity;
for (let b = 0; b < batches; b++) {
  hashes.length = 0;
  const t = performance.now();
  for (let i = 0; i < exposures; i++) hashes.push(visitorHash(secret, 'bench-a', `v-${b}-${i}`));
  hashUs = Math.min(hashUs, ((performance.now() - t) * 1000) / exposures);
}
let bufferNs = Infinity;
for (let b = 0; b < batches; b++) {
  resetExposures();
  const t = process.cpuUsage();
  for (let i = 0; i < exposures; i++)
    recordExposure(
      fakeDb,
      { experiment: 'bench-a', visitor: hashes[i], variant: 1, segment: i % cm.k, at: 0 },
      undefined,
      10,
    );
  const u = process.cpuUsage(t);
  bufferNs = Math.min(bufferNs, ((u.user + u.system) * 1000) / exposures);
}
if (pendingExposures() !== exposures) throw new Error(`buffered ${pendingExposures()} of ${exposures}`);
resetExposures();

// Flushing to a local D1 with the real schema.
const mf = new Miniflare({
  modules: true,
  script: 'export default { fetch() { return new Response(null) } }',
  d1Databases: ['MONITOR'],
});
const db = await mf.getD1Database('MONITOR');
// Every migration, in order: the experiment tables and how exposures are counted (0011 drops a trigger).
for (const file of readdirSync('migrations')
  .filter((f) => f.endsWith('.sql'))
  .sort()) {
  for (const statement of sqlStatements(readFileSync(join('migrations', file), 'utf8')))
    await db.prepare(statement).run();
}
const flushSize = 1000;
let flushMs = Infinity;
for (let b = 0; b < batches; b++) {
  for (let i = 0; i < flushSize; i++) {
    const h = visitorHash(secret, 'bench-a', `flush-${b}-${i}`);
    recordExposure(
      db,
      { experiment: 'bench-a', visitor: h, variant: i % 10 ? 1 : 0, segment: i % cm.k, at: 0 },
      undefined,
      10,
    );
  }
  const t = performance.now();
  await flushExposures(db);
  flushMs = Math.min(flushMs, performance.now() - t);
}
const counted = await db.prepare('SELECT SUM(visitors) AS n FROM experiment_counts').first<{ n: number }>();
await mf.dispose();
if (counted?.n !== flushSize * batches)
  throw new Error(`D1 counted ${counted?.n} visitors, expected ${flushSize * batches}`);

console.log(
  JSON.stringify({
    assignNs,
    scoreNs,
    hashUs,
    bufferNs,
    flushSize,
    flushMs,
    visitorsPerSec: (flushSize / flushMs) * 1000,
    sink,
  }),
);

/** The statements of a migration file: split at `;` line ends, a trigger's body (to `END;`) kept whole. */
function sqlStatements(sql: string): string[] {
  const out: string[] = [];
  let current = '';
  let inTrigger = false;
  for (const line of sql.split('\n')) {
    if (line.trim().startsWith('--') || line.trim() === '') continue;
    current += `${line}\n`;
    if (/^CREATE TRIGGER/i.test(line.trim())) inTrigger = true;
    if (inTrigger ? /^END;\s*$/i.test(line.trim()) : /;\s*$/.test(line)) {
      out.push(current.trim());
      current = '';
      inTrigger = false;
    }
  }
  return out;
}
