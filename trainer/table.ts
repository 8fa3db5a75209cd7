// Streams a CSV file into typed columns: numbers into Float64Array (NaN =
// missing), categories into dictionary codes (Int32Array, -1 = missing). Column
// kinds are decided from the first rows (or the config) and the rest of the
// file never exists as text in memory. Every cleaning fix is counted.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, CsvParser, type CsvRow } from '../model/csv.ts';
import type { TrainConfig } from './config.ts';
import { isMissingToken, parseNumberCell } from './clean/values.ts';
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

export interface CategoryColumn extends FixLog {
  kind: 'categorical' | 'ordinal' | 'label';
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

export type Column = NumericColumn | CategoryColumn | DroppedColumn;

export interface Table {
  source: string;
  rows: number;
  columns: Column[];
  sha256: string;
  /** Rows with fewer fields than the header, padded as missing. */
  shortRows: number;
}

const SAMPLE_ROWS = 1000;

function noteFix(log: FixLog, fix: string, raw: string): void {
  const entry = (log.fixes[fix] ??= { count: 0, examples: [] });
  entry.count++;
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

function numericBuilder(name: string): Builder {
  let values = new Float64Array(1024);
  const col: NumericColumn = { kind: 'numeric', name, values, missing: 0, fixes: {} };
  return {
    add(raw, row) {
      values = grow(values, row + 1);
      if (raw === undefined || isMissingToken(raw)) {
        values[row] = NaN;
        col.missing++;
        if (raw !== undefined && raw.trim() !== '') noteFix(col, 'missing-token', raw);
        return;
      }
      const { value, fix } = parseNumberCell(raw);
      values[row] = value;
      if (Number.isNaN(value)) {
        col.missing++;
        noteFix(col, 'not-a-number', raw);
      } else if (fix) noteFix(col, fix, raw);
    },
    finish(rows) {
      col.values = values.slice(0, rows);
      return col;
    },
  };
}

function categoryBuilder(name: string, kind: CategoryColumn['kind']): Builder {
  let codes = new Int32Array(1024);
  const index = new Map<string, number>();
  const col: CategoryColumn = { kind, name, codes, dictionary: [], missing: 0, fixes: {} };
  return {
    add(raw, row) {
      codes = grow(codes, row + 1);
      if (raw === undefined || isMissingToken(raw)) {
        codes[row] = -1;
        col.missing++;
        if (raw !== undefined && raw.trim() !== '') noteFix(col, 'missing-token', raw);
        return;
      }
      let code = index.get(raw);
      if (code === undefined) {
        code = col.dictionary.length;
        col.dictionary.push(raw);
        index.set(raw, code);
      }
      codes[row] = code;
    },
    finish(rows) {
      col.codes = codes.slice(0, rows);
      return col;
    },
  };
}

function builderFor(name: string, inferred: Inferred): Builder | DroppedColumn {
  switch (inferred.kind) {
    case 'numeric': return numericBuilder(name);
    case 'categorical':
    case 'ordinal':
    case 'label':
      return categoryBuilder(name, inferred.kind);
    default:
      return { kind: 'dropped', name, reason: inferred.reason };
  }
}

/** Reads a CSV file into a Table. Throws CsvError (file:line:column) when unreadable. */
export async function readTable(file: string, config: TrainConfig = {}): Promise<Table> {
  const source = basename(file);
  const hash = createHash('sha256');
  let header: string[] | null = null;
  let sample: CsvRow[] | null = [];
  let builders: (Builder | DroppedColumn)[] = [];
  let rows = 0;
  let shortRows = 0;
  const labelColumns = new Set(config.targets ?? []);

  const addRow = (r: CsvRow) => {
    const fields = r.fields;
    if (fields.length > header!.length) {
      const column = fields.slice(0, header!.length).reduce((n, f) => n + f.length + 1, 1);
      throw new CsvError(`expected ${header!.length} fields as in the header, found ${fields.length}`, r.line, column, file);
    }
    if (fields.length < header!.length) shortRows++;
    for (let c = 0; c < builders.length; c++) {
      const b = builders[c];
      if ('add' in b) b.add(fields[c], rows);
    }
    rows++;
  };
  const decideKinds = () => {
    builders = header!.map((name, c) => {
      const values = sample!.map((r) => r.fields[c]).filter((v): v is string => v !== undefined);
      return builderFor(name, inferKind(name, values, config, labelColumns.has(name)));
    });
    const buffered = sample!;
    sample = null;
    for (const r of buffered) addRow(r);
  };

  const parser = new CsvParser((r) => {
    if (header === null) {
      header = r.fields.map((h) => h.trim());
      const seen = new Set<string>();
      header.forEach((h, i) => {
        if (h === '') throw new CsvError(`header column ${i + 1} has no name`, r.line, 1, file);
        if (seen.has(h)) throw new CsvError(`header names "${h}" twice`, r.line, 1, file);
        seen.add(h);
      });
      return;
    }
    if (sample !== null) {
      sample.push(r);
      if (sample.length >= SAMPLE_ROWS) decideKinds();
      return;
    }
    addRow(r);
  }, { source: file });

  let stream;
  const decoder = new StringDecoder('utf8'); // a character may straddle two chunks
  try {
    stream = createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const chunk of stream) {
      hash.update(chunk as Buffer);
      parser.push(decoder.write(chunk as Buffer));
    }
  } catch (e) {
    if (e instanceof CsvError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new CsvError(code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? (e as Error).message})`, 0, 0, file);
  }
  parser.push(decoder.end());
  parser.end();
  if (header === null) throw new CsvError('the file is empty (no header row)', 1, 1, file);
  if (sample !== null) decideKinds();
  if (rows === 0) throw new CsvError('the file has a header but no data rows', 2, 1, file);

  const columns = builders.map((b) => ('finish' in b ? b.finish(rows) : b));
  return { source, rows, columns, sha256: hash.digest('hex'), shortRows };
}
