// The training pipeline: table → schema → encoded matrix → segments, PCA and
// heads (binary and multi-class) → one validated, versioned model document
// plus a report of everything that was decided and measured on the way.
import {
  compileModel,
  createScorer,
  formatFor,
  type BinaryMetrics,
  type ClassifierHead,
  type KCandidate,
  type KRule,
  type Model,
  type MulticlassMetrics,
  type TargetHead,
  validateModel,
  computeVersion,
} from '../model/index.ts';
import { type Matrix, takeRows } from './estimators/matrix.ts';
import { silhouette } from './estimators/quality.ts';
import type { TargetConfig, TrainConfig } from './config.ts';
import { TrainError } from './errors.ts';
import { indicesWhere, type CvSummary } from './heads/cv.ts';
import { fitChosenHead } from './heads/choose.ts';
import { treeData } from './features/tree-data.ts';
import type { TreeData } from './estimators/boosting/boost.ts';
import { fitMulticlassHead } from './heads/multiclass.ts';
import { resolveLabel, type BinaryLabel, type MulticlassLabel } from './features/labels.ts';
import { fitPCA, projectRows } from './estimators/pca.ts';
import { Rng } from './estimators/rng.ts';
import { roundAll, roundTo } from './round.ts';
import { addImportance } from './heads/importance.ts';
import { buildSchema, encodeRows, fillValues, type Schema } from './features/schema.ts';
import { trainingBaseline } from './features/baseline.ts';
import { fitSegments } from './segments/fit.ts';
import { nameSegments } from './segments/naming.ts';
import { profileSegments } from './segments/profile.ts';
import { stratifiedSplit } from './estimators/split.ts';
import type { AssemblyLog, ColumnLog } from './tables/log.ts';
import type { CategoryColumn, Table } from './read/table.ts';

export interface TrainOptions {
  config: TrainConfig;
  seed: number;
  k: 'auto' | number;
  kRange: [number, number];
  /** ISO time stamped into the model (the CLI passes today's date). */
  trainedAt: string;
  sources: string[];
  /** Held-out rows chosen by the caller (a --test file); default: a stratified random split. */
  split?: { train: Uint32Array; test: Uint32Array };
  /** How the table was put together from several files, for the report. */
  assembly?: AssemblyLog;
  /** A long step's progress: its name, and done of total when it can count. */
  onStep?: (step: string, done?: number, total?: number) => void;
}

export interface TargetReport {
  name: string;
  positive: string;
  rowsWithLabel: number;
  droppedUnlabelled: number;
  threshold: number;
  thresholdRule: string;
  classWeight: 'balanced' | null;
  test: BinaryMetrics;
  /** The same held-out rows at threshold 0.5, the figure scikit-learn's accuracy is quoted at. */
  testAtHalf: BinaryMetrics;
  cv: CvSummary | null;
  /** Newton iterations (logistic) or trees (boosted). */
  iterations: number;
  /** The model that ships, and how it was chosen ("model": "auto"). */
  model: 'logistic' | 'boosted';
  choice?: TargetHead['choice'];
}

export interface ClassifierReport {
  name: string;
  classes: string[];
  classSizes: Record<string, number>;
  rowsWithLabel: number;
  droppedUnlabelled: number;
  test: MulticlassMetrics;
  cv: CvSummary | null;
}

export interface TrainReport {
  rows: number;
  trainRows: number;
  testRows: number;
  /** 'random': a stratified split of the table; 'given': the caller's held-out rows (--test). */
  split: 'random' | 'given';
  columns: (ColumnLog & { reason: string })[];
  folds: Schema['folds'];
  shortRows: number;
  encodedWidth: number;
  segmentation: {
    method: 'kmeans' | 'ward';
    candidates: (KCandidate & { elbow?: boolean })[];
    chosen: number;
    reason: string;
    rule?: KRule;
    testSilhouette: number;
    agreement?: number;
    sampled?: number;
  };
  targets: TargetReport[];
  classifiers: ClassifierReport[];
  /** Up to 1,000 training rows on the PCA map: [x, y, segment]. */
  map: [number, number, number][];
  tables?: AssemblyLog;
  timings: Record<string, number>;
}

