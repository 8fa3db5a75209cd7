// Streams CSV files into typed columns: numbers and dates into Float64Array
// (NaN = missing), categories and keys into dictionary codes (Int32Array,
// -1 = missing). Column kinds are decided from the first rows (or the config)
// and the rest of the file never exists as text in memory. Every cleaning fix
// is counted. Several files with the same header (a train and a test split)
// read into one table, so both share one set of kinds and dictionaries.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CsvError, type CsvRow } from '../../model/index.ts';
import type { TrainConfig } from '../config.ts';
import { CategoryBuilder, type ColumnBuilder, FloatBuilder } from './columns.ts';
import { inferKind, type Inferred } from './infer.ts';
import { CsvScanner } from './scan.ts';

export { noteFix } from './columns.ts';

export interface FixLog {
  /** fix name → count and a few examples of the raw text. */
  fixes: Record<string, { count: number; examples: string[] }>;
}

export interface NumericColumn extends FixLog {
  kind: 'numeric';
  name: string;
  values: Float64Array;
  missing: number;
}

/** Days since 1970-01-01 UTC (fractional for a time of day). */
export interface DateColumn extends FixLog {
  kind: 'date';
  name: string;
  values: Float64Array;
  missing: number;
}

export interface CategoryColumn extends FixLog {
  /** `key`: a join key, compared as normalised text and never a feature. */
  kind: 'categorical' | 'ordinal' | 'label' | 'key';
  name: string;
  codes: Int32Array;
  dictionary: string[];
  missing: number;
}

export interface DroppedColumn {
  kind: 'dropped';
  name: string;
  reason: string;
}

export type Column = NumericColumn | DateColumn | CategoryColumn | DroppedColumn;

export interface Table {
  source: string;
  rows: number;
  columns: Column[];
  sha256: string;
  /** Rows with fewer fields than the header, padded as missing. */
  shortRows: number;
  /** Rows read from each file, in the order given. */
  parts: number[];
}

/** Kinds a caller can force, overriding the config and inference. */
export type ForcedKind = 'numeric' | 'categorical' | 'key' | 'date' | 'label';

