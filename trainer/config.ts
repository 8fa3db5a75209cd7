// The trainer's config file: everything a user may declare instead of letting
// the trainer infer it. Validated up front so a typo fails before any work.
import { readFile } from 'node:fs/promises';

export type DeclaredKind = 'numeric' | 'categorical' | 'ordinal' | 'id' | 'drop';

export interface ColumnConfig {
  kind?: DeclaredKind;
  /** Level order of an ordinal column, lowest first. */
  levels?: string[];
  label?: string;
}

export interface SegmentConfig {
  method?: 'kmeans' | 'ward';
  k?: 'auto' | number;
  kRange?: [number, number];
  restarts?: number;
  /** Override generated names, descriptions and actions, by segment id. */
  names?: Record<string, string>;
  descriptions?: Record<string, string>;
  actions?: Record<string, string>;
}

export interface TargetConfig {
  /** The raw value counted as positive (default: inferred from yes/true/1, or the minority class). */
  positive?: string;
  /** L2 strength as scikit-learn's C (default 1). */
  C?: number;
  classWeight?: 'balanced' | null;
  /** How the decision threshold is chosen on validation data. */
  threshold?: 'max-f1' | number | { precision: number } | { recall: number };
}

export interface JoinConfig {
  /** Table name (file base name without extension) to join from. */
  table: string;
  /** Key column in the customer table. */
  on: string;
  /** Key column in the joined table (default: same as `on`). */
  key?: string;
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
  /** Extension point for multi-table configs (joins, transactions). */
  [key: string]: unknown;
}

export class ConfigError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const KINDS: DeclaredKind[] = ['numeric', 'categorical', 'ordinal', 'id', 'drop'];

export function checkConfig(doc: unknown, file = 'config'): TrainConfig {
  const problems: string[] = [];
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ConfigError(file, ['must be a JSON object']);
  const c = doc as TrainConfig;
  if (c.id !== undefined && typeof c.id !== 'string') problems.push('"id" must be a column name');
  if (c.targets !== undefined && (!Array.isArray(c.targets) || !c.targets.every((t) => typeof t === 'string'))) problems.push('"targets" must be an array of column names');
  for (const [name, col] of Object.entries(c.columns ?? {})) {
    if (col.kind !== undefined && !KINDS.includes(col.kind)) problems.push(`columns.${name}.kind must be one of ${KINDS.join(', ')}`);
    if (col.kind === 'ordinal' && (!Array.isArray(col.levels) || col.levels.length < 2)) problems.push(`columns.${name}: an ordinal column needs "levels" in order, lowest first`);
  }
  for (const [name, expr] of Object.entries(c.derived ?? {})) {
    if (typeof expr !== 'string') problems.push(`derived.${name} must be an expression string`);
  }
  const s = c.segments;
  if (s !== undefined) {
    if (s.method !== undefined && s.method !== 'kmeans' && s.method !== 'ward') problems.push('segments.method must be "kmeans" or "ward"');
    if (s.k !== undefined && s.k !== 'auto' && !(Number.isInteger(s.k) && s.k >= 1 && s.k <= 50)) problems.push('segments.k must be "auto" or an integer 1..50');
    if (s.kRange !== undefined && !(Array.isArray(s.kRange) && s.kRange.length === 2 && s.kRange[0] >= 2 && s.kRange[1] >= s.kRange[0] && s.kRange[1] <= 50)) problems.push('segments.kRange must be [min, max] with 2 ≤ min ≤ max ≤ 50');
  }
  if (c.seed !== undefined && !Number.isInteger(c.seed)) problems.push('"seed" must be an integer');
  if (c.testSize !== undefined && !(typeof c.testSize === 'number' && c.testSize > 0 && c.testSize < 0.9)) problems.push('"testSize" must be a fraction between 0 and 0.9');
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
