// `npm run bench [-- --quick] [-- --only kmeans,pipeline,...]`
//
// One table: for each piece of work, our figure, the baseline's (scikit-learn
// when Debian's python3-sklearn is installed, the mljs packages, or the
// worker's own GET /health), the ratio, and the target with ✓/✗. Every pair is
// measured side by side in this run on this machine: absolute times on a
// shared 2-core machine are noisy, ratios much less so. Heavy work runs in
// fresh processes, ours and the baseline's alternately. The table is also
// written to bench/out/bench-{full,quick}.md (and .json).
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { generateCustomers, HEADER } from '../data/generate.ts';
import { breastCancer, customerCsv, customerMatrix, fmtRows, type MatrixFile } from './data.ts';
import { buildBundles, EDGE_DIR, median, postJson, postScript, startWorkerd, wrk, type WrkResult } from './edge.ts';
import { compileModel, scoreToJson, parseModel } from '../model/index.ts';
import { measureLatency, type LatencyResult } from './latency.ts';
import { nodeJob, sklearnJob, sklearnVersion, type JobResult } from './lib/proc.ts';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(argv[onlyArg + 1].split(',')) : null;
const want = (section: string) => only === null || only.has(section);
const OUT = 'bench/out';
const RUNS = join(OUT, 'runs');

interface Row {
  section: string;
  work: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: no target (context), or the baseline could not run. */
  pass: boolean | null;
}

const rows: Row[] = [];
const notes: string[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);
const started = performance.now();

function add(row: Row): void {
  rows.push(row);
  log(`  ${row.pass === null ? '·' : row.pass ? '✓' : '✗'} ${row.work}: ${row.ours} vs ${row.baseline} (${row.ratio}) ${row.target}`);
}

// ---------------------------------------------------------------------------
// Formatting