export { TrainError };

const now = () => performance.now();

type Label = { name: string; tc: TargetConfig } & (BinaryLabel | MulticlassLabel);

export async function trainModel(table: Table, options: TrainOptions): Promise<{ model: Model; report: TrainReport }> {
  const { config, seed } = options;
  const step = options.onStep ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = now();
  const lap = (name: string) => {
    const t = now();
    timings[name] = Math.round(t - t0);
    t0 = t;
  };

  const labels: Label[] = (config.targets ?? []).map((name) => {
    const col = table.columns.find((c) => c.name === name);
    if (!col)
      throw new TrainError(
        `target "${name}" is not a column of ${table.source} (columns: ${table.columns.map((c) => c.name).join(', ')})`,
      );
    if (col.kind !== 'label')
      throw new TrainError(
        `target "${name}" was read as ${col.kind === 'dropped' ? `dropped (${col.reason})` : `a ${col.kind} column`}, not a label`,
      );
    const tc: TargetConfig = config.target?.[name] ?? {};
    return { name, tc, ...resolveLabel(col as CategoryColumn, tc, tc.positive ?? config.positive?.[name]) };
  });
  const missingLabel = (t: Label, row: number) => (t.type === 'binary' ? t.y[row] === 255 : t.y[row] < 0);

  // Held-out split, stratified on the first target so its rate is kept.
  step('split');
  const testSize = config.testSize ?? 0.2;
  const { train, test } = options.split ?? stratifiedSplit(table.rows, testSize, seed, labels[0]?.y);
  if (train.length < 10) throw new TrainError(`only ${train.length} training rows; need at least 10`);

  step('schema');
  const schema = buildSchema(table, config, train);
  const d = schema.d;
  const Xtrain: Matrix = { data: encodeRows(schema, train), n: train.length, d };
  const Xtest: Matrix = { data: encodeRows(schema, test), n: test.length, d };
  lap('encode');

  // Segments.
  const seg = config.segments ?? {};
  const method = seg.method ?? 'kmeans';
  const segFit = fitSegments(Xtrain, {
    method,
    k: seg.k ?? options.k,
    kRange: seg.kRange ?? options.kRange,
    restarts: seg.restarts ?? 10,
    criterion: seg.criterion,
    minShare: seg.minShare,
    seed,
    // Counts are values of k done; the name stays short enough for the bar to fit a terminal.
    onProgress: (done, total) => step(`segments (${method === 'ward' ? 'Ward' : 'k-means'})`, done, total),
  });
  const { k, centroids, labels: segLabels } = segFit;
  lap('segments');

  step('projection');
  const pca = fitPCA(Xtrain, { components: Math.min(2, d) });
  const pcaMean = roundAll(pca.mean);
  const components: [number[], number[]] = [
    roundAll(pca.components[0]),
    roundAll(pca.components[1] ?? new Float64Array(d)),
  ];
  lap('pca');

  // Heads, fitted on the encoded training rows that have a label.
  const heads: TargetHead[] = [];
  // The rows as trees read them, made once and only when a head may be boosted.
  let trees: TreeData | null = null;
  const treeRows = () => (trees ??= treeData(schema, table.rows));
  const classifiers: ClassifierHead[] = [];
  const targetReports: TargetReport[] = [];
  const classifierReports: ClassifierReport[] = [];
  for (const t of labels) {
    const trRows = indicesWhere(train.length, (i) => !missingLabel(t, train[i]));
    const teRows = indicesWhere(test.length, (i) => !missingLabel(t, test[i]));
    if (teRows.length === 0) throw new TrainError(`target "${t.name}": no held-out row has a label`);
    const common = {
      name: t.name,
      // Every row labelled (the usual case): the encoded rows as they are, not a copy.
      Xtr: trRows.length === train.length ? Xtrain : takeRows(Xtrain, trRows),
      Xte: teRows.length === test.length ? Xtest : takeRows(Xtest, teRows),
      config: t.tc,
      folds: config.cvFolds ?? 5,
      seed,
      onProgress: (done: number, total: number) => step(`target ${t.name} (CV folds + fit)`, done, total),
    };
    const counts = {
      rowsWithLabel: trRows.length + teRows.length,
      droppedUnlabelled: train.length + test.length - trRows.length - teRows.length,
    };
    if (t.type === 'binary') {
      const { head, report } = fitChosenHead({
        ...common,
        positive: t.positive,
        ytr: Uint8Array.from(trRows, (i) => t.y[train[i]]),
        yte: Uint8Array.from(teRows, (i) => t.y[test[i]]),
        trees: treeRows,
        rowsTr: Uint32Array.from(trRows, (i) => train[i]),
        rowsTe: Uint32Array.from(teRows, (i) => test[i]),
      });
      heads.push(head);
      targetReports.push({
        name: t.name,
        positive: t.positive,
        ...counts,
        ...report,
        model: head.kind ?? 'logistic',
        ...(head.choice ? { choice: head.choice } : {}),
      });
    } else {
      const { head, report } = fitMulticlassHead({
        ...common,
        classes: t.classes,
        ytr: Int32Array.from(trRows, (i) => t.y[train[i]]),
        yte: Int32Array.from(teRows, (i) => t.y[test[i]]),
      });
      classifiers.push(head);
      classifierReports.push({ name: t.name, classes: t.classes, ...counts, ...report });
    }
  }
  lap('targets');

  // Profiles and names, on the training rows.
  step('profiles');
  const profiles = profileSegments(schema, train, segLabels, k);
  const names = nameSegments(schema.inputs, profiles, seg.words);
  const binaries = labels.filter((t): t is Label & BinaryLabel => t.type === 'binary');
  const rates = binaries.map((t) => {
    const pos = new Float64Array(k);
    const cnt = new Float64Array(k);
    train.forEach((r, i) => {
      if (t.y[r] === 255) return;
      cnt[segLabels[i]]++;
      pos[segLabels[i]] += t.y[r];
    });
    return Array.from(pos, (p, s) => roundTo(p / Math.max(cnt[s], 1), 4));
  });
  const segments = names.map((n, s) => ({
    id: s,
    label: seg.names?.[String(s)] ?? n.label,
    description: seg.descriptions?.[String(s)] ?? n.description,
    ...(seg.actions?.[String(s)] ? { action: seg.actions[String(s)] } : {}),
    size: profiles.sizes[s],
    share: roundTo(profiles.sizes[s] / train.length, 4),
    profile: profiles.segments[s],
    ...(binaries.length ? { rates: Object.fromEntries(binaries.map((t, i) => [t.name, rates[i][s]])) } : {}),
  }));

  // A sample of training points for the map, spread over segments.
  const proj = projectRows(Xtrain, pca);
  const mapRows = new Rng(seed + 1).sample(train.length, Math.min(train.length, 150));
  const m = pca.components.length; // 1 when there is a single feature
  const point = (i: number, digits = 3): [number, number, number] => [
    roundTo(proj[m * i], digits),
    m > 1 ? roundTo(proj[m * i + 1], digits) : 0,
    segLabels[i],
  ];
  // The model's map points are drawn at most ~600 px wide over a span of tens of units:
  // two decimals are finer than a pixel, and the model is read on every cold start.
  const sample = Array.from(mapRows, (i) => point(i, 2));

  // Display names for targets travel with the model, for the dashboard.
  for (const h of [...heads, ...classifiers]) {
    const label = config.labels?.[h.name] ?? config.columns?.[h.name]?.label;
    if (label) h.label = label;
  }
  const draft: Omit<Model, 'version'> = {
    format: formatFor(heads),
    training: {
      trainedAt: options.trainedAt,
      rows: table.rows,
      dataSha256: table.sha256,
      sources: options.sources,
      seed,
    },
    inputs: schema.inputs,
    features: schema.features,
    segmentation: {
      method,
      centroids: Array.from({ length: k }, (_, c) => roundAll(centroids.subarray(c * d, (c + 1) * d))),
      segments,
      population: profiles.population,
      selection: {
        candidates: segFit.candidates.map(({ elbow: _e, ...c }) => c),
        chosen: k,
        reason: segFit.reason,
        ...(segFit.rule ? { rule: segFit.rule } : {}),
        ...(segFit.agreement !== undefined ? { agreement: segFit.agreement } : {}),
      },
    },
    targets: heads,
    ...(classifiers.length ? { classifiers } : {}),
    projection: {
      mean: pcaMean,
      components,
      explained: [roundTo(pca.explainedVarianceRatio[0], 4), roundTo(pca.explainedVarianceRatio[1] ?? 0, 4)],
      sample,
    },
  };
  addImportance(draft, schema.bindings, test);
  // Training distributions for live drift, counted by the model's own scorer (so after the heads).
  draft.monitoring = trainingBaseline(draft, schema, train);
  const model = validateModel({ ...draft, version: await computeVersion(draft) });

  // Held-out segmentation quality, through the shipped model's own scorer.
  step('held-out segments');
  const scorer = createScorer(compileModel(model));
  const testLabels = new Int32Array(test.length);
  for (let i = 0; i < test.length; i++) {
    fillValues(schema.bindings, test[i], scorer.values);
    testLabels[i] = scorer.scoreValues([]).segment.id;
  }
  const testSilhouette =
    test.length > k && k > 1 && new Set(testLabels).size > 1
      ? roundTo(silhouette(Xtest, testLabels, k, { seed }), 4)
      : NaN;
  lap('export');

  const used = new Set(schema.inputs.map((f) => f.name));
  const report: TrainReport = {
    rows: table.rows,
    trainRows: train.length,
    testRows: test.length,
    split: options.split ? 'given' : 'random',
    columns: table.columns.map((c) => {
      if (c.kind === 'dropped') return { name: c.name, kind: 'dropped', reason: c.reason };
      const reason =
        c.kind === 'label'
          ? 'target'
          : c.kind === 'key'
            ? 'join key'
            : used.has(c.name)
              ? 'kept'
              : 'no usable values in training rows';
      return { name: c.name, kind: c.kind, reason, missing: c.missing, fixes: c.fixes };
    }),
    folds: schema.folds,
    shortRows: table.shortRows,
    encodedWidth: d,
    segmentation: {
      method,
      candidates: segFit.candidates,
      chosen: k,
      reason: segFit.reason,
      ...(segFit.rule ? { rule: segFit.rule } : {}),
      testSilhouette,
      ...(segFit.agreement !== undefined ? { agreement: segFit.agreement, sampled: segFit.sampled } : {}),
    },
    targets: targetReports,
    classifiers: classifierReports,
    map: Array.from(new Rng(seed + 2).sample(train.length, Math.min(train.length, 1000)), (i) => point(i)),
    ...(options.assembly ? { tables: options.assembly } : {}),
    timings,
  };
  return { model, report };
}

/** Rows 0..n-1 split into the first `trainRows` and the rest: the split a --test file gives. */
export function givenSplit(trainRows: number, total: number): { train: Uint32Array; test: Uint32Array } {
  return {
    train: Uint32Array.from({ length: trainRows }, (_, i) => i),
    test: Uint32Array.from({ length: total - trainRows }, (_, i) => trainRows + i),
  };
}