export interface ReadOptions {
  kinds?: Record<string, ForcedKind>;
  /** Bytes read so far and in total, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

const SAMPLE_ROWS = 1000;

function builderFor(
  name: string,
  inferred: Inferred | { kind: ForcedKind; reason: string },
): ColumnBuilder | DroppedColumn {
  switch (inferred.kind) {
    case 'numeric':
    case 'date':
      return new FloatBuilder(name, inferred.kind);
    case 'categorical':
    case 'ordinal':
    case 'label':
    case 'key':
      return new CategoryBuilder(name, inferred.kind);
    default:
      return { kind: 'dropped', name, reason: inferred.reason };
  }
}

/**
 * Reads one CSV file, or several with the same columns (in any order), into a
 * Table. Throws CsvError (file:line:column) when a file is unreadable.
 */
export async function readTable(
  files: string | string[],
  config: TrainConfig = {},
  options: ReadOptions = {},
): Promise<Table> {
  const list = typeof files === 'string' ? [files] : files;
  if (list.length === 0) throw new Error('readTable: no files');
  const hash = createHash('sha256');
  let header: string[] | null = null;
  let sample: string[][] | null = [];
  let builders: (ColumnBuilder | null)[] = [];
  let dropped: (DroppedColumn | null)[] = [];
  let rows = 0;
  let shortRows = 0;
  const parts: number[] = [];
  const labelColumns = new Set(config.targets ?? []);
  const forced = options.kinds ?? {};

  const sizes = await Promise.all(
    list.map((f) =>
      stat(f).then(
        (s) => s.size,
        () => 0,
      ),
    ),
  );
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  let bytesDone = 0;

  const decideKinds = () => {
    const decided = header!.map((name, c) => {
      const force = forced[name];
      if (force) return builderFor(name, { kind: force, reason: 'required by the config' });
      const values = sample!.map((r) => r[c]).filter((v): v is string => v !== undefined);
      return builderFor(name, inferKind(name, values, config, labelColumns.has(name)));
    });
    builders = decided.map((b) => ('add' in b ? b : null));
    dropped = decided.map((b) => ('add' in b ? null : b));
  };

  const addRow = (fields: string[]) => {
    for (let c = 0; c < builders.length; c++) builders[c]?.add(fields[c], rows);
    rows++;
  };
  const flushSample = () => {
    decideKinds();
    const buffered = sample!;
    sample = null;
    for (const fields of buffered) addRow(fields);
  };

  for (const file of list) {
    // Where each column of this file goes (files after the first may order them differently),
    // and which of this file's fields fills each table column.
    let slot: Int32Array | null = null;
    let fieldOf: Int32Array | null = null;
    const partStart = rows;
    const scan: CsvScanner = new CsvScanner((count, line) => {
      if (slot === null) {
        const r = { fields: texts(scan, count), line };
        slot = headerSlots(r, file, header, list[0]);
        header ??= r.fields.map((h) => h.trim());
        fieldOf = new Int32Array(slot.length);
        for (let c = 0; c < slot.length; c++) fieldOf[slot[c]] = c;
        return;
      }
      const width = slot.length;
      if (count > width) {
        const column = texts(scan, width).reduce((n, f) => n + f.length + 1, 1);
        throw new CsvError(`expected ${width} fields as in the header, found ${count}`, line, column, file);
      }
      if (count < width) shortRows++;
      if (sample !== null) {
        // Kinds come from the first rows; the buffered rows are replayed once they are decided.
        sample.push(reorder(texts(scan, count), slot));
        if (sample.length >= SAMPLE_ROWS) flushSample();
        return;
      }
      const fields = fieldOf!;
      for (let t = 0; t < width; t++) {
        const b = builders[t];
        if (b === null) continue;
        const k = fields[t];
        if (k < count) b.addField(scan, k, rows);
        else b.add(undefined, rows);
      }
      rows++;
    }, file);

    try {
      const stream = createReadStream(file, { highWaterMark: 1 << 20 });
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        scan.push(chunk as Buffer);
        bytesDone += (chunk as Buffer).length;
        options.onProgress?.(bytesDone, totalBytes);
      }
    } catch (e) {
      if (e instanceof CsvError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new CsvError(
        code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (e as Error).message})`,
        0,
        0,
        file,
      );
    }
    scan.end();
    if (slot === null) throw new CsvError('the file is empty (no header row)', 1, 1, file);
    if (sample !== null) flushSample();
    if (rows === partStart) throw new CsvError('the file has a header but no data rows', 2, 1, file);
    parts.push(rows - partStart);
  }

  const columns = builders.map((b, c) => (b ? b.finish(rows) : dropped[c]!));
  return {
    source: list.map((f) => basename(f)).join(' + '),
    rows,
    columns,
    sha256: hash.digest('hex'),
    shortRows,
    parts,
  };
}

/** The first `count` fields of the scanner's row as text. */
function texts(scan: CsvScanner, count: number): string[] {
  return Array.from({ length: count }, (_, k) => scan.fieldText(k));
}

/**
 * Checks a header and maps its columns onto the first file's: the position of
 * each of this file's columns in the table (identity for the first file).
 */
function headerSlots(r: CsvRow, file: string, first: string[] | null, firstFile: string): Int32Array {
  const names = r.fields.map((h) => h.trim());
  const seen = new Set<string>();
  names.forEach((h, i) => {
    if (h === '') throw new CsvError(`header column ${i + 1} has no name`, r.line, 1, file);
    if (seen.has(h)) throw new CsvError(`header names "${h}" twice`, r.line, 1, file);
    seen.add(h);
  });
  if (first === null) return Int32Array.from(names, (_, i) => i);
  const missing = first.filter((h) => !seen.has(h));
  const extra = names.filter((h) => !first.includes(h));
  if (missing.length || extra.length) {
    const what = [...missing.map((m) => `missing "${m}"`), ...extra.map((e) => `extra "${e}"`)].join(', ');
    throw new CsvError(`the columns differ from ${basename(firstFile)}'s (${what})`, r.line, 1, file);
  }
  return Int32Array.from(names, (h) => first.indexOf(h));
}

/** A row's fields in table order; a short row's missing tail stays undefined. */
function reorder(fields: string[], slot: Int32Array): string[] {
  let identity = true;
  for (let c = 0; c < slot.length; c++)
    if (slot[c] !== c) {
      identity = false;
      break;
    }
  if (identity) return fields;
  const out = new Array<string>(slot.length);
  for (let c = 0; c < fields.length; c++) out[slot[c]] = fields[c];
  return out;
}