const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : v >= 10 ? `${v.toFixed(0)} ms` : v >= 1 ? `${v.toFixed(2)} ms` : `${(v * 1000).toFixed(0)} µs`);
const mb = (v: number) => `${v.toFixed(0)} MB`;
/** A time ratio, ours over theirs; far below 1 it reads better as how many times faster. */
const x = (v: number) => (v < 0.1 ? `1/${(1 / v).toFixed(0)}` : `${v.toFixed(2)}×`);
const perSec = (v: number, unit: string) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M ${unit}/s` : v >= 1e3 ? `${(v / 1e3).toFixed(1)} k ${unit}/s` : `${v.toFixed(0)} ${unit}/s`);
const SKIPPED = 'not installed';

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  mkdirSync(RUNS, { recursive: true });
  const sk = await sklearnVersion();
  if (!sk) notes.push('scikit-learn rows are skipped: Debian\'s python3-sklearn is not installed (`apt-get install -y python3-sklearn`).');
  log(`edgeseg bench (${quick ? 'quick' : 'full'}) — scikit-learn ${sk ?? SKIPPED}`);

  if (want('kmeans')) await kmeansSection(sk);
  if (want('pipeline')) await pipelineSection(sk);
  if (want('logistic')) await logisticSection(sk);
  if (want('pca')) await pcaSection(sk);
  if (want('ward')) await wardSection(sk);
  if (want('score')) await scoreSection(sk);
  if (want('edge')) await edgeSection();
  if (want('csv')) await csvSection(sk);

  const table = render(sk);
  process.stdout.write(table);
  const name = `bench-${quick ? 'quick' : 'full'}${only ? '-partial' : ''}`;
  writeFileSync(join(OUT, `${name}.md`), table);
  writeFileSync(join(OUT, `${name}.json`), JSON.stringify({ quick, rows, notes }, null, 1));
}

/** Ours and the baseline alternately, `reps` times each; the best (lowest) time of each side. */
async function alternate<A, B>(reps: number, ours: () => Promise<A>, theirs: (() => Promise<B>) | null): Promise<{ ours: A[]; theirs: B[] }> {
  const a: A[] = [];
  const b: B[] = [];
  for (let r = 0; r < reps; r++) {
    a.push(await ours());
    if (theirs) b.push(await theirs());
  }
  return { ours: a, theirs: b };
}
const best = <T>(xs: T[], key: (t: T) => number) => xs.reduce((m, t) => (key(t) < key(m) ? t : m));

// ---------------------------------------------------------------------------
// Training

interface KMeansOut { ms: number; inertia: number; iterations: number; peakRssMB: number; threads?: number; rawMB?: number }

async function kmeansSection(sk: string | null): Promise<void> {
  // The target's size even in --quick: below ~1M rows the fixed costs (JIT warm-up on both threads) weigh too much to say anything.
  const n = 1_000_000;
  const data = customerMatrix(n);
  log(`k-means on ${data.what}`);
  const args = [data.x, data.d, 5, 10, 0];
  const { ours, theirs } = await alternate(quick ? 1 : 2, () => nodeJob<KMeansOut>('kmeans', args), sk ? () => sklearnJob<KMeansOut>(['kmeans', ...args]) : null);
  const o = best(ours, (r) => r.out.ms).out;
  const t = theirs.length ? best(theirs, (r) => r.out.ms).out : null;
  const inertiaGap = t ? ` (inertia ${(100 * (o.inertia / t.inertia - 1)).toFixed(2)}% vs scikit-learn's)` : '';
  add({
    section: 'training',
    work: `k-means k=5, 10 restarts, ${data.what}${inertiaGap}`,
    ours: ms(o.ms),
    baseline: t ? `scikit-learn ${ms(t.ms)}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    target: '≤ 1× scikit-learn',
    pass: t ? o.ms <= t.ms : null,
  });
  const rawMB = (n * data.d * 8) / (1024 * 1024);
  const limit = 2 * rawMB + 150;
  const peak = Math.max(...ours.map((r) => r.out.peakRssMB));
  add({
    section: 'training',
    work: `k-means peak RSS, ${data.what} (raw ${mb(rawMB)})`,
    ours: mb(peak),
    baseline: t ? `scikit-learn ${mb(Math.max(...theirs.map((r) => r.out.peakRssMB)))}` : `scikit-learn ${SKIPPED}`,
    ratio: `${(peak / rawMB).toFixed(2)}× raw`,
    target: `≤ 2× raw + 150 MB = ${mb(limit)}`,
    pass: peak <= limit,
  });
  if (!quick) {
    // ml-kmeans needs ~10 s per restart at 1M rows (its k-means++ alone is most of it): compared on 100k.
    const small = customerMatrix(100_000);
    const mine = await nodeJob<KMeansOut>('kmeans', [small.x, small.d, 5, 10, 0]);
    const ml = await nodeJob<KMeansOut>('mljs', ['kmeans', small.x, small.d, small.n, 5, 10], 900_000);
    add({
      section: 'training',
      work: `k-means k=5, best of 10, ${small.what} (inertia ${(100 * (mine.out.inertia / ml.out.inertia - 1)).toFixed(2)}% vs ml-kmeans')`,
      ours: ms(mine.out.ms),
      baseline: `ml-kmeans ${ms(ml.out.ms)}, ${mb(ml.out.peakRssMB)}`,
      ratio: x(mine.out.ms / ml.out.ms),
      target: 'context',
      pass: null,
    });
  }
}

interface TrainOut { ms: number; timings: Record<string, number>; k: number; testAuc: number; peakRssMB: number; threads?: number }

