// The model document: the one contract between the trainer (which writes it)
// and the worker (which scores with it). Plain data only; see validate.ts for
// the rules a document must meet and ../engine/ for the maths applied to it.

export const MODEL_FORMAT = 'edgeseg.model/2';

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

export interface TargetHead {
  name: string;
  /** Display name in plain words (from the training config's labels). */
  label?: string;
  /** The raw value counted as the positive class. */
  positive: string;
  weights: number[];
  intercept: number;
  /** Decision threshold chosen on validation data. */
  threshold: number;
  l2: number;
  metrics: {
    test: BinaryMetrics;
    cv?: { folds: number; mean: Record<string, number>; sd: Record<string, number> };
  };
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
  format: typeof MODEL_FORMAT;
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
