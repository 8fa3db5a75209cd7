// Every bench row's target in one table: per row id, what kind of figure it
// reads, the text the target column shows, whether the figure meets it, and
// a one-line reason. A section measures its rounds and names its row; `judge`
// gives the row its target, rounds and pass by the one rule in bench/rule.ts,
// so no row picks its own statistic. A row whose baseline could not run is
// judged with null evidence: it keeps its target text and passes neither way.
import { applyRule, type Evidence } from './rule.ts';
import { mb } from './lib/format.ts';

type Params = Record<string, number>;

interface Target {
  /**
   * ratio: ours ÷ the baseline's per round, median decides; absolute: our own
   * figure per round, median decides; exact: one figure that does not vary
   * (a size, a distance between fits); context: no target.
   */
  kind: 'ratio' | 'absolute' | 'exact' | 'context';
  /** The target column: fixed, or from the row's params when the limit depends on the run's sizes. */
  text: string | ((p: Params) => string);
  /** Whether the decisive figure (the median of the rounds) meets the target; null for context. */
  meets: ((figure: number, p: Params) => boolean) | null;
  /** Why this target (or why none). */
  reason: string;
}

const t = (x: Target): Target => x;
const context = (reason: string): Target => t({ kind: 'context', text: 'context', meets: null, reason });

/** k-means peak RSS: the data and a copy's worth of labels and bounds, plus the runtime. */
const rssLimit = (rawMB: number) => 2 * rawMB + 150;

