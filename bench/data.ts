// The benchmark's data, written once under bench/out/data and read by both
// sides: the bundled generator's customers as a numeric matrix (for k-means,
// logistic regression, PCA and Ward), the generator's CSV (for the whole
// pipeline and CSV ingest), and the breast-cancer training split when
// ../shared is present. Everything is deterministic (fixed seeds), and each
// file's name carries a hash of the code and arguments that made it
// (bench/lib/stamp.ts), so a changed generator never leaves a stale file.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { drawCustomer, newDraft } from '../data/customers-model.ts';
import { writeCustomers } from '../data/generate.ts';
import { parseCsvText } from '../model/index.ts';
import { Rng } from '../trainer/estimators/rng.ts';
import { writeArray } from './lib/io.ts';
import { inputKey, keyedPath } from './lib/stamp.ts';

export const DATA_DIR = 'bench/out/data';
const SEED = 7;
/** The code that writes the generator's files: the generator (data/) and this file. */
const GENERATOR = ['data/customers-model.ts', 'data/generate.ts', 'trainer/estimators/rng.ts', 'bench/data.ts'];

export interface MatrixFile {
  /** Row-major float64 values. */
  x: string;
  /** 0/1 labels, one byte per row. */
  y: string;
  n: number;
  d: number;
  what: string;
}

/**
 * `rows` customers from the generator as 10 columns: the six numeric columns
 * and the loyalty tier (as its rank) standardised, and the channel one-hot —
 * the generator's five personas, overlapping as real segments do. The label is
 * `purchased`.
 */
export function customerMatrix(rows: number): MatrixFile {
  mkdirSync(DATA_DIR, { recursive: true });
  const key = inputKey(GENERATOR, { rows, seed: SEED, matrix: 'customers x10' });
  const file: MatrixFile = {
    x: keyedPath(DATA_DIR, `customers-${rows}x10`, key, '.f64'),
    y: keyedPath(DATA_DIR, `customers-${rows}x10`, key, '.y'),
    n: rows,
    d: 10,
    what: `${fmtRows(rows)}×10 generator customers`,
  };
  if (existsSync(file.x) && existsSync(file.y)) return file;
  const d = 10;
  const X = new Float64Array(rows * d);
  const y = new Uint8Array(rows);
  const rng = new Rng(SEED);
  const draft = newDraft();
  const z = new Float64Array(6);
  for (let i = 0; i < rows; i++) {
    drawCustomer(rng, draft, z);
    const o = i * d;
    for (let j = 0; j < 6; j++) X[o + j] = draft.x[j];
    X[o + 6] = draft.loyalty;
    X[o + 7 + draft.channel] = 1;
    y[i] = draft.purchased ? 1 : 0;
  }
  standardise(X, rows, d, 7);
  writeArray(file.x, X);
  writeArray(file.y, y);
  return file;
}

/** The generator's CSV with `rows` rows (the file `npm run generate-sample -- --rows` writes). */
export async function customerCsv(rows: number): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const key = inputKey(GENERATOR, { rows, seed: SEED, csv: true });
  const out = keyedPath(DATA_DIR, `customers-${rows}`, key, '.csv');
  const truth = keyedPath(DATA_DIR, `customers-${rows}`, key, '.truth.csv');
  if (!existsSync(out)) await writeCustomers({ rows, seed: SEED, out, truth });
  return out;
}

export const BREAST_CANCER = '../shared/reference/breast_cancer.train.csv';

/** The breast-cancer training split (455×30), standardised, label M = 1; null when ../shared is absent. */
export function breastCancer(): MatrixFile | null {
  if (!existsSync(BREAST_CANCER)) return null;
  mkdirSync(DATA_DIR, { recursive: true });
  const key = inputKey([BREAST_CANCER, 'bench/data.ts'], { standardised: true });
  const rows = parseCsvText(readFileSync(BREAST_CANCER, 'utf8'));
  const header = rows[0].fields;
  const label = header.indexOf('diagnosis');
  const cols = header.map((_, j) => j).filter((j) => j !== label);
  const n = rows.length - 1;
  const d = cols.length;
  const file: MatrixFile = {
    x: keyedPath(DATA_DIR, 'breast-cancer-train', key, '.f64'),
    y: keyedPath(DATA_DIR, 'breast-cancer-train', key, '.y'),
    n,
    d,
    what: `breast cancer train split ${n}×${d}`,
  };
  if (existsSync(file.x) && existsSync(file.y)) return file;
  const X = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = rows[i + 1].fields;
    cols.forEach((c, j) => {
      X[i * d + j] = Number(f[c]);
    });
    y[i] = f[label].trim() === 'M' ? 1 : 0;
  }
  standardise(X, n, d, d);
  writeArray(file.x, X);
  writeArray(file.y, y);
  return file;
}

/** Columns 0..cols-1 of the n×d matrix to zero mean and unit population standard deviation, as StandardScaler. */
function standardise(X: Float64Array, n: number, d: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += X[i * d + j];
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (X[i * d + j] - mean) ** 2;
    const inv = 1 / Math.sqrt(ss / n);
    for (let i = 0; i < n; i++) X[i * d + j] = (X[i * d + j] - mean) * inv;
  }
}

export function fmtRows(n: number): string {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}k`;
  return String(n);
}
