// The training pipeline: table → schema → encoded matrix → segments, PCA and
// logistic heads → one validated, versioned model document plus a report of
// everything that was decided and measured on the way.
import { compileModel, scoreValues } from '../model/score.ts';
import { MODEL_FORMAT, type BinaryMetrics, type KCandidate, type Model, type TargetHead } from '../model/types.ts';
import { validateModel } from '../model/validate.ts';
import { computeVersion } from '../model/version.ts';
import { parseBooleanLike } from './clean/values.ts';
import { fitKMeans, assignNearest } from './cluster/kmeans.ts';
import { type Matrix, takeRows, clusterMeans, canonicalise } from './cluster/matrix.ts';
import { silhouette } from './cluster/quality.ts';
import { chooseK, sweepK, elbowKnee } from './cluster/select-k.ts';
import { fitWard } from './cluster/ward.ts';
import type { TargetConfig, TrainConfig } from './config.ts';
import { balancedWeights, fitLogistic, predictLogistic } from './logistic.ts';
import { chooseThreshold, evaluateBinary } from './metrics.ts';
import { fitPCA, projectRows } from './pca.ts';
import { Rng } from './rng.ts';
import { roundAll, roundSig, roundTo } from './round.ts';
import { buildSchema, encodeRows, fillValues, type Schema } from './schema.ts';
import { nameSegments } from './segments/naming.ts';
import { profileSegments } from './segments/profile.ts';
import { stratifiedFolds, stratifiedSplit } from './split.ts';
import type { CategoryColumn, Table } from './table.ts';

export interface TrainOptions {
  config: TrainConfig;
  seed: number;
  k: 'auto' | number;
  kRange: [number, number];
  /** ISO time stamped into the model (the CLI passes today's date). */
  trainedAt: string;
  sources: string[];
  onStep?: (step: string, done?: number, total?: number) => void;
}

export interface TargetReport {
  name: string;
  positive: string;
  rowsWithLabel: number;
  droppedUnlabelled: number;
  threshold: number;
  test: BinaryMetrics;
  /** The same held-out rows at threshold 0.5, the figure scikit-learn's accuracy is quoted at. */
  testAtHalf: BinaryMetrics;
  cv: { folds: number; mean: Record<string, number>; sd: Record<string, number> } | null;
  iterations: number;
}

export interface TrainReport {
  rows: number;
  trainRows: number;
  testRows: number;
  columns: { name: string; kind: string; reason: string; missing?: number; fixes?: Record<string, { count: number; examples: string[] }> }[];
  folds: Schema['folds'];
  shortRows: number;
  encodedWidth: number;
  segmentation: {
    method: 'kmeans' | 'ward';
    candidates: (KCandidate & { elbow?: boolean })[];
    chosen: number;
    reason: string;
    testSilhouette: number;
    agreement?: number;
  };
  targets: TargetReport[];
  timings: Record<string, number>;
}

export class TrainError extends Error {}

const now = () => performance.now();

/** Resolves a label column to 0/1 (255 = missing) and names the positive class. */
export function binaryLabel(col: CategoryColumn, positive?: string): { y: Uint8Array; positive: string } {
  const dict = col.dictionary;
  const counts = new Map<string, number>();
  const canon = (s: string) => s.trim();
  for (let i = 0; i < col.codes.length; i++) {
    const c = col.codes[i];
    if (c >= 0) counts.set(canon(dict[c]), (counts.get(canon(dict[c])) ?? 0) + 1);
  }
  const bools = [...counts.keys()].map(parseBooleanLike);
  const allBool = bools.every((b) => b !== null);
  let isPositive: (s: string) => boolean;
  let positiveName: string;
  if (positive !== undefined) {
    if (!counts.has(positive) && ![...counts.keys()].some((k) => k.toLowerCase() === positive.toLowerCase())) {
      throw new TrainError(`target "${col.name}": positive class "${positive}" does not occur (values: ${[...counts.keys()].slice(0, 10).join(', ')})`);
    }
    isPositive = (s) => s.toLowerCase() === positive.toLowerCase();
    positiveName = positive;
  } else if (allBool) {
    isPositive = (s) => parseBooleanLike(s) === true;
    positiveName = [...counts.keys()].find((k) => parseBooleanLike(k) === true) ?? 'true';
  } else {
    if (counts.size !== 2) {
      throw new TrainError(`target "${col.name}" has ${counts.size} distinct values (${[...counts.keys()].slice(0, 8).join(', ')}); a binary target needs two, or name the positive class in the config ("target": {"${col.name}": {"positive": "…"}})`);
    }
    // The minority class is the event of interest (churn, purchase, malignant).
    const [a, b] = [...counts.entries()].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
    positiveName = a[0];
    void b;
    isPositive = (s) => s === positiveName;
  }
  const codeIsPositive = dict.map((v) => (isPositive(canon(v)) ? 1 : 0));
  const y = new Uint8Array(col.codes.length);
  for (let i = 0; i < y.length; i++) {
    const c = col.codes[i];
    y[i] = c < 0 ? 255 : codeIsPositive[c];
  }
  let pos = 0;
  let total = 0;
  for (const v of y) if (v !== 255) { total++; pos += v; }
  if (pos === 0 || pos === total) throw new TrainError(`target "${col.name}" has only one class (${pos === 0 ? 'no' : 'all'} "${positiveName}")`);
  return { y, positive: positiveName };
}

