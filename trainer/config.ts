// The trainer's config file: everything a user may declare instead of letting
// the trainer infer it. Validated up front so a typo fails before any work.
import { readFile } from 'node:fs/promises';

export type DeclaredKind = 'numeric' | 'categorical' | 'ordinal' | 'date' | 'id' | 'drop';

export interface ColumnConfig {
  kind?: DeclaredKind;
  /**
   * Level order of an ordinal column, lowest first; for a category column, its
   * real levels: never folded away, other spellings may fold onto them.
   */
  levels?: string[];
  /** false: keep every spelling as written (no typo folding, no "other"); case and spacing still fold. */
  fold?: boolean;
  label?: string;
  /**
   * false: an input the edge receives and derived features read, but not a
   * feature itself (e.g. monetary, when only log1p(monetary) should count).
   */
  feature?: boolean;
}

export type KCriterion = 'silhouette' | 'elbow' | 'davies-bouldin' | 'calinski-harabasz';
export const K_CRITERIA: KCriterion[] = ['silhouette', 'elbow', 'davies-bouldin', 'calinski-harabasz'];

export interface SegmentConfig {
  method?: 'kmeans' | 'ward';
  k?: 'auto' | number;
  kRange?: [number, number];
  /** What picks k when it is "auto" (default silhouette); every criterion is reported either way. */
  criterion?: KCriterion;
  /** With k "auto", no k with a segment under this share of training rows (default 0.05; 0 allows any). */
  minShare?: number;
  restarts?: number;
  /** Words for naming segments by an input: [low, high], e.g. "recency_days": ["Recent", "Lapsed"]. */
  words?: Record<string, [string, string]>;
  /** Override generated names, descriptions and actions, by segment id. */
  names?: Record<string, string>;
  descriptions?: Record<string, string>;
  actions?: Record<string, string>;
}

export interface TargetConfig {
  /** Default: binary for two classes (or a named positive), multi-class for more. */
  type?: 'binary' | 'multiclass';
  /** The raw value counted as positive (default: inferred from yes/true/1, or the minority class). */
  positive?: string;
  /** L2 strength as scikit-learn's C (default 1). */
  C?: number;
  classWeight?: 'balanced' | null;
  /** How the decision threshold is chosen on validation data. */
  threshold?: 'max-f1' | number | { precision: number } | { recall: number };
  /**
   * A binary target's model (default "auto": both cross-validated on the same
   * folds, boosted ships only when its ROC-AUC is ahead by 0.005 or more).
   * Multi-class targets are always logistic.
   */
  model?: 'logistic' | 'boosted' | 'auto';
  /** Boosted trees' hyper-parameters (defaults as in BOOST_DEFAULTS). */
  learningRate?: number;
  maxIterations?: number;
  maxLeaves?: number;
  minLeafSize?: number;
  /** L2 penalty on leaf values (scikit-learn's l2_regularization). */
  l2?: number;
  maxBins?: number;
  /** "auto" (default): on from 10,000 training rows, as scikit-learn's. */
  earlyStopping?: 'auto' | boolean;
}

