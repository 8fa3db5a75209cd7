// Every bench row's target in one table: per row id, the text the target
// column shows, the rule that decides ✓/✗ from the row's measures, and a
// one-line reason. A section measures and names its row; `judge` gives the
// row its target and pass. A row whose baseline could not run is judged with
// null measures: it keeps its target text and passes neither way.
import { mb, ms } from './lib/format.ts';

interface Target<M> {
  /** The target column: fixed, or from the measures when the limit depends on the run's sizes. */
  target: string | ((m: M) => string);
  /** Whether the row meets its target; null for a context row, which has none. */
  rule: ((m: M) => boolean) | null;
  /** Why this target (or why none). */
  reason: string;
}

const row = <M>(t: Target<M>): Target<M> => t;

/** k-means peak RSS: the data and a copy's worth of labels and bounds, plus the runtime. */
const rssLimit = (rawMB: number) => 2 * rawMB + 150;
/** CSV ingest: 5 s per million rows. */
const csvLimit = (rows: number) => (5000 * rows) / 1e6;

export const TARGETS = {
  'kmeans.fit': row({
    target: '≤ 1× scikit-learn',
    rule: (m: { oursMs: number; sklearnMs: number }) => m.oursMs <= m.sklearnMs,
    reason:
      "k-means is most of `train`; on the same 1M rows it must be no slower than scikit-learn's KMeans (same algorithm and stopping rule).",
  }),
  'kmeans.peak-rss': row({
    target: (m: { peakMB: number; rawMB: number }) => `≤ 2× raw + 150 MB = ${mb(rssLimit(m.rawMB))}`,
    rule: (m) => m.peakMB <= rssLimit(m.rawMB),
    reason:
      'A fit holds the data plus per-thread labels and bounds: at most twice the raw matrix, plus 150 MB for Node and its threads.',
  }),
  'kmeans.mljs': row({
    target: 'context',
    rule: null,
    reason:
      "ml-kmeans (the tests' oracle) on 100k rows, full runs only: shows why our own kernel; it needs ~10 s a restart at 1M.",
  }),
  'pipeline.train': row({
    target: '≤ 1× scikit-learn',
    rule: (m: { oursMs: number; sklearnMs: number }) => m.oursMs <= m.sklearnMs,
    reason:
      'The whole `train` command, process start-up included, must be no slower than the same steps in scikit-learn.',
  }),
  'logistic.fit': row({
    target: '≤ 2× lbfgs',
    rule: (m: { oursMs: number; lbfgsMs: number }) => m.oursMs <= 2 * m.lbfgsMs,
    reason: "Our Newton fit of the same objective (C=1) within 2× of scikit-learn's default solver, lbfgs.",
  }),
  'logistic.coef': row({
    target: '≤ 1e-3',
    rule: (m: { gap: number }) => m.gap <= 1e-3,
    reason:
      "Same model, not just same predictions: coefficients within 1e-3 of scikit-learn's exact optimum (newton-cg, tol 1e-10), since lbfgs stops short on flat directions.",
  }),
  'logistic.mljs': row({
    target: 'context',
    rule: null,
    reason:
      'ml-logistic-regression fits another model (no intercept, no L2, 50,000 steps), so no target; full runs only, to show why our own kernel.',
  }),
  'pca.fit': row({
    target: 'part of `train`',
    rule: null,
    reason: 'No target of its own: PCA is a small step of `train`, whose row carries the target.',
  }),
  'ward.fit': row({
    target: 'context',
    rule: null,
    reason:
      "Ward is the optional alternative to k-means, on a sample of at most 3,000 rows; the row checks its cluster sizes against scikit-learn's.",
  }),
  'monitor.count': row({
    target: '≤ 200 ns a record',
    rule: (m: { nsPerRecord: number }) => m.nsPerRecord <= 200,
    reason:
      "Counting every scored record for live monitoring within a tenth of the 2 µs a record the batch rows' 500k rec/s floor allows; a single record's request costs ~50 µs, so it is noise there.",
  }),
  'monitor.flush': row({
    target: '≤ 100 ms',
    rule: (m: { ms: number }) => m.ms <= 100,
    reason:
      "A flush runs in waitUntil, at most once per isolate per 25 s, never on a request's path: 100 ms of it is far below what an isolate spends serving those 25 s.",
  }),
  'score.in-process': row({
    target: '≥ 2 M rec/s',
    rule: (m: { recordsPerSec: number }) => m.recordsPerSec >= 2e6,
    reason: "The scorer the worker and `score` run: one raw record in ≤ 500 ns of one core's CPU.",
  }),
  'edge.throughput': row({
    target: '≥ 0.9× /health',
    rule: (m: { ratio: number }) => m.ratio >= 0.9,
    reason:
      "Scoring one record should cost a request little beyond the worker's cheapest route: ≥ 0.9× GET /health's requests/s.",
  }),
  'edge.p99': row({
    target: '≤ 1.2× /health',
    rule: (m: { ratio: number }) => m.ratio <= 1.2,
    reason: "The same at the tail: a scored request's p99 within 1.2× of GET /health's.",
  }),
  'edge.batch-records': row({
    target: '≥ 500 k rec/s',
    rule: (m: { recordsPerSec: number }) => m.recordsPerSec >= 500_000,
    reason:
      'Batches of 1,000 records end to end on workerd (JSON in, JSON out) at ≥ 500k records/s; no same-run baseline, so an absolute rate.',
  }),
  'edge.batch-table': row({
    target: '≥ 500 k rec/s',
    rule: (m: { recordsPerSec: number }) => m.recordsPerSec >= 500_000,
    reason: "The compact table form (`columns` + `data`) at least as fast as the records form's target.",
  }),
  'edge.cold-start': row({
    target: '≤ 2 ms',
    rule: (m: { ms: number }) => m.ms <= 2,
    reason:
      'Every new isolate and model refresh reads the model from KV, parses, validates and compiles it: ≤ 2 ms keeps a cold request close to a warm one.',
  }),
  'edge.first-load': row({
    target: 'context',
    rule: null,
    reason:
      "The first load of a fresh isolate includes V8 compiling the code, which is not the model store's; on record, no target.",
  }),
  'edge.model-size': row({
    target: '≤ 20 KB',
    rule: (m: { bytes: number }) => m.bytes <= 20 * 1024,
    reason: 'The model is read from KV on every cold start: a 30-feature, k=8 model stays ≤ 20 KB.',
  }),
  'experiments.assign': row({
    target: '≤ 1 µs',
    rule: (m: { ns: number }) => m.ns <= 1000,
    reason:
      'Finding a visitor’s experiment and GrowthBook bucket runs on every answer with a visitor: about one record’s scoring, ≤ 1 µs of CPU.',
  }),
  'experiments.buffer': row({
    target: '≤ 1 µs',
    rule: (m: { ns: number }) => m.ns <= 1000,
    reason: 'An exposure costs the request a map entry, never a D1 write: ≤ 1 µs of CPU to buffer one.',
  }),
  'experiments.hash': row({
    target: 'context',
    rule: null,
    reason:
      'The visitor’s keyed hash (HMAC-SHA256 in plain JS, as the worker runs it on the request path); the throughput rows are the measure that counts.',
  }),
  'experiments.flush': row({
    target: 'context',
    rule: null,
    reason:
      'How many new visitors per second one D1 database takes when flushes are written one after another (local SQLite through miniflare); docs/experiments.md sizes a deployment from it.',
  }),
  'experiments.plain-score': row({
    target: 'context',
    rule: null,
    reason:
      'POST /v1/score without a visitor in the same rounds, so the experiment’s own cost reads off the two ratios.',
  }),
  'experiments.segment-throughput': row({
    target: '≥ 0.9× /health',
    rule: (m: { ratio: number }) => m.ratio >= 0.9,
    reason:
      'With an experiment running, GET /v1/segment for a visitor in it (assignment, keyed hash, signed receipt) keeps ≥ 0.9× GET /health’s requests/s.',
  }),
  'experiments.score-throughput': row({
    target: '≥ 0.9× /health',
    rule: (m: { ratio: number }) => m.ratio >= 0.9,
    reason: 'The same for POST /v1/score?visitor=…, one record.',
  }),
  'csv.ingest': row({
    target: (m: { ms: number; rows: number; quick: boolean }) =>
      `≤ ${ms(csvLimit(m.rows))}${m.quick ? ' (5 s per 1M, scaled)' : ''}`,
    rule: (m) => m.ms <= csvLimit(m.rows),
    reason:
      "Reading the CSV is `train`'s first step: ≤ 5 s per million rows, streamed into typed columns (scaled to a quick run's size).",
  }),
};

export type TargetId = keyof typeof TARGETS;
type Measures<K extends TargetId> = (typeof TARGETS)[K] extends Target<infer M> ? M : never;

/**
 * The target column and pass of row `id` from its measures; null measures
 * (a baseline that could not run) keep the target text and give no pass.
 */
export function judge<K extends TargetId>(id: K, m: Measures<K> | null): { target: string; pass: boolean | null } {
  const t = TARGETS[id] as Target<Measures<K>>;
  let target: string;
  if (typeof t.target === 'string') target = t.target;
  else if (m !== null) target = t.target(m);
  else throw new Error(`bench target ${id}: its text needs the row's measures`);
  return { target, pass: t.rule && m !== null ? t.rule(m) : null };
}