export async function trainModel(table: Table, options: TrainOptions): Promise<{ model: Model; report: TrainReport }> {
  const { config, seed } = options;
  const step = options.onStep ?? (() => {});
  const timings: Record<string, number> = {};
  let t0 = now();
  const lap = (name: string) => { const t = now(); timings[name] = Math.round(t - t0); t0 = t; };

  const targets = config.targets ?? [];
  for (const t of targets) {
    if (!table.columns.some((c) => c.name === t)) {
      throw new TrainError(`target "${t}" is not a column of ${table.source} (columns: ${table.columns.map((c) => c.name).join(', ')})`);
    }
  }
  const labels = targets.map((name) => {
    const col = table.columns.find((c) => c.name === name) as CategoryColumn;
    const tc: TargetConfig = config.target?.[name] ?? {};
    return { name, tc, ...binaryLabel(col, tc.positive ?? config.positive?.[name]) };
  });

  // Held-out split, stratified on the first target so its rate is kept.
  step('split');
  const testSize = config.testSize ?? 0.2;
  const strata = labels[0]?.y;
  const { train, test } = stratifiedSplit(table.rows, testSize, seed, strata);
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
  const restarts = seg.restarts ?? 10;
  const kChoice = seg.k ?? options.k;
  const [kMin, kMax] = seg.kRange ?? options.kRange;
  const maxK = Math.min(kMax, Math.max(2, Xtrain.n - 1));
  step('segments');
  let centroids: Float64Array;
  let segLabels: Int32Array;
  let k: number;
  let reason: string;
  let candidates: (KCandidate & { elbow?: boolean })[] = [];
  let agreement: number | undefined;
  if (method === 'kmeans') {
    if (kChoice === 'auto') {
      const sweep = sweepK(Xtrain, { kMin: Math.min(kMin, maxK), kMax: maxK, restarts, seed });
      candidates = sweep.map((e) => ({
        k: e.k,
        inertia: roundSig(e.inertia),
        silhouette: roundTo(e.silhouette, 4),
        daviesBouldin: roundTo(e.daviesBouldin, 4),
        calinskiHarabasz: roundSig(e.calinskiHarabasz, 5),
      }));
      const knee = elbowKnee(sweep.map((e) => e.k), sweep.map((e) => e.inertia));
      ({ k, reason } = chooseK(candidates));
      for (const c of candidates) if (c.k === knee) c.elbow = true;
      const chosen = sweep.find((e) => e.k === k)!.fit;
      centroids = chosen.centroids;
      segLabels = chosen.labels;
    } else {
      k = kChoice;
      if (k > Xtrain.n) throw new TrainError(`k=${k} is more than the ${Xtrain.n} training rows`);
      const fit = fitKMeans(Xtrain, { k, restarts, seed });
      centroids = fit.centroids;
      segLabels = fit.labels;
      candidates = [{ k, inertia: roundSig(fit.inertia), silhouette: roundTo(silhouette(Xtrain, fit.labels, k, { seed }), 4) }];
      reason = `k=${k} as requested`;
    }
  } else {
    // Ward on a sample (its distance matrix is O(n²)); every row is then assigned to the nearest cluster mean.
    const sampleRows = new Rng(seed).sample(Xtrain.n, Math.min(Xtrain.n, 3000));
    const sample = takeRows(Xtrain, sampleRows);
    const fitFor = (kk: number) => {
      const w = fitWard(sample, { k: kk });
      const assigned = assignNearest(Xtrain, w.centroids, kk);
      const sampleAssigned = assignNearest(sample, w.centroids, kk).labels;
      let agree = 0;
      for (let i = 0; i < sample.n; i++) if (sampleAssigned[i] === w.labels[i]) agree++;
      return { centroids: w.centroids, labels: assigned.labels, inertia: assigned.inertia, agreement: agree / sample.n };
    };
    const ks = kChoice === 'auto' ? Array.from({ length: maxK - Math.min(kMin, maxK) + 1 }, (_, i) => Math.min(kMin, maxK) + i) : [kChoice];
    const fits = ks.map((kk) => ({ k: kk, ...fitFor(kk) }));
    candidates = fits.map((f) => ({ k: f.k, inertia: roundSig(f.inertia), silhouette: roundTo(silhouette(Xtrain, f.labels, f.k, { seed }), 4) }));
    if (kChoice === 'auto') ({ k, reason } = chooseK(candidates));
    else { k = kChoice; reason = `k=${k} as requested`; }
    const chosen = fits.find((f) => f.k === k)!;
    // Centroids = means of the final assignment, canonically ordered.
    const means = clusterMeans(Xtrain, chosen.labels, k);
    const canon = canonicalise(chosen.labels, means.centroids, k, d);
    centroids = canon.centroids;
    segLabels = canon.labels;
    agreement = roundTo(chosen.agreement, 4);
    reason += `; Ward on ${sample.n} sampled rows, nearest-centroid agrees with its labels on ${(100 * chosen.agreement).toFixed(1)}% of them`;
  }
  lap('segments');

  step('projection');
  const pca = fitPCA(Xtrain, { components: 2 });
  const pcaMean = roundAll(pca.mean);
  const components: [number[], number[]] = [roundAll(pca.components[0]), roundAll(pca.components[1] ?? new Float64Array(d))];
  lap('pca');

  // Logistic heads, fitted on the encoded training rows that have a label.
  const heads: TargetHead[] = [];
  const targetReports: TargetReport[] = [];
  for (const t of labels) {
    step(`target ${t.name}`);
    const trRows = Uint32Array.from({ length: train.length }, (_, i) => i).filter((i) => t.y[train[i]] !== 255);
    const teRows = Uint32Array.from({ length: test.length }, (_, i) => i).filter((i) => t.y[test[i]] !== 255);
    const Xtr = takeRows(Xtrain, trRows);
    const ytr = Uint8Array.from(trRows, (i) => t.y[train[i]]);
    const Xte = takeRows(Xtest, teRows);
    const yte = Uint8Array.from(teRows, (i) => t.y[test[i]]);
    const C = t.tc.C ?? 1;
    const weightsFor = (y: Uint8Array) => (t.tc.classWeight === 'balanced' ? balancedWeights(y) : undefined);

    // Cross-validation on the training rows: the spread of each metric, and
    // out-of-fold scores to choose the decision threshold on unseen rows.
    const folds = Math.min(config.cvFolds ?? 5, Math.max(0, Math.min(...[0, 1].map((c) => ytr.filter((v) => v === c).length))));
    let cv: TargetReport['cv'] = null;
    let threshold = 0.5;
    const rule = t.tc.threshold ?? 'max-f1';
    if (folds >= 2) {
      const fold = stratifiedFolds(Xtr.n, folds, seed, ytr);
      const oof = new Float64Array(Xtr.n);
      const perFold: BinaryMetrics[] = [];
      for (let f = 0; f < folds; f++) {
        const inIdx = Uint32Array.from({ length: Xtr.n }, (_, i) => i).filter((i) => fold[i] !== f);
        const outIdx = Uint32Array.from({ length: Xtr.n }, (_, i) => i).filter((i) => fold[i] === f);
        const yIn = Uint8Array.from(inIdx, (i) => ytr[i]);
        const fit = fitLogistic(takeRows(Xtr, inIdx).data, inIdx.length, d, yIn, { C, sampleWeight: weightsFor(yIn) });
        const p = predictLogistic(takeRows(Xtr, outIdx).data, outIdx.length, d, fit);
        outIdx.forEach((row, j) => { oof[row] = p[j]; });
        perFold.push(evaluateBinary(Uint8Array.from(outIdx, (i) => ytr[i]), p, 0.5));
      }
      threshold = roundTo(chooseThreshold(ytr, oof, rule), 4);
      const keys = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc', 'prAuc', 'brier'] as const;
      const mean: Record<string, number> = {};
      const sd: Record<string, number> = {};
      for (const key of keys) {
        const vals = perFold.map((m) => m[key] as number);
        const mu = vals.reduce((a, b) => a + b, 0) / vals.length;
        mean[key] = roundTo(mu, 4);
        sd[key] = roundTo(Math.sqrt(vals.reduce((a, b) => a + (b - mu) ** 2, 0) / vals.length), 4);
      }
      cv = { folds, mean, sd };
    } else if (typeof rule === 'number') threshold = rule;

    const fit = fitLogistic(Xtr.data, Xtr.n, d, ytr, { C, sampleWeight: weightsFor(ytr) });
    const rounded = { weights: roundAll(fit.weights), intercept: roundSig(fit.intercept) };
    // Evaluate what ships: the rounded weights on held-out rows.
    const pTest = predictLogistic(Xte.data, Xte.n, d, rounded);
    const testMetrics = roundMetrics(evaluateBinary(yte, pTest, threshold));
    const atHalf = roundMetrics(evaluateBinary(yte, pTest, 0.5));
    heads.push({
      name: t.name,
      positive: t.positive,
      weights: rounded.weights,
      intercept: rounded.intercept,
      threshold,
      l2: roundSig(1 / C),
      metrics: { test: testMetrics, ...(cv ? { cv } : {}) },
    });
    targetReports.push({
      name: t.name,
      positive: t.positive,
      rowsWithLabel: trRows.length + teRows.length,
      droppedUnlabelled: table.rows - trRows.length - teRows.length,
      threshold,
      test: testMetrics,
      testAtHalf: atHalf,
      cv,
      iterations: fit.iterations,
    });
  }
  lap('targets');

  // Profiles and names, on the training rows.
  step('profiles');
  const profiles = profileSegments(schema, train, segLabels, k);
  const names = nameSegments(schema.inputs, profiles);
  const rates = labels.map((t) => {
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
    ...(labels.length ? { rates: Object.fromEntries(labels.map((t, i) => [t.name, rates[i][s]])) } : {}),
  }));

  // A sample of training points for the map, spread over segments.
  const proj = projectRows(Xtrain, pca);
  const mapRows = new Rng(seed + 1).sample(train.length, Math.min(train.length, 150));
  const sample: [number, number, number][] = Array.from(mapRows, (i) => [roundTo(proj[2 * i], 3), roundTo(proj[2 * i + 1], 3), segLabels[i]]);

  const draft: Omit<Model, 'version'> = {
    format: MODEL_FORMAT,
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
        candidates: candidates.map(({ elbow: _e, ...c }) => c),
        chosen: k,
        reason,
        ...(agreement !== undefined ? { agreement } : {}),
      },
    },
    targets: heads,
    projection: {
      mean: pcaMean,
      components,
      explained: [roundTo(pca.explainedVarianceRatio[0], 4), roundTo(pca.explainedVarianceRatio[1] ?? 0, 4)],
      sample,
    },
  };
  const model = validateModel({ ...draft, version: await computeVersion(draft) });

  // Held-out segmentation quality, through the shipped model's own scorer.
  const cm = compileModel(model);
  const testLabels = new Int32Array(test.length);
  const values = cm.values;
  for (let i = 0; i < test.length; i++) {
    fillValues(schema.bindings, test[i], values);
    testLabels[i] = scoreValues(cm, []).segment.id;
  }
  const testSilhouette = test.length > k ? roundTo(silhouette(Xtest, testLabels, k, { seed }), 4) : NaN;
  lap('export');

  const report: TrainReport = {
    rows: table.rows,
    trainRows: train.length,
    testRows: test.length,
    columns: table.columns.map((c) =>
      c.kind === 'dropped'
        ? { name: c.name, kind: 'dropped', reason: c.reason }
        : { name: c.name, kind: c.kind, reason: schema.inputs.some((f) => f.name === c.name) || c.kind === 'label' ? (c.kind === 'label' ? 'target' : 'kept') : 'no usable values in training rows', missing: c.missing, fixes: c.fixes },
    ),
    folds: schema.folds,
    shortRows: table.shortRows,
    encodedWidth: d,
    segmentation: { method, candidates, chosen: k, reason, testSilhouette, ...(agreement !== undefined ? { agreement } : {}) },
    targets: targetReports,
    timings,
  };
  return { model, report };
}

function roundMetrics(m: BinaryMetrics): BinaryMetrics {
  const r = (v: number) => roundTo(v, 4);
  return {
    ...m,
    positiveRate: r(m.positiveRate),
    accuracy: r(m.accuracy),
    precision: r(m.precision),
    recall: r(m.recall),
    f1: r(m.f1),
    rocAuc: r(m.rocAuc),
    ...(m.prAuc !== undefined ? { prAuc: r(m.prAuc) } : {}),
    ...(m.brier !== undefined ? { brier: r(m.brier) } : {}),
  };
}