async function pipelineSection(sk: string | null): Promise<void> {
  for (const n of quick ? [20_000] : [100_000, 1_000_000]) {
    const csv = await customerCsv(n);
    log(`train pipeline on ${fmtRows(n)} rows (${csv})`);
    const out = join(RUNS, `train-${n}`);
    rmSync(out, { recursive: true, force: true });
    // At 100k rows a run takes seconds, so one slow minute on either side moves a single pair's ratio
    // by ±20% (0.70–1.14× on 2026-12-02): three alternating pairs, and the pair with the median ratio.
    // At 1M one pair takes ~1.5 minutes and moves much less.
    const reps = quick || n >= 1_000_000 ? 1 : 3;
    const { ours, theirs } = await alternate(
      reps,
      () => nodeJob<TrainOut>('train', [out, '--data', csv, '--config', 'data/customers.config.json'], 1_800_000),
      sk ? () => sklearnJob<TrainOut>(['pipeline', csv, join(RUNS, `sklearn-pipeline-${n}.json`), 42], 1_800_000) : null,
    );
    const ratios = theirs.map((t, i) => ours[i].wallMs / t.wallMs);
    const pick = ratios.length ? ratios.indexOf(median(ratios)) : 0;
    const o = ours[pick];
    const t = theirs[pick] as JobResult<TrainOut> | undefined;
    add({
      section: 'training',
      work: `\`train\` on ${fmtRows(n)} generator rows: read, encode, k sweep 2..8 ×10 restarts + silhouette, PCA, logistic 5-fold CV + fit, export (${reps > 1 ? `${reps} pairs alternating, the pair with the median ratio${t ? ` of ${ratios.map((r) => r.toFixed(2)).join(', ')}` : ''}; ` : ''}k=${o.out.k}${t ? ` / ${t.out.k}` : ''}, test AUC ${o.out.testAuc.toFixed(3)}${t ? ` / ${t.out.testAuc.toFixed(3)}` : ''}; peak ${mb(o.out.peakRssMB)}${t ? ` / ${mb(t.out.peakRssMB)}` : ''})`,
      ours: ms(o.wallMs),
      baseline: t ? `scikit-learn ${ms(t.wallMs)}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(o.wallMs / t.wallMs) : '—',
      target: '≤ 1× scikit-learn',
      pass: t ? o.wallMs <= t.wallMs : null,
    });
    notes.push(`\`train\` ${fmtRows(n)} steps, ours: ${Object.entries(o.out.timings).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}${t ? `; scikit-learn: ${Object.entries(t.out.timings).map(([k, v]) => `${k} ${ms(v)}`).join(', ')}` : ''} (wall times include process start-up: Node + tsx, Python + imports).`);
  }
}

interface LogisticOut {
  ms: number;
  coef: number[];
  intercept: number;
  iterations: number;
  accuracy: number;
  /** scikit-learn only: newton-cg at tol 1e-10, the exact optimum. */
  optimum?: { ms: number; coef: number[]; intercept: number };
}

/** Largest difference between two fits' coefficients and intercepts. */
function coefGap(a: { coef: number[]; intercept: number }, b: { coef: number[]; intercept: number }): number {
  let gap = Math.abs(a.intercept - b.intercept);
  a.coef.forEach((c, j) => { gap = Math.max(gap, Math.abs(c - b.coef[j])); });
  return gap;
}

async function logisticSection(sk: string | null): Promise<void> {
  const sets: { data: MatrixFile; reps: number }[] = [];
  const bc = breastCancer();
  if (bc) sets.push({ data: bc, reps: quick ? 10 : 30 });
  else notes.push('breast-cancer rows skipped: ../shared/reference is not present.');
  sets.push({ data: customerMatrix(quick ? 50_000 : 1_000_000), reps: quick ? 1 : 3 });
  for (const { data, reps } of sets) {
    log(`logistic regression on ${data.what}`);
    const args = [data.x, data.y, data.d, 1, reps];
    const { ours, theirs } = await alternate(1, () => nodeJob<LogisticOut>('logistic', args), sk ? () => sklearnJob<LogisticOut>(['logistic', ...args]) : null);
    const o = ours[0].out;
    const t = theirs[0]?.out;
    add({
      section: 'training',
      work: `logistic C=1, ${data.what}, best of ${reps} (Newton ${o.iterations} it. / lbfgs ${t?.iterations ?? '—'} it.; train acc ${o.accuracy.toFixed(3)}${t ? ` / ${t.accuracy.toFixed(3)}` : ''})`,
      ours: ms(o.ms),
      baseline: t ? `scikit-learn lbfgs ${ms(t.ms)}` : `scikit-learn ${SKIPPED}`,
      ratio: t ? x(o.ms / t.ms) : '—',
      target: '≤ 2× lbfgs',
      pass: t ? o.ms <= 2 * t.ms : null,
    });
    if (t?.optimum) {
      const gap = coefGap(o, t.optimum);
      add({
        section: 'training',
        work: `logistic coefficients, ${data.what}: largest |ours − scikit-learn's optimum| (newton-cg, tol 1e-10, ${ms(t.optimum.ms)}; lbfgs's own gap to it: ${coefGap(t, t.optimum).toExponential(1)})`,
        ours: gap.toExponential(1),
        baseline: `lbfgs vs ours ${coefGap(o, t).toExponential(1)}`,
        ratio: '—',
        target: '≤ 1e-3',
        pass: gap <= 1e-3,
      });
    }
  }
  if (!quick && bc) {
    const ml = await nodeJob<{ ms: number; accuracy: number }>('mljs', ['logistic', bc.x, bc.y, bc.d], 900_000);
    const mine = await nodeJob<LogisticOut>('logistic', [bc.x, bc.y, bc.d, 1, 20]);
    add({
      section: 'training',
      work: `logistic, ${bc.what}: ml-logistic-regression defaults (no intercept, no L2, 50,000 steps; train acc ${ml.out.accuracy.toFixed(3)})`,
      ours: ms(mine.out.ms),
      baseline: `ml-logistic-regression ${ms(ml.out.ms)}`,
      ratio: x(mine.out.ms / ml.out.ms),
      target: 'context',
      pass: null,
    });
  }
}

async function pcaSection(sk: string | null): Promise<void> {
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  log(`PCA on ${data.what}`);
  type PcaOut = { fitMs: number; transformMs: number };
  const args = [data.x, data.d, quick ? 2 : 3];
  const { ours, theirs } = await alternate(1, () => nodeJob<PcaOut>('pca', args), sk ? () => sklearnJob<PcaOut>(['pca', ...args]) : null);
  const o = ours[0].out;
  const t = theirs[0]?.out;
  let ml: PcaOut | null = null;
  if (!quick) ml = (await nodeJob<PcaOut>('mljs', ['pca', data.x, data.d], 900_000)).out;
  add({
    section: 'training',
    work: `PCA 2-D, ${data.what}: fit + project every row`,
    ours: `${ms(o.fitMs)} + ${ms(o.transformMs)}`,
    baseline: [t ? `scikit-learn ${ms(t.fitMs)} + ${ms(t.transformMs)}` : `scikit-learn ${SKIPPED}`, ml ? `ml-pca ${ms(ml.fitMs)} + ${ms(ml.transformMs)}` : ''].filter(Boolean).join('; '),
    ratio: t ? x((o.fitMs + o.transformMs) / (t.fitMs + t.transformMs)) : '—',
    target: 'part of `train`',
    pass: null,
  });
}

async function wardSection(sk: string | null): Promise<void> {
  const data = customerMatrix(quick ? 100_000 : 1_000_000);
  const n = quick ? 1000 : 2000;
  log(`Ward on ${n} rows`);
  type WardOut = { ms: number; sizes: number[] };
  const args = [data.x, data.d, n, 5, quick ? 2 : 5];
  const { ours, theirs } = await alternate(1, () => nodeJob<WardOut>('ward', args), sk ? () => sklearnJob<WardOut>(['ward', ...args]) : null);
  const o = ours[0].out;
  const t = theirs[0]?.out;
  const same = t ? JSON.stringify(o.sizes) === JSON.stringify(t.sizes) : false;
  add({
    section: 'training',
    work: `Ward clustering, ${n} rows ×10, k=5 (cluster sizes ${same ? 'equal to' : 'differ from'} scikit-learn's)`,
    ours: ms(o.ms),
    baseline: t ? `scikit-learn ${ms(t.ms)}` : `scikit-learn ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    target: 'context',
    pass: null,
  });
}

// ---------------------------------------------------------------------------
// Scoring

/** The model the scoring rows use: the bundled sample's, trained once into bench/out. */
async function sampleModel(): Promise<string> {
  const out = join(RUNS, 'sample-model');
  const file = join(out, 'model.json');
  try {
    statSync(file);
  } catch {
    await nodeJob('train', [out, '--data', 'data/customers.csv', '--config', 'data/customers.config.json']);
  }
  return file;
}

async function scoreSection(sk: string | null): Promise<void> {
  const model = await sampleModel();
  log('in-process scoring');
  type ScoreOut = { recordsPerSec: number; nsPerRecord: number; heads: number; k: number; d: number };
  const o = (await nodeJob<ScoreOut>('score', [model, quick ? 500_000 : 2_000_000, quick ? 3 : 5])).out;
  let t: { usPerCall: number } | null = null;
  if (sk) t = (await sklearnJob<{ usPerCall: number }>(['score', await customerCsv(20_000), quick ? 1000 : 10000])).out;
  add({
    section: 'scoring',
    work: `score one raw record in-process (parsed JSON, 6 numbers + 3 categories → impute, encode, scale, nearest of ${o.k} centroids, ${o.heads} logistic head(s), projection; ${o.d} features; one core, CPU time, best of ${quick ? 3 : 5} × ${quick ? '1M' : '2M'} records)`,
    ours: `${perSec(o.recordsPerSec, 'rec')} (${o.nsPerRecord.toFixed(0)} ns)`,
    baseline: t ? `scikit-learn ${t.usPerCall.toFixed(0)} µs/record (ColumnTransformer, KMeans.predict, predict_proba, PCA.transform on one row)` : `scikit-learn ${SKIPPED}`,
    ratio: t ? `${((t.usPerCall * 1000) / o.nsPerRecord).toFixed(0)}× faster` : '—',
    target: '≥ 2 M rec/s',
    pass: o.recordsPerSec >= 2e6,
  });
}

async function edgeSection(): Promise<void> {
  log('edge: building the worker bundle and the cold-start probe');
  const bundles = buildBundles();
  const model = await sampleModel();
  const seconds = quick ? 1 : 4;
  const rounds = quick ? 1 : 5;
  const connections = 8;
  const wd = await startWorkerd(bundles, model, 'http');
  try {
    const sample = generateCustomers({ rows: 1000, seed: 99 });
    const record = (r: string[]) => {
      const o: Record<string, unknown> = {};
      HEADER.forEach((h, j) => {
        if (h === 'customer_id' || h === 'purchased') return;
        o[h] = /^-?[\d.]+$/.test(r[j]) ? Number(r[j]) : r[j];
      });
      return o;
    };
    const records = sample.rows.map(record);
    const singleBody = JSON.stringify(records[0]);
    const recordsBody = JSON.stringify({ records });
    const single = postScript(join(EDGE_DIR, 'score.lua'), singleBody);
    const batch = postScript(join(EDGE_DIR, 'batch.lua'), recordsBody, true);
    // Warm both routes (JIT, the model's first load) before measuring.
    wrk(`${wd.url}/health`, 1, 4);
    wrk(`${wd.url}/v1/score`, 1, 4, single);
    // Against /health, round by round: each round measures both routes back to back (which goes
    // first alternates) and the ratio is the median of the rounds' ratios, so a slow minute of the
    // host weighs on both sides of a ratio rather than on one side of the comparison.
    log(`edge: GET /health vs POST /v1/score, ${rounds} × ${seconds} s each, alternating, ${connections} connections`);
    const health: WrkResult[] = [];
    const score: WrkResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const h = () => health.push(wrk(`${wd.url}/health`, seconds, connections));
      const s = () => score.push(wrk(`${wd.url}/v1/score`, seconds, connections, single));
      if (r % 2) { s(); h(); } else { h(); s(); }
    }
    const errors = [...health, ...score].reduce((a, w) => a + w.errors, 0);
    if (errors) notes.push(`edge: ${errors} wrk requests failed or were not 2xx.`);
    const hr = median(health.map((w) => w.rps));
    const sr = median(score.map((w) => w.rps));
    const throughputRatio = median(score.map((w, r) => w.rps / health[r].rps));
    add({
      section: 'edge',
      work: `POST /v1/score, one record, throughput on workerd (wrk, ${connections} conn., ${rounds} rounds of ${seconds} s per route, each round's ratio, median)`,
      ours: perSec(sr, 'req'),
      baseline: `GET /health ${perSec(hr, 'req')}`,
      ratio: x(throughputRatio),
      target: '≥ 0.9× /health',
      pass: throughputRatio >= 0.9,
    });
    // Latency from our own closed-loop client (see bench/latency.ts for why not wrk's percentiles).
    log(`edge: latency, ${rounds} × ${seconds} s each, alternating, ${connections} connections`);
    const healthLat: LatencyResult[] = [];
    const scoreLat: LatencyResult[] = [];
    for (let r = 0; r < rounds; r++) {
      const h = async () => { healthLat.push(await measureLatency(`${wd.url}/health`, { connections, seconds })); };
      const s = async () => { scoreLat.push(await measureLatency(`${wd.url}/v1/score`, { connections, seconds, method: 'POST', body: singleBody, headers: { 'content-type': 'application/json' } })); };
      if (r % 2) { await s(); await h(); } else { await h(); await s(); }
    }
    const latErrors = [...healthLat, ...scoreLat].reduce((a, w) => a + w.errors, 0);
    if (latErrors) notes.push(`edge: ${latErrors} latency-client requests failed or were not 2xx.`);
    const hp = median(healthLat.map((w) => w.p99ms));
    const sp = median(scoreLat.map((w) => w.p99ms));
    const latencyRatio = median(scoreLat.map((w, r) => w.p99ms / healthLat[r].p99ms));
    add({
      section: 'edge',
      work: `POST /v1/score, one record, p99 latency (closed-loop client, ${connections} conn., ${rounds} rounds of ${seconds} s per route, each round's ratio, median; p50 ${median(scoreLat.map((w) => w.p50ms)).toFixed(2)} ms vs ${median(healthLat.map((w) => w.p50ms)).toFixed(2)} ms)`,
      ours: `${sp.toFixed(2)} ms`,
      baseline: `GET /health ${hp.toFixed(2)} ms`,
      ratio: x(latencyRatio),
      target: '≤ 1.2× /health',
      pass: latencyRatio <= 1.2,
    });
    // The same 1,000 records as a table (columns + rows), the compact batch form; the two alternate.
    // These rows have no same-run baseline, so they take the best round, as the in-process row takes
    // its best batch (and timeit its minimum): another tenant of the host only ever slows a round
    // down. The median round is printed beside it.
    const columns = Object.keys(records[0]);
    const tableBody = JSON.stringify({ columns, data: records.map((r) => columns.map((c) => r[c])) });
    const table = postScript(join(EDGE_DIR, 'table.lua'), tableBody, true);
    wrk(`${wd.url}/v1/score`, 1, 2, batch);
    wrk(`${wd.url}/v1/score`, 1, 2, table);
    // What is timed must be right: the worker's answers to both batch forms (read and written in
    // WebAssembly) are the very text the model layer writes for the same records.
    const cm = compileModel(parseModel(readFileSync(model, 'utf8')));
    const expected = scoreToJson(cm, cm.model.version, records, true);
    if (!expected.ok) throw new Error('edge: the bench batch has records the model refuses');
    for (const [form, body] of [['records', recordsBody], ['table', tableBody]]) {
      if ((await postJson(`${wd.url}/v1/score`, body, true)) !== expected.json) throw new Error(`edge: the worker's answer to the batch as ${form} differs from scoreToJson's`);
    }
    const batchRounds = quick ? 1 : 5;
    const batchSeconds = quick ? 1 : 4;
    log(`edge: batches of 1,000, ${batchRounds} × ${batchSeconds} s each as records and as a table, alternating`);
    const batches: WrkResult[] = [];
    const tables: WrkResult[] = [];
    for (let r = 0; r < batchRounds; r++) {
      batches.push(wrk(`${wd.url}/v1/score`, batchSeconds, 4, batch));
      tables.push(wrk(`${wd.url}/v1/score`, batchSeconds, 4, table));
    }
    const batchErrors = [...batches, ...tables].reduce((a, w) => a + w.errors, 0);
    if (batchErrors) notes.push(`edge: ${batchErrors} batch requests failed or were not 2xx.`);
    const rounds1k = (ws: WrkResult[]) => ws.map((w) => w.rps * 1000);
    const br = Math.max(...rounds1k(batches));
    const tr = Math.max(...rounds1k(tables));
    // Every round, so the spread behind the rows above and below is on record.
    const k = (v: number) => (v / 1000).toFixed(1);
    notes.push(`edge rounds, req/s: \`/health\` ${health.map((w) => w.rps.toFixed(0)).join(', ')}; \`/v1/score\` ${score.map((w) => w.rps.toFixed(0)).join(', ')}; p99 ms: \`/health\` ${healthLat.map((w) => w.p99ms.toFixed(2)).join(', ')}; \`/v1/score\` ${scoreLat.map((w) => w.p99ms.toFixed(2)).join(', ')}; batches, k rec/s: records ${rounds1k(batches).map(k).join(', ')}; table ${rounds1k(tables).map(k).join(', ')}.`);
    add({
      section: 'edge',
      work: `POST /v1/score, batches of 1,000 records as \`records\` (${Math.round(recordsBody.length / 1024)} KB of JSON objects; wrk, 4 conn., best of ${batchRounds} × ${batchSeconds} s, median ${perSec(median(rounds1k(batches)), 'rec')}; end to end: JSON in, JSON out)`,
      ours: perSec(br, 'rec'),
      baseline: '—',
      ratio: '—',
      target: '≥ 500 k rec/s',
      pass: br >= 500_000,
    });
    add({
      section: 'edge',
      work: `the same 1,000 records as a table (\`columns\` + \`data\` rows, ${Math.round(tableBody.length / 1024)} KB; alternating with the row above; median ${perSec(median(rounds1k(tables)), 'rec')})`,
      ours: perSec(tr, 'rec'),
      baseline: '—',
      ratio: '—',
      target: '≥ 500 k rec/s',
      pass: tr >= 500_000,
    });
  } finally {
    await wd.stop();
  }
  await coldStart(bundles);
}

/** A 30-feature model with 8 segments: the breast-cancer table when ../shared is present, else a synthetic one. */
async function wideModel(): Promise<{ file: string; what: string }> {
  const out = join(RUNS, 'wide-model');
  const file = join(out, 'model.json');
  let csv = '../shared/datasets/breast_cancer_wisconsin_diagnostic.csv';
  let target = 'diagnosis';
  let what = 'breast cancer, 30 features, k=8';
  try {
    statSync(csv);
  } catch {
    csv = join(OUT, 'data', 'wide-30.csv');
    target = 'label';
    what = 'synthetic, 30 features, k=8';
    writeWideCsv(csv);
  }
  try {
    statSync(file);
  } catch {
    await nodeJob('train', [out, '--data', csv, '--target', target, '--k', '8']);
  }
  return { file, what };
}

/** 600 rows, 30 numeric columns from 8 overlapping groups, and a binary label. */
function writeWideCsv(file: string): void {
  const lines = [[...Array.from({ length: 30 }, (_, j) => `feature_${String(j + 1).padStart(2, '0')}`), 'label'].join(',')];
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  for (let i = 0; i < 600; i++) {
    const g = i % 8;
    const v = Array.from({ length: 30 }, (_, j) => (10 + ((g * 7 + j) % 5) * 2 + (rand() + rand() + rand() - 1.5) * 3).toFixed(3));
    lines.push([...v, rand() < (g < 4 ? 0.3 : 0.7) ? 'yes' : 'no'].join(','));
  }
  mkdirSync(join(OUT, 'data'), { recursive: true });
  writeFileSync(file, lines.join('\n') + '\n');
}

async function coldStart(bundles: { worker: string; coldStart: string }): Promise<void> {
  const wide = await wideModel();
  const bytes = statSync(wide.file).size;
  log(`edge: cold start of a ${wide.what} model (${(bytes / 1024).toFixed(1)} KB)`);
  type Cold = { ms: number; kvMs: number; inputs: number; k: number; bytes: number };
  const firsts: Cold[] = [];
  let warm: Cold | null = null;
  const processes = quick ? 2 : 9;
  for (let p = 0; p < processes; p++) {
    const wd = await startWorkerd(bundles, wide.file, 'cold');
    try {
      // The first load in this process's fresh cold-start isolate (the worker's own isolate has loaded already).
      firsts.push((await (await fetch(`${wd.coldUrl}/?loads=1`)).json()) as Cold);
      if (p === processes - 1) warm = (await (await fetch(`${wd.coldUrl}/?loads=${quick ? 50 : 300}`)).json()) as Cold;
    } finally {
      await wd.stop();
    }
  }
  const first = firsts.reduce((a, c) => a + c.ms, 0) / firsts.length;
  const loads = quick ? 50 : 300;
  add({
    section: 'edge',
    work: `cold start in workerd: read model:active and the model from KV, parse, validate, compile (${wide.what}, ${firsts[0].inputs} inputs) — the worker's own model store; mean of ${loads} loads in one isolate (workerd's clock ticks in ms), of which the two KV reads ${warm!.kvMs.toFixed(2)} ms`,
    ours: `${warm!.ms.toFixed(2)} ms`,
    baseline: '—',
    ratio: '—',
    target: '≤ 2 ms',
    pass: warm!.ms <= 2,
  });
  add({
    section: 'edge',
    work: `the same, first load of a fresh isolate (its code not yet compiled by V8; mean of ${processes} fresh workerd processes, ms clock)`,
    ours: `${first.toFixed(1)} ms`,
    baseline: '—',
    ratio: '—',
    target: 'context',
    pass: null,
  });
  add({
    section: 'edge',
    work: `model JSON size (${wide.what})`,
    ours: `${(bytes / 1024).toFixed(1)} KB`,
    baseline: '—',
    ratio: '—',
    target: '≤ 20 KB',
    pass: bytes <= 20 * 1024,
  });
}

// ---------------------------------------------------------------------------

async function csvSection(sk: string | null): Promise<void> {
  const n = quick ? 200_000 : 1_000_000;
  const csv = await customerCsv(n);
  log(`CSV ingest of ${csv}`);
  type CsvOut = { ms: number; rows: number; columns: number; fileMB: number; rssBeforeMB: number; peakRssMB: number };
  const { ours, theirs } = await alternate(quick ? 1 : 2, () => nodeJob<CsvOut>('csv', [csv, 'data/customers.config.json']), sk ? () => sklearnJob<{ ms: number; peakRssMB: number }>(['read', csv]) : null);
  const o = best(ours, (r) => r.out.ms).out;
  const t = theirs.length ? best(theirs, (r) => r.out.ms).out : null;
  const limit = (5000 * n) / 1e6;
  add({
    section: 'ingest',
    work: `CSV ingest, ${fmtRows(n)} rows × ${o.columns} columns (${o.fileMB.toFixed(0)} MB) streamed into typed columns (heap grew ${mb(o.peakRssMB - o.rssBeforeMB)}; file never held as text)`,
    ours: ms(o.ms),
    baseline: t ? `Python csv module → numpy ${ms(t.ms)}` : `Python ${SKIPPED}`,
    ratio: t ? x(o.ms / t.ms) : '—',
    target: `≤ ${ms(limit)}${quick ? ' (5 s per 1M, scaled)' : ''}`,
    pass: o.ms <= limit,
  });
}

// ---------------------------------------------------------------------------

/** A table cell: a `|` inside would end it. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function render(sk: string | null): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `edgeseg benchmark — ${quick ? '`npm run bench -- --quick` (reduced sizes)' : '`npm run bench`'}, ${new Date().toISOString().slice(0, 16)}Z`,
    `${cpu}, ${availableParallelism()} cores; Node ${process.versions.node}; scikit-learn ${sk ?? SKIPPED}; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
    '',
    '| work | ours | baseline | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${[r.work, r.ours, r.baseline, r.ratio, r.target].map(cell).join(' | ')} | ${r.pass === null ? '' : r.pass ? '✓' : '✗'} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
