// Deterministic generator of the bundled customer table (data/customers.csv)
// and its ground truth (data/customers.truth.csv).
//
// Every row is drawn from one of five known personas (a correlated Gaussian in
// the numeric columns plus persona-specific category mixes), and `purchased`
// is drawn from a known logistic model on the standardised features. Rows are
// drawn one at a time from a single seeded stream, so a smaller table is
// always a prefix of a larger one with the same seed, and the file can be
// streamed without holding it in memory.
//
//   npx tsx data/generate.ts [--rows N] [--seed S] [--out FILE] [--truth FILE]
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import { Rng } from '../trainer/estimators/rng.ts';
import {
  AGE,
  BASKET,
  CHANNELS,
  DEFAULTS,
  type Draft,
  drawCustomer,
  HEADER,
  INCOME,
  LOYALTY_TIERS,
  newDraft,
  NUMERIC_COUNT,
  REGIONS,
  SCORE,
  TENURE,
  TRUTH_HEADER,
  VISITS,
} from './customers-model.ts';

// ---------------------------------------------------------------------------
// Formatting

export const customerId = (i: number) => 'C' + String(i + 1).padStart(6, '0');

/** The CSV cells of one drafted row (no value needs quoting). */
export function formatRow(i: number, d: Draft): string[] {
  const x = d.x;
  return [
    customerId(i),
    String(x[AGE]),
    x[INCOME].toFixed(1),
    String(x[SCORE]),
    x[VISITS].toFixed(1),
    x[BASKET].toFixed(2),
    String(x[TENURE]),
    REGIONS[d.region],
    CHANNELS[d.channel],
    LOYALTY_TIERS[d.loyalty],
    d.purchased ? 'yes' : 'no',
  ];
}

/** One CSV line (no newline); the same cells as formatRow without the array. */
export function formatLine(i: number, d: Draft): string {
  const x = d.x;
  return `${customerId(i)},${x[AGE]},${x[INCOME].toFixed(1)},${x[SCORE]},${x[VISITS].toFixed(1)},${x[BASKET].toFixed(2)},${x[TENURE]},${REGIONS[d.region]},${CHANNELS[d.channel]},${LOYALTY_TIERS[d.loyalty]},${d.purchased ? 'yes' : 'no'}`;
}

/** Full-precision shortest round-trip text, so the truth file loses nothing. */
export function formatTruth(i: number, d: Draft): string {
  return `${customerId(i)},${d.segment},${d.p}`;
}

// ---------------------------------------------------------------------------
// In-memory generation

export interface GenerateOptions {
  rows?: number;
  seed?: number;
}

export interface Generated {
  header: string[];
  rows: string[][];
  truth: { segment: Int32Array; pPurchase: Float64Array };
}

function resolve(opts: GenerateOptions): { rows: number; seed: number } {
  const rows = opts.rows ?? DEFAULTS.rows;
  const seed = opts.seed ?? DEFAULTS.seed;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  return { rows, seed };
}

/** The whole table in memory, as CSV cells plus the ground truth. */
export function generateCustomers(opts: GenerateOptions = {}): Generated {
  const { rows, seed } = resolve(opts);
  const rng = new Rng(seed);
  const d = newDraft();
  const z = new Float64Array(NUMERIC_COUNT);
  const out: string[][] = new Array(rows);
  const segment = new Int32Array(rows);
  const pPurchase = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    drawCustomer(rng, d, z);
    out[i] = formatRow(i, d);
    segment[i] = d.segment;
    pPurchase[i] = d.p;
  }
  return { header: [...HEADER], rows: out, truth: { segment, pPurchase } };
}

// ---------------------------------------------------------------------------
// Streaming generation

export interface Chunk {
  csv: string;
  truth: string;
}

/**
 * The two files as text chunks of at most `chunkRows` rows each (headers in the
 * first chunk). Concatenating every chunk gives exactly the file contents.
 */
