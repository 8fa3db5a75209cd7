// The model document: the one contract between the trainer (which writes it)
// and the worker (which scores with it). Plain data only; see validate.ts for
// the rules a document must meet and ../engine/ for the maths applied to it.

import type { Tree } from './trees.ts';

export type { Tree } from './trees.ts';

/** The format of a model whose heads are all logistic (older workers read it). */
export const MODEL_FORMAT = 'edgeseg.model/2';
/** The format of a model with a boosted head: a worker that predates boosted heads refuses it by name. */
export const MODEL_FORMAT_BOOSTED = 'edgeseg.model/3';
export type ModelFormat = typeof MODEL_FORMAT | typeof MODEL_FORMAT_BOOSTED;

/** A field a caller sends. Missing values are replaced by `impute`. */
export type InputField = NumberInput | CategoryInput;

export interface NumberInput {
  name: string;
  type: 'number';
  impute: number;
  /** Training range, for forms and sanity warnings. */
  min: number;
  max: number;
  label?: string;
}

export interface CategoryInput {
  name: string;
  type: 'category';
  /** Known levels; for an ordinal field, in their declared order. */
  levels: string[];
  impute: string;
  ordinal?: boolean;
  /** Spellings folded onto a level in training (typos, rare levels → "other"). */
  aliases?: Record<string, string>;
  label?: string;
}

/**
 * One block of the encoded design vector. Numeric and ordinal features are one
 * standardised column each; a one-hot feature is one unscaled column per level.
 */
export type Feature = NumericFeature | OrdinalFeature | OneHotFeature;

export interface NumericFeature {
  kind: 'numeric';
  name: string;
  /** The input it reads, or absent when `expr` derives it from inputs. */
  input?: string;
  /** A derived-feature expression over input names (see expr.ts). */
  expr?: string;
  mean: number;
  std: number;
}

export interface OrdinalFeature {
  kind: 'ordinal';
  name: string;
  input: string;
  mean: number;
  std: number;
}

export interface OneHotFeature {
  kind: 'onehot';
  name: string;
  input: string;
}

/**
 * Per-input figures are arrays in `Model.inputs` order (the input names are
 * not repeated per segment): a number for a number input, null for a category
 * input, whose levels are described in `shares`.
 */
export type InputValues = (number | null)[];

export interface SegmentProfile {
  /** Mean of each number input, in raw units; null for category inputs. */
  means: InputValues;
  /** Share of each level of each category input. */
  shares: Record<string, Record<string, number>>;
}

export interface PopulationProfile extends SegmentProfile {
  /** Standard deviation of each number input, in raw units; null for category inputs. */
  stds: InputValues;
}

export interface Segment {
  id: number;
  label: string;
  description: string;
  action?: string;
  size: number;
  share: number;
  profile: SegmentProfile;
  /** Observed positive rate of each target in the segment. */
  rates?: Record<string, number>;
}

export interface KCandidate {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin?: number;
  calinskiHarabasz?: number;
  /** Bootstrap standard error of the silhouette (rows resampled, labels fixed); absent in older models. */
  silhouetteSE?: number;
  /** Share of training rows in the smallest segment; absent in older models. */
  minShare?: number;
}

/** How k was chosen with k "auto" (absent in older models and with an explicit k). */
export interface KRule {
  criterion: 'silhouette' | 'elbow' | 'davies-bouldin' | 'calinski-harabasz';
  /** Silhouette: a k within this of the best is nearly as good, and the smallest such k wins. */
  tolerance: number;
  /** A k with a segment under this share of training rows is not chosen. */
  minShare: number;
  /** The k the highest silhouette alone would have chosen. */
  rawBest: number;
}

export interface Segmentation {
  method: 'kmeans' | 'ward';
  /** k × d centroids in the encoded space. */
  centroids: number[][];
  segments: Segment[];
  population: PopulationProfile;
  selection: {
    candidates: KCandidate[];
    chosen: number;
    reason: string;
    rule?: KRule;
    /** Share of rows where nearest-centroid agrees with the clustering's own labels. */
    agreement?: number;
  };
}

export interface BinaryMetrics {
  rows: number;
  positiveRate: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  prAuc?: number;
  brier?: number;
  /** [[tn, fp], [fn, tp]] at the head's threshold. */
  confusion: [[number, number], [number, number]];
  /** Down-sampled ROC curve points [fpr, tpr]. */
  roc?: [number, number][];
  /** Down-sampled precision–recall curve points [recall, precision]. */
  pr?: [number, number][];
  /** Reliability: [mean predicted, observed rate, count] per bin. */
  calibration?: [number, number, number][];
}

