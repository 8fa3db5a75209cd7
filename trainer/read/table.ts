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
import { StringDecoder } from 'node:string_decoder';
import { CsvError, CsvParser, type CsvRow } from '../../model/index.ts';
import type { TrainConfig } from '../config.ts';
import { parseDateCell } from '../clean/dates.ts';
import { isMissingToken, isPlainNumber, normaliseKey, parseNumberCell } from '../clean/values.ts';
import { inferKind, type Inferred } from './infer.ts';

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

export function noteFix(log: FixLog, fix: string, raw: string, count = 1): void {
  const entry = (log.fixes[fix] ??= { count: 0, examples: [] });
  entry.count += count;
  if (entry.examples.length < 3 && !entry.examples.includes(raw)) entry.examples.push(raw);
}

interface Builder {
  add(raw: string | undefined, row: number): void;
  finish(rows: number): Column;
}

function grow<T extends Float64Array | Int32Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  const next = new (arr.constructor as new (n: number) => T)(Math.max(need, arr.length * 2));
  next.set(arr);
  return next;
}

/** Numbers and dates: one parser per cell, NaN when it fails. */
function floatBuilder(name: string, kind: 'numeric' | 'date'): Builder {
  let values = new Float64Array(1024);
  const col: NumericColumn | DateColumn = { kind, name, values, missing: 0, fixes: {} } as NumericColumn | DateColumn;
  const parse = kind === 'date' ? parseDateCell : parseNumberCell;
  const failure = kind === 'date' ? 'not-a-date' : 'not-a-number';
  let failed = 0;
  const numeric = kind === 'numeric';
  return {
    add(raw, row) {
      values = grow(values, row + 1);
      // Most cells are plain numbers: no missing-token check, no fix to note (same values as below).
      if (numeric && raw !== undefined && isPlainNumber(raw)) {
        values[row] = Number(raw);
        return;
      }
      if (raw === undefined || isMissingToken(raw)) {
        values[row] = NaN;
        col.missing++;
        if (raw !== undefined && raw.trim() !== '') noteFix(col, 'missing-token', raw);
        return;
      }
      const { value, fix } = parse(raw);
      values[row] = value;
      if (Number.isNaN(value)) {
        col.missing++;
        failed++;
        noteFix(col, failure, raw);
      } else if (fix) noteFix(col, fix, raw);
    },
    finish(rows) {
      const present = rows - col.missing + failed;
      // Mostly unreadable: the first rows looked like numbers, the rest of the file does not.
      if (present > 0 && failed > 0.5 * present) {
        return {
          kind: 'dropped',
          name,
          reason: `${failed} of ${present} values are not ${kind === 'date' ? 'dates' : 'numbers'} (e.g. ${col.fixes[failure].examples.map((e) => JSON.stringify(e)).join(', ')})`,
        };
      }
      col.values = values.slice(0, rows);
      return col;
    },
  };
}

function categoryBuilder(name: string, kind: CategoryColumn['kind']): Builder {
  let codes = new Int32Array(1024);
  const index = new Map<string, number>();
  const col: CategoryColumn = { kind, name, codes, dictionary: [], missing: 0, fixes: {} };
  const isKey = kind === 'key';
  return {
    add(raw, row) {
      codes = grow(codes, row + 1);
      // Outside keys a text seen before is a level already (the index holds only texts that were not
      // missing tokens), so no token check; a key's index also holds normalised spellings.
      if (!isKey && raw !== undefined) {
        const known = index.get(raw);
        if (known !== undefined) {
          codes[row] = known;
          return;
        }
      }
      if (raw === undefined || isMissingToken(raw)) {
        codes[row] = -1;
        col.missing++;
        if (raw !== undefined && raw.trim() !== '') noteFix(col, 'missing-token', raw);
        return;
      }
      let code = isKey ? index.get(raw) : undefined;
      if (code === undefined) {
        const text = isKey ? normaliseKey(raw) : raw;
        if (isKey && text !== raw) {
          // Several spellings of one key share a code.
          code = index.get(text);
        }
        if (code === undefined) {
          code = col.dictionary.length;
          col.dictionary.push(text);
          index.set(text, code);
        }
        index.set(raw, code);
      }
      if (isKey && col.dictionary[code] !== raw) noteFix(col, 'key-normalised', raw);
      codes[row] = code;
    },
    finish(rows) {
      col.codes = codes.slice(0, rows);
      return col;
    },
  };
}

function builderFor(name: string, inferred: Inferred | { kind: ForcedKind; reason: string }): Builder | DroppedColumn {
  switch (inferred.kind) {
    case 'numeric':
    case 'date':
      return floatBuilder(name, inferred.kind);
    case 'categorical':
    case 'ordinal':
    case 'label':
    case 'key':
      return categoryBuilder(name, inferred.kind);
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
  let builders: (Builder | DroppedColumn)[] = [];
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
    builders = header!.map((name, c) => {
      const force = forced[name];
      if (force) return builderFor(name, { kind: force, reason: 'required by the config' });
      const values = sample!.map((r) => r[c]).filter((v): v is string => v !== undefined);
      return builderFor(name, inferKind(name, values, config, labelColumns.has(name)));
    });
  };

  const addRow = (fields: string[]) => {
    for (let c = 0; c < builders.length; c++) {
      const b = builders[c];
      if ('add' in b) b.add(fields[c], rows);
    }
    rows++;
  };
  const flushSample = () => {
    decideKinds();
    const buffered = sample!;
    sample = null;
    for (const fields of buffered) addRow(fields);
  };

  for (const file of list) {
    // Where each column of this file goes (files after the first may order them differently).
    let slot: Int32Array | null = null;
    const partStart = rows;
    const parser = new CsvParser(
      (r) => {
        if (slot === null) {
          slot = headerSlots(r, file, header, list[0]);
          header ??= r.fields.map((h) => h.trim());
          return;
        }
        const width = slot.length;
        if (r.fields.length > width) {
          const column = r.fields.slice(0, width).reduce((n, f) => n + f.length + 1, 1);
          throw new CsvError(
            `expected ${width} fields as in the header, found ${r.fields.length}`,
            r.line,
            column,
            file,
          );
        }
        if (r.fields.length < width) shortRows++;
        const fields = reorder(r.fields, slot);
        if (sample !== null) {
          // Kinds come from the first rows; the buffered rows are replayed once they are decided.
          sample.push(fields);
          if (sample.length >= SAMPLE_ROWS) flushSample();
        } else addRow(fields);
      },
      { source: file },
    );

    const decoder = new StringDecoder('utf8'); // a character may straddle two chunks
    try {
      const stream = createReadStream(file, { highWaterMark: 1 << 20 });
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        parser.push(decoder.write(chunk as Buffer));
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
    parser.push(decoder.end());
    parser.end();
    if (slot === null) throw new CsvError('the file is empty (no header row)', 1, 1, file);
    if (sample !== null) flushSample();
    if (rows === partStart) throw new CsvError('the file has a header but no data rows', 2, 1, file);
    parts.push(rows - partStart);
  }

  const columns = builders.map((b) => ('finish' in b ? b.finish(rows) : b));
  return {
    source: list.map((f) => basename(f)).join(' + '),
    rows,
    columns,
    sha256: hash.digest('hex'),
    shortRows,
    parts,
  };
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