export function* generateChunks(opts: GenerateOptions & { chunkRows?: number } = {}): Generator<Chunk> {
  const { rows, seed } = resolve(opts);
  const chunkRows = opts.chunkRows ?? 8192;
  const rng = new Rng(seed);
  const d = newDraft();
  const z = new Float64Array(NUMERIC_COUNT);
  // Lines are collected and joined once per chunk: cheaper than growing a string.
  let csv: string[] = [HEADER.join(',')];
  let truth: string[] = [TRUTH_HEADER.join(',')];
  const flush = (): Chunk => ({ csv: csv.join('\n') + '\n', truth: truth.join('\n') + '\n' });
  for (let i = 0; i < rows; i++) {
    drawCustomer(rng, d, z);
    csv.push(formatLine(i, d));
    truth.push(formatTruth(i, d));
    if (csv.length >= chunkRows) {
      yield flush();
      csv = [];
      truth = [];
    }
  }
  if (csv.length > 0) yield flush();
}

/**
 * Write both files, honouring back-pressure so memory stays flat at any size.
 * Each file is written to a temporary name and renamed only once both are
 * complete, so a failure (bad path, full disk) never leaves a truncated sample.
 */
export async function writeCustomers(
  opts: GenerateOptions & { out?: string; truth?: string } = {},
): Promise<{ rows: number; out: string; truth: string }> {
  const { rows, seed } = resolve(opts); // validate before touching any file
  const out = opts.out ?? DEFAULTS.out;
  const truthPath = opts.truth ?? DEFAULTS.truth;
  const tmpOut = `${out}.${process.pid}.tmp`;
  const tmpTruth = `${truthPath}.${process.pid}.tmp`;
  const streams: WriteStream[] = [];
  try {
    const csvStream = await openStream(tmpOut, streams);
    const truthStream = await openStream(tmpTruth, streams);
    for (const chunk of generateChunks({ rows, seed })) {
      csvStream.write(chunk.csv);
      truthStream.write(chunk.truth);
      // Check needDrain at wait time: one stream may drain while we wait on the other.
      if (csvStream.writableNeedDrain) await once(csvStream, 'drain');
      if (truthStream.writableNeedDrain) await once(truthStream, 'drain');
    }
    await Promise.all(streams.map(closeStream));
    await rename(tmpOut, out);
    await rename(tmpTruth, truthPath);
  } catch (err) {
    for (const st of streams) st.destroy();
    await Promise.all([rm(tmpOut, { force: true }), rm(tmpTruth, { force: true })]);
    throw err;
  }
  return { rows, out, truth: truthPath };
}

/** Open a file for writing; an error before or during writing rejects a later wait. */
async function openStream(path: string, opened: WriteStream[]): Promise<WriteStream> {
  const st = createWriteStream(path);
  opened.push(st);
  await once(st, 'open');
  // A write error without a pending drain wait would otherwise crash the process.
  st.on('error', () => {});
  return st;
}

function closeStream(st: WriteStream): Promise<void> {
  return new Promise((res, rej) => {
    if (st.errored) return rej(st.errored);
    st.once('error', rej);
    st.end(() => res());
  });
}

// ---------------------------------------------------------------------------
// CLI

export function parseArgs(argv: string[]): Required<GenerateOptions> & { out: string; truth: string } {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = () => {
      if (value === undefined) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === '--rows') opts.rows = Number(need());
    else if (flag === '--seed') opts.seed = Number(need());
    else if (flag === '--out') opts.out = need();
    else if (flag === '--truth') opts.truth = need();
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npx tsx data/generate.ts [--rows N] [--seed S] [--out FILE] [--truth FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument: ${flag}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const res = await writeCustomers(opts);
  const ms = Math.round(performance.now() - t0);
  console.log(`wrote ${res.rows} rows to ${res.out} and truth to ${res.truth} (seed ${opts.seed}, ${ms} ms)`);
}

const invoked = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invoked) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