/** What every binary head has, whichever model scores it. */
interface BinaryHeadCommon {
  name: string;
  /** Display name in plain words (from the training config's labels). */
  label?: string;
  /** The raw value counted as the positive class. */
  positive: string;
  /** Decision threshold chosen on validation data. */
  threshold: number;
  metrics: {
    test: BinaryMetrics;
    cv?: { folds: number; mean: Record<string, number>; sd: Record<string, number> };
  };
  /** How the head's model was chosen with "model": "auto"; absent when the config named the model. */
  choice?: HeadChoice;
  /** Global importance on held-out rows (boosted heads); absent in older models. */
  importance?: HeadImportance;
}

/** Each input's mean |contribution| to the log-odds (its `reasons`) over held-out rows, largest first. */
export interface HeadImportance {
  /** Held-out rows averaged over. */
  rows: number;
  inputs: { input: string; meanAbs: number }[];
}

/** A binary head: a logistic model (no `kind`, as in every model before boosted heads) or boosted trees. */
export type TargetHead = LogisticHead | BoostedHead;

/** L2-regularised logistic regression on the encoded vector. */
export interface LogisticHead extends BinaryHeadCommon {
  kind?: 'logistic';
  weights: number[];
  intercept: number;
  l2: number;
}

/** Gradient-boosted regression trees over the raw inputs (see trees.ts): log-odds = base + Σ tree leaves. */
export interface BoostedHead extends BinaryHeadCommon {
  kind: 'boosted';
  /** Log-odds before any tree (the training rows' positive rate). */
  base: number;
  trees: Tree[];
  params: BoostParams;
}

/** The booster's hyper-parameters, as fitted (iterations = trees kept). */
export interface BoostParams {
  learningRate: number;
  maxLeaves: number;
  minLeafSize: number;
  l2: number;
  maxBins: number;
  /** Trees fitted (fewer than maxIterations when early stopping ended the loop). */
  iterations: number;
  maxIterations: number;
  earlyStopping: boolean;
}

/** The automatic choice between heads: both cross-validated on the same stratified folds. */
export interface HeadChoice {
  /** Out-of-fold ROC-AUC of each candidate. */
  cvRocAuc: { logistic: number; boosted: number };
  /** Boosted ships only when its ROC-AUC beats logistic's by at least this much. */
  minGain: number;
  folds: number;
  chosen: 'logistic' | 'boosted';
}

export interface MulticlassMetrics {
  rows: number;
  accuracy: number;
  /** Unweighted means over classes. */
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** Mean negative log-likelihood of the true class. */
  logLoss: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
  /** confusion[true][predicted], classes in the head's order. */
  confusion: number[][];
}

/**
 * A multi-class target (e.g. a segment label supplied by the business): one
 * logistic model per class against the rest ('ovr'), the class probabilities
 * being the per-class sigmoids normalised to sum to 1.
 */
export interface ClassifierHead {
  name: string;
  /** Display name in plain words (from the training config's labels). */
  label?: string;
  method: 'ovr';
  classes: string[];
  /** One weight vector (encoded width) per class. */
  weights: number[][];
  intercepts: number[];
  l2: number;
  metrics: {
    test: MulticlassMetrics;
    cv?: { folds: number; mean: Record<string, number>; sd: Record<string, number> };
  };
}

export interface Projection {
  /** Centre subtracted before projecting. */
  mean: number[];
  /** 2 × d principal axes. */
  components: [number[], number[]];
  /** Share of variance each axis explains. */
  explained: [number, number];
  /** A sample of training points [x, y, segment] for the map. */
  sample: [number, number, number][];
}

/**
 * What the training rows looked like, for live drift (docs/monitoring.md): per
 * input its bins and the training rows in each, the rows per segment, and each
 * binary head's training score histogram. Absent in older models, which then
 * have no drift figures.
 */
export interface MonitoringBaseline {
  /** Training rows the shares are of. */
  rows: number;
  /**
   * Per input (in `inputs` order): a number input's bin edges (the distinct
   * training deciles, ascending; bin j holds edges[j-1] <= v < edges[j]), then
   * one bin for missing; a category input (null here) has a bin per level, one
   * for unseen levels and one for missing.
   */
  edges: (number[] | null)[];
  /** Per input, the training rows in each bin (counts, not shares: exact and compact; shares are count / rows). */
  inputs: number[][];
  /** The training rows in each segment, by segment id. */
  segments: number[];
  /** Per binary head (in `targets` order), the training rows in each of 20 equal bins of probability. */
  scores: number[][];
}

export interface Model {
  /** MODEL_FORMAT, or MODEL_FORMAT_BOOSTED when a head is boosted. */
  format: ModelFormat;
  /** Derived from the content (see version.ts). */
  version: string;
  training: {
    trainedAt: string;
    rows: number;
    dataSha256: string;
    sources: string[];
    seed: number;
  };
  inputs: InputField[];
  features: Feature[];
  segmentation: Segmentation;
  targets: TargetHead[];
  /** Multi-class heads; absent when there are none (older models never have them). */
  classifiers?: ClassifierHead[];
  projection: Projection;
  /** Training distributions for live drift; absent in older models. */
  monitoring?: MonitoringBaseline;
}