export const TARGETS = {
  'kmeans.fit': t({
    kind: 'ratio',
    text: '≤ 1× scikit-learn',
    meets: (r) => r <= 1,
    reason:
      "k-means is most of `train`; on the same 1M rows it must be no slower than scikit-learn's KMeans (same algorithm and stopping rule).",
  }),
  'kmeans.peak-rss': t({
    kind: 'absolute',
    text: (p) => `≤ 2× raw + 150 MB = ${mb(rssLimit(p.rawMB))}`,
    meets: (peak, p) => peak <= rssLimit(p.rawMB),
    reason:
      'A fit holds the data plus per-thread labels and bounds: at most twice the raw matrix, plus 150 MB for Node and its threads.',
  }),
  'kmeans.mljs': context(
    "ml-kmeans (the tests' oracle) on 100k rows, full runs only: shows why our own kernel; it needs ~10 s a restart at 1M.",
  ),
  'pipeline.train': t({
    kind: 'ratio',
    text: '≤ 1× scikit-learn',
    meets: (r) => r <= 1,
    reason:
      'The whole `train` command, process start-up included, must be no slower than the same steps in scikit-learn reading the CSV with the fastest reader installed (pyarrow, else polars, else pandas).',
  }),
  'logistic.fit': t({
    kind: 'ratio',
    text: '≤ 2× lbfgs',
    meets: (r) => r <= 2,
    reason: "Our Newton fit of the same objective (C=1) within 2× of scikit-learn's default solver, lbfgs.",
  }),
  'logistic.coef': t({
    kind: 'exact',
    text: '≤ 1e-3',
    meets: (gap) => gap <= 1e-3,
    reason:
      "Same model, not just same predictions: coefficients within 1e-3 of scikit-learn's exact optimum (newton-cg, tol 1e-10), since lbfgs stops short on flat directions.",
  }),
  'logistic.mljs': context(
    'ml-logistic-regression fits another model (no intercept, no L2, 50,000 steps), so no target; full runs only, to show why our own kernel.',
  ),
  'pca.fit': context('No target of its own: PCA is a small step of `train`, whose row carries the target.'),
  'ward.fit': context(
    "Ward is the optional alternative to k-means, on a sample of at most 3,000 rows; the row checks its cluster sizes against scikit-learn's.",
  ),
  'score.latency': t({
    kind: 'absolute',
    text: '≤ 500 ns per record',
    meets: (ns) => ns <= 500,
    reason:
      'The scorer the worker and `score` run, one raw record per call: ≤ 500 ns of wall time a call on one core (2 M records/s).',
  }),
  'boost.fit': t({
    kind: 'ratio',
    text: '≤ 1× scikit-learn',
    meets: (r) => r <= 1,
    reason:
      'Boosted heads are fitted per target and per fold: no slower than HistGradientBoostingClassifier with the same iterations, leaves, learning rate and bins (early stopping off).',
  }),
  'boost.auc': t({
    kind: 'exact',
    text: '|Δ| ≤ 0.005',
    meets: (gap) => gap <= 0.005,
    reason:
      "The same algorithm, so the same quality: held-out ROC-AUC within 0.005 of scikit-learn's (both fits are deterministic).",
  }),
  'monitor.count': context(
    'Counting every scored record for live monitoring (in-process, batches of 1,000 with and without a tally): on record, no target of its own; the edge rows run with monitoring on and carry the targets.',
  ),
  'monitor.flush': context(
    "One flush of an isolate's counts into local D1 (Miniflare), in waitUntil and never on a request's path: on record, no target of its own.",
  ),
  'boost.lightgbm': context(
    'LightGBM with the same settings, when its Python package is installed: the other well-known implementation.',
  ),
  'boost.score': t({
    kind: 'absolute',
    text: '≤ 2,000 ns per record',
    meets: (ns) => ns <= 2000,
    reason:
      'One raw record through a 100-tree, 31-leaf head (and the segments and map) in ≤ 2 µs of one core: 500 k records/s.',
  }),
  'boost.size': t({
    kind: 'exact',
    text: '≤ 120 KB',
    meets: (kb) => kb <= 120,
    reason:
      'A 100-tree, 31-leaf head must keep the model small enough to load in a cold start (scaled to 100 × 31 when fewer).',
  }),
  'score.throughput': context(
    "Batched on both sides: scikit-learn's pipeline on whole arrays is its fastest use; no target of our own, the ratio is on record.",
  ),
  'edge.throughput': t({
    kind: 'ratio',
    text: '≥ 0.9× /health',
    meets: (r) => r >= 0.9,
    reason:
      "Scoring one record should cost a request little beyond the worker's cheapest route: ≥ 0.9× GET /health's requests/s.",
  }),
  'edge.p99': t({
    kind: 'ratio',
    text: '≤ 1.2× /health',
    meets: (r) => r <= 1.2,
    reason: "The same at the tail: a scored request's p99 within 1.2× of GET /health's.",
  }),
  'edge.floor': context(
    "workerd's own cost of receiving a POST body, with no code of ours: a no-op worker's POST rate ÷ its GET rate. The edge.throughput target sits above this floor (see docs/performance.md).",
  ),
  'edge.floor-p99': context(
    "The same floor at the tail: the no-op worker's POST p99 ÷ its GET p99, in the same latency rounds as edge.p99.",
  ),
  'edge.ceiling': context(
    "The best any scoring route through this app could reach: the same app, router, body reading and answer headers, with a route that only parses the record and answers the real answer, against the worker's GET /health. edge.throughput's target leaves the route's checks, scoring and counting whatever this row is above 0.9×.",
  ),
  'edge.ceiling-p99': context(
    "The ceiling worker's p99 against the worker's GET /health: the tail any scoring route through this app starts from, before its own work.",
  ),
  'edge.over-floor': context(
    'Our whole scoring route against the no-op POST of the same record: the cost that is ours to cut.',
  ),
  'edge.batch-records': t({
    kind: 'absolute',
    text: '≥ 500 k rec/s',
    meets: (rate) => rate >= 500_000,
    reason:
      'Batches of 1,000 records end to end on workerd (JSON in, JSON out) at ≥ 500k records/s; no same-run baseline, so an absolute rate.',
  }),
  'edge.batch-table': t({
    kind: 'absolute',
    text: '≥ 500 k rec/s',
    meets: (rate) => rate >= 500_000,
    reason: "The compact table form (`columns` + `data`) at least as fast as the records form's target.",
  }),
  'edge.boosted-throughput': t({
    kind: 'ratio',
    text: '≥ 0.9× /health',
    meets: (r) => r >= 0.9,
    reason:
      "Issue 15: with a 100-tree, 31-leaf head, scoring one record should still cost a request little beyond the worker's cheapest route: ≥ 0.9× GET /health's requests/s.",
  }),
  'edge.boosted-over-logistic': context(
    "The boosted model's POST /v1/score against the logistic sample model's, in the same rounds: what the trees add to a request (the route's common cost is edge.throughput's).",
  ),
  'edge.boosted-batch-records': t({
    kind: 'absolute',
    text: '≥ 500 k rec/s',
    meets: (rate) => rate >= 500_000,
    reason: 'Issue 15: batches of 1,000 records scored by a 100-tree, 31-leaf head on workerd at ≥ 500k records/s.',
  }),
  'edge.boosted-batch-table': t({
    kind: 'absolute',
    text: '≥ 500 k rec/s',
    meets: (rate) => rate >= 500_000,
    reason: 'The same in the compact table form (`columns` + `data`).',
  }),
  'edge.cold-start': t({
    kind: 'absolute',
    text: '≤ 5 ms',
    meets: (ms) => ms <= 5,
    reason:
      "The first request of every new isolate reads the model from KV, parses, validates and compiles it, with the isolate's code not yet compiled by V8: the first load of a fresh workerd process, ≤ 5 ms.",
  }),
  'edge.warm-reload': context(
    'A model refresh in a warm isolate (code compiled, KV served from memory): on record, no target; the cold first load carries it.',
  ),
  'edge.model-size': t({
    kind: 'exact',
    text: '≤ 20 KB',
    meets: (bytes) => bytes <= 20 * 1024,
    reason: 'The model is read from KV on every cold start: a 30-feature, k=8 model stays ≤ 20 KB.',
  }),
  'experiments.assign': context(
    "Finding a visitor's experiment and GrowthBook bucket, on every answer with a visitor: on record beside scoring the record; issue 17 sets no target of its own, the throughput rows carry it.",
  ),
  'experiments.buffer': context(
    'An exposure costs the request a map entry, never a D1 write: on record, no target of its own.',
  ),
  'experiments.hash': context(
    "The visitor's keyed hash (HMAC-SHA256 in plain JS, as the worker runs it on the request path); the throughput rows are the measure that counts.",
  ),
  'experiments.flush': context(
    'How many new visitors per second one D1 database takes when flushes are written one after another (local SQLite through miniflare); docs/experiments.md sizes a deployment from it.',
  ),
  'experiments.plain-score': context(
    "POST /v1/score without a visitor in the same rounds, so the experiment's own cost reads off the two ratios.",
  ),
  'experiments.plain-segment': context(
    "GET /v1/segment without a visitor in the same rounds: the route's own cost, which the experiment rows include.",
  ),
  'experiments.mixed-segment': context(
    'GET /v1/segment with mostly returning visitors (no new exposure, their hash and receipt still computed): closer to real traffic than the judged worst case.',
  ),
  'experiments.segment-throughput': t({
    kind: 'ratio',
    text: '≥ 0.9× /health',
    meets: (r) => r >= 0.9,
    reason:
      "With an experiment running, GET /v1/segment for a visitor in it (assignment, keyed hash, signed receipt) keeps ≥ 0.9× GET /health's requests/s.",
  }),
  'experiments.score-throughput': t({
    kind: 'ratio',
    text: '≥ 0.9× /health',
    meets: (r) => r >= 0.9,
    reason: 'The same for POST /v1/score?visitor=…, one record.',
  }),
  'csv.ingest': t({
    kind: 'ratio',
    text: '≤ 1× pandas (C reader)',
    meets: (r) => r <= 1,
    reason:
      "Reading the CSV is `train`'s first step: no slower than pandas.read_csv's C engine into a DataFrame, what a Python user would call first.",
  }),
  'csv.fast-readers': context(
    "pyarrow's and polars' multithreaded readers: closing on them is the long-term goal; no target yet.",
  ),
};

export type TargetId = keyof typeof TARGETS;

export interface Judged {
  target: string;
  /** How many rounds decided (or `exact`), and how many failed. */
  rounds: string;
  pass: boolean | null;
  /** The decisive figure: the median of the rounds (NaN with no evidence). */
  figure: number;
  /** Why rounds failed, if any did. */
  failures: string[];
}

/**
 * Row `id` judged by the rule (bench/rule.ts) on its evidence; null evidence
 * (a baseline that could not run) keeps the target text and gives no pass.
 */
export function judge(id: TargetId, e: Evidence | null): Judged {
  const tg: Target = TARGETS[id];
  const p = e?.params ?? {};
  let target: string;
  if (typeof tg.text === 'string') target = tg.text;
  else if (e?.params) target = tg.text(p);
  else throw new Error(`bench target ${id}: its text needs the row's params`);
  if (e === null) return { target, rounds: '—', pass: null, figure: Number.NaN, failures: [] };
  const meets = tg.meets;
  const v = applyRule(e, meets && ((f) => meets(f, p)), tg.kind === 'exact');
  return { target, ...v };
}