/** The range each boosted hyper-parameter may take, for the config check. */
const BOOST_KEYS: [keyof TargetConfig, (v: number) => boolean, string][] = [
  ['learningRate', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['maxIterations', (v) => Number.isInteger(v) && v >= 1 && v <= 10000, 'an integer 1..10000'],
  ['maxLeaves', (v) => Number.isInteger(v) && v >= 2 && v <= 1024, 'an integer 2..1024'],
  ['minLeafSize', (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1'],
  ['l2', (v) => v >= 0 && Number.isFinite(v), 'a number ≥ 0'],
  ['maxBins', (v) => Number.isInteger(v) && v >= 2 && v <= 255, 'an integer 2..255'],
];

/**
 * `from` has a column `on` naming a row of `to` (many to one). When `to` is the
 * customer table, `from` is the transaction table and is aggregated per
 * customer; otherwise `to`'s columns are looked up into `from`'s rows.
 */
export interface JoinConfig {
  from: string;
  to: string;
  on: string;
  /** The key's name in `to`, when it differs from `on`. */
  toKey?: string;
}

/** A table with one row per order line, aggregated per customer (RFM and category spend shares). */
export interface TransactionsConfig {
  table: string;
  /** The customer key column of the transactions. */
  customer: string;
  date: string;
  quantity?: string;
  price?: string;
  /** Line value: a column or an expression over line columns (default: quantity * price). */
  amount?: string;
  /** Order number: frequency counts distinct orders (default: distinct purchase days). */
  invoice?: string;
  /** A category per line (own or looked up), for spend shares. */
  category?: string;
  /** Categories given their own spend share, largest first; the rest share "other" (default 8). */
  topCategories?: number;
  /** Customer attributes read from the lines (their most frequent value), e.g. Country. */
  attributes?: string[];
}

export interface TrainConfig {
  id?: string;
  targets?: string[];
  /** Per-target settings; `positive` may also be given as a plain map. */
  target?: Record<string, TargetConfig>;
  positive?: Record<string, string>;
  columns?: Record<string, ColumnConfig>;
  labels?: Record<string, string>;
  /** Derived features: name → expression over numeric columns. */
  derived?: Record<string, string>;
  segments?: SegmentConfig;
  seed?: number;
  testSize?: number;
  cvFolds?: number;
  /** The table with one row per customer, by file base name (default: the one no join reads from). */
  customers?: string;
  joins?: JoinConfig[];
  transactions?: TransactionsConfig;
  /** "As of" day for recency and date columns (YYYY-MM-DD; default: the day after the latest date seen). */
  referenceDate?: string;
}

const KNOWN_KEYS = [
  'id',
  'targets',
  'target',
  'positive',
  'columns',
  'labels',
  'derived',
  'segments',
  'seed',
  'testSize',
  'cvFolds',
  'customers',
  'joins',
  'transactions',
  'referenceDate',
  '$comment',
];

export class ConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const KINDS: DeclaredKind[] = ['numeric', 'categorical', 'ordinal', 'date', 'id', 'drop'];
const isName = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

export function checkConfig(doc: unknown, file = 'config'): TrainConfig {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ConfigError(file, ['must be a JSON object']);
  const c = doc as TrainConfig;
  for (const key of Object.keys(c))
    if (!KNOWN_KEYS.includes(key))
      problems.push(`unknown key "${key}" (known: ${KNOWN_KEYS.filter((k) => k[0] !== '$').join(', ')})`);
  if (c.id !== undefined && typeof c.id !== 'string') problems.push('"id" must be a column name');
  if (c.targets !== undefined && (!Array.isArray(c.targets) || !c.targets.every((t) => typeof t === 'string')))
    problems.push('"targets" must be an array of column names');
  for (const [name, col] of Object.entries(c.columns ?? {})) {
    if (col.kind !== undefined && !KINDS.includes(col.kind))
      problems.push(`columns.${name}.kind must be one of ${KINDS.join(', ')}`);
    if (col.kind === 'ordinal' && (!Array.isArray(col.levels) || col.levels.length < 2))
      problems.push(`columns.${name}: an ordinal column needs "levels" in order, lowest first`);
    if (col.feature !== undefined && typeof col.feature !== 'boolean')
      problems.push(`columns.${name}.feature must be true or false`);
    if (col.fold !== undefined && typeof col.fold !== 'boolean')
      problems.push(`columns.${name}.fold must be true or false`);
    const notCategory = col.kind !== undefined && col.kind !== 'categorical' && col.kind !== 'ordinal';
    if (notCategory && (col.fold !== undefined || col.levels !== undefined))
      problems.push(
        `columns.${name}: "fold" and "levels" apply to a categorical or ordinal column, not kind "${col.kind}"`,
      );
    if (col.levels !== undefined) {
      const ok =
        Array.isArray(col.levels) &&
        col.levels.length > 0 &&
        col.levels.every((l) => typeof l === 'string' && l.trim().length > 0);
      if (!ok) problems.push(`columns.${name}.levels must be an array of non-empty strings`);
      else {
        const seen = new Set(col.levels.map((l) => l.trim().replace(/\s+/g, ' ').toLowerCase()));
        if (seen.size !== col.levels.length)
          problems.push(`columns.${name}.levels lists a level twice (levels are compared ignoring case and spacing)`);
      }
    }
  }
  for (const [name, expr] of Object.entries(c.derived ?? {})) {
    if (typeof expr !== 'string') problems.push(`derived.${name} must be an expression string`);
  }
  const s = c.segments;
  if (s !== undefined) {
    if (s.method !== undefined && s.method !== 'kmeans' && s.method !== 'ward')
      problems.push('segments.method must be "kmeans" or "ward"');
    if (s.k !== undefined && s.k !== 'auto' && !(Number.isInteger(s.k) && s.k >= 1 && s.k <= 50))
      problems.push('segments.k must be "auto" or an integer 1..50');
    if (s.criterion !== undefined && !K_CRITERIA.includes(s.criterion))
      problems.push(`segments.criterion must be one of ${K_CRITERIA.join(', ')}`);
    if (s.minShare !== undefined && !(typeof s.minShare === 'number' && s.minShare >= 0 && s.minShare < 0.5))
      problems.push('segments.minShare must be a share of rows, at least 0 and under 0.5 (e.g. 0.05)');
    for (const [name, w] of Object.entries(s.words ?? {})) {
      if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => typeof x === 'string' && x.length > 0))
        problems.push(`segments.words.${name} must be ["<low word>", "<high word>"]`);
    }
    if (
      s.kRange !== undefined &&
      !(
        Array.isArray(s.kRange) &&
        s.kRange.length === 2 &&
        s.kRange[0] >= 2 &&
        s.kRange[1] >= s.kRange[0] &&
        s.kRange[1] <= 50
      )
    )
      problems.push('segments.kRange must be [min, max] with 2 ≤ min ≤ max ≤ 50');
  }
  for (const [name, t] of Object.entries(c.target ?? {})) {
    if (t.type !== undefined && t.type !== 'binary' && t.type !== 'multiclass')
      problems.push(`target.${name}.type must be "binary" or "multiclass"`);
    if (t.C !== undefined && !(typeof t.C === 'number' && t.C > 0))
      problems.push(`target.${name}.C must be a positive number`);
    if (t.model !== undefined && t.model !== 'logistic' && t.model !== 'boosted' && t.model !== 'auto')
      problems.push(`target.${name}.model must be "logistic", "boosted" or "auto"`);
    for (const [key, ok, want] of BOOST_KEYS) {
      const v = t[key];
      if (v !== undefined && !(typeof v === 'number' && ok(v))) problems.push(`target.${name}.${key} must be ${want}`);
    }
    if (t.earlyStopping !== undefined && t.earlyStopping !== 'auto' && typeof t.earlyStopping !== 'boolean')
      problems.push(`target.${name}.earlyStopping must be "auto", true or false`);
    const th = t.threshold;
    const fraction = (v: unknown) => typeof v === 'number' && v > 0 && v < 1;
    if (
      th !== undefined &&
      th !== 'max-f1' &&
      !fraction(th) &&
      !(
        typeof th === 'object' &&
        th !== null &&
        (fraction((th as { precision?: number }).precision) || fraction((th as { recall?: number }).recall))
      )
    ) {
      problems.push(`target.${name}.threshold must be "max-f1", a number in (0, 1), {"precision": p} or {"recall": r}`);
    }
  }
  if (c.joins !== undefined) {
    if (!Array.isArray(c.joins)) problems.push('"joins" must be an array of {"from", "to", "on"}');
    else
      c.joins.forEach((j, i) => {
        if (!isName(j?.from) || !isName(j?.to) || !isName(j?.on))
          problems.push(`joins[${i}] needs "from", "to" and "on" (table, table, key column)`);
        else if (j.from === j.to) problems.push(`joins[${i}] joins "${j.from}" to itself`);
      });
  }
  const t = c.transactions;
  if (t !== undefined) {
    if (typeof t !== 'object' || t === null) problems.push('"transactions" must be an object');
    else {
      for (const key of ['table', 'customer', 'date'] as const)
        if (!isName(t[key]))
          problems.push(`transactions.${key} is required (a ${key === 'table' ? 'table' : 'column'} name)`);
      if (t.amount === undefined && (!isName(t.quantity) || !isName(t.price)))
        problems.push('transactions needs "amount", or "quantity" and "price"');
      if (
        t.topCategories !== undefined &&
        !(Number.isInteger(t.topCategories) && t.topCategories >= 1 && t.topCategories <= 30)
      )
        problems.push('transactions.topCategories must be an integer 1..30');
      if (t.attributes !== undefined && !(Array.isArray(t.attributes) && t.attributes.every(isName)))
        problems.push('transactions.attributes must be an array of column names');
    }
  }
  if (
    c.referenceDate !== undefined &&
    !(
      typeof c.referenceDate === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(c.referenceDate) &&
      !Number.isNaN(Date.parse(c.referenceDate))
    )
  ) {
    problems.push('"referenceDate" must be a date written YYYY-MM-DD');
  }
  if (c.seed !== undefined && !Number.isInteger(c.seed)) problems.push('"seed" must be an integer');
  if (c.testSize !== undefined && !(typeof c.testSize === 'number' && c.testSize > 0 && c.testSize < 0.9))
    problems.push('"testSize" must be a fraction between 0 and 0.9');
  if (problems.length) throw new ConfigError(file, problems);
  return c;
}

export async function loadConfig(file: string): Promise<TrainConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split('\n').length;
      const column = pos - before.lastIndexOf('\n');
      throw new ConfigError(`${file}:${line}:${column}`, [`not valid JSON (${(e as Error).message})`]);
    }
    throw new ConfigError(file, [`not valid JSON (${(e as Error).message})`]);
  }
  return checkConfig(doc, file);
}
