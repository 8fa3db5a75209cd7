// Typed column builders: numbers and dates into Float64Array (NaN = missing),
// categories and keys into dictionary codes (Int32Array, -1 = missing), each
// growing geometrically. A cell comes either as text (the sampled first rows,
// a short row's missing tail) or as a field of the byte scanner; the byte path
// takes the common cells without a string and hands the rest to the text path,
// so both give the same values and count the same fixes.
import { parseDateCell } from '../clean/dates.ts';
import { isMissingToken, isPlainNumber, normaliseKey, parseNumberCell } from '../clean/values.ts';
import { ByteCodes, parsePlainDecimal } from './cells.ts';
import type { CsvScanner } from './scan.ts';
import type { CategoryColumn, Column, DateColumn, FixLog, NumericColumn } from './table.ts';

export function noteFix(log: FixLog, fix: string, raw: string, count = 1): void {
  const entry = (log.fixes[fix] ??= { count: 0, examples: [] });
  entry.count += count;
  if (entry.examples.length < 3 && !entry.examples.includes(raw)) entry.examples.push(raw);
}

export interface ColumnBuilder {
  /** A cell as text; undefined past the end of a short row. */
  add(raw: string | undefined, row: number): void;
  /** Field k of the scanner's current row. */
  addField(scan: CsvScanner, k: number, row: number): void;
  finish(rows: number): Column;
}

function grow<T extends Float64Array | Int32Array>(arr: T, need: number): T {
  if (need <= arr.length) return arr;
  const next = new (arr.constructor as new (n: number) => T)(Math.max(need, arr.length * 2));
  next.set(arr);
  return next;
}

/** Numbers and dates: one parser per cell, NaN when it fails. */
export class FloatBuilder implements ColumnBuilder {
  private values = new Float64Array(1024);
  private readonly col: NumericColumn | DateColumn;
  private readonly numeric: boolean;
  private failed = 0;

  constructor(
    private readonly name: string,
    kind: 'numeric' | 'date',
  ) {
    this.col = { kind, name, values: this.values, missing: 0, fixes: {} } as NumericColumn | DateColumn;
    this.numeric = kind === 'numeric';
  }

  addField(scan: CsvScanner, k: number, row: number): void {
    if (this.numeric) {
      const value = parsePlainDecimal(scan.buf, scan.starts[k], scan.ends[k]);
      if (!Number.isNaN(value)) {
        if (row >= this.values.length) this.values = grow(this.values, row + 1);
        this.values[row] = value;
        return;
      }
    }
    this.add(scan.fieldText(k), row);
  }

  add(raw: string | undefined, row: number): void {
    const col = this.col;
    if (row >= this.values.length) this.values = grow(this.values, row + 1);
    // Most cells are plain numbers: no missing-token check, no fix to note (same values as below).
    if (this.numeric && raw !== undefined && isPlainNumber(raw)) {
      this.values[row] = Number(raw);
      return;
    }
    if (raw === undefined || isMissingToken(raw)) {
      this.values[row] = NaN;
      col.missing++;
      if (raw !== undefined && raw.trim() !== '') noteFix(col, 'missing-token', raw);
      return;
    }
    const { value, fix } = this.numeric ? parseNumberCell(raw) : parseDateCell(raw);
    this.values[row] = value;
    if (Number.isNaN(value)) {
      col.missing++;
      this.failed++;
      noteFix(col, this.numeric ? 'not-a-number' : 'not-a-date', raw);
    } else if (fix) noteFix(col, fix, raw);
  }

  finish(rows: number): Column {
    const col = this.col;
    const failed = this.failed;
    const present = rows - col.missing + failed;
    // Mostly unreadable: the first rows looked like numbers, the rest of the file does not.
    if (present > 0 && failed > 0.5 * present) {
      const failure = this.numeric ? 'not-a-number' : 'not-a-date';
      return {
        kind: 'dropped',
        name: this.name,
        reason: `${failed} of ${present} values are not ${this.numeric ? 'numbers' : 'dates'} (e.g. ${col.fixes[failure].examples.map((e) => JSON.stringify(e)).join(', ')})`,
      };
    }
    col.values = this.values.slice(0, rows);
    return col;
  }
}

export class CategoryBuilder implements ColumnBuilder {
  private codes = new Int32Array(1024);
  private readonly index = new Map<string, number>();
  /** Texts coded without a fix, by their bytes as written. */
  private readonly known = new ByteCodes();
  private readonly col: CategoryColumn;
  private readonly isKey: boolean;

  constructor(name: string, kind: CategoryColumn['kind']) {
    this.col = { kind, name, codes: this.codes, dictionary: [], missing: 0, fixes: {} };
    this.isKey = kind === 'key';
  }

  addField(scan: CsvScanner, k: number, row: number): void {
    const b = scan.buf;
    const s = scan.starts[k];
    const e = scan.ends[k];
    const known = this.known.get(b, s, e);
    if (known >= 0) {
      if (row >= this.codes.length) this.codes = grow(this.codes, row + 1);
      this.codes[row] = known;
      return;
    }
    const raw = scan.fieldText(k);
    this.add(raw, row);
    const code = this.codes[row];
    // Only codes that the text path would give again without noting a fix are remembered.
    if (code >= 0 && (!this.isKey || this.col.dictionary[code] === raw)) this.known.set(b, s, e, code);
  }

  add(raw: string | undefined, row: number): void {
    const col = this.col;
    const index = this.index;
    const isKey = this.isKey;
    if (row >= this.codes.length) this.codes = grow(this.codes, row + 1);
    // Outside keys a text seen before is a level already (the index holds only texts that were not
    // missing tokens), so no token check; a key's index also holds normalised spellings.
    if (!isKey && raw !== undefined) {
      const known = index.get(raw);
      if (known !== undefined) {
        this.codes[row] = known;
        return;
      }
    }
    if (raw === undefined || isMissingToken(raw)) {
      this.codes[row] = -1;
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
    this.codes[row] = code;
  }

  finish(rows: number): Column {
    this.col.codes = this.codes.slice(0, rows);
    return this.col;
  }
}
