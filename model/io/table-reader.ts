// Reads an uploaded or local CSV from bytes, refusing what is not a table
// before a single row is handed on: the start of the file is held back and must
// be text in a known encoding (UTF-8, with or without a BOM, or UTF-16 with a
// BOM), the header must name at least one of the model's inputs, and most
// rows must have the header's number of fields. Used by `npm run score` and
// the dashboard's batch upload, so both refuse the same files for the same
// reasons. The sample is the first 64 KiB, or less when a header and five rows
// have arrived (a slow upload gets its first rows back). No Node or Workers APIs.
import { concatBytes } from './bytes.ts';
import { CsvParser, type CsvRow } from './csv.ts';

export type TableRefusalReason = 'not-text' | 'no-header' | 'no-known-columns' | 'ragged';

/** The file is not a table the model can score; `line` is 1-based. */
export class TableRefusal extends Error {
  constructor(
    readonly reason: TableRefusalReason,
    readonly detail: string,
    readonly line: number,
    readonly source = 'input',
  ) {
    super(`${source}:${line}: ${detail}`);
    this.name = 'TableRefusal';
  }
}

/** Bytes held back and checked before any row is passed on… */
export const SAMPLE_BYTES = 64 * 1024;
/** …unless this many lines (a header and some rows) arrive first: a slow upload is not kept waiting. */
export const SAMPLE_LINES = 6;

/** Offset of the first byte that does not belong to valid UTF-8, or -1; a sequence cut by the end counts only when `final`. */
export function invalidUtf8At(b: Uint8Array, final: boolean): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length) return final ? i : -1;
      const d = b[i + k];
      const lo = k === 1 && c === 0xe0 ? 0xa0 : k === 1 && c === 0xf0 ? 0x90 : 0x80;
      const hi = k === 1 && c === 0xed ? 0x9f : k === 1 && c === 0xf4 ? 0x8f : 0xbf;
      if (d < lo || d > hi) return i;
    }
    i += n + 1;
  }
  return -1;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;
const list = (names: string[], max = 8) =>
  names
    .slice(0, max)
    .map((n) => `"${n}"`)
    .join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');

export class TableReader {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private heldLines = 0;
  /** Rows parsed while the sample is checked; null once they have been passed on. */
  private rows: CsvRow[] | null = [];
  private decoder: TextDecoder | null = null;
  private readonly parser: CsvParser;
  private lastLine = 0;

  constructor(
    private readonly inputs: readonly string[],
    private readonly onRow: (row: CsvRow) => void,
    readonly source = 'input',
  ) {
    this.parser = new CsvParser(
      (r) => {
        this.lastLine = r.line;
        if (this.rows) this.rows.push(r);
        else this.onRow(r);
      },
      { source },
    );
  }

  /** True once the sample has passed and rows flow straight on. */
  get accepted(): boolean {
    return this.rows === null;
  }

  /** Throws TableRefusal when the sample is decided and refused (or a later chunk is not text). */
  push(bytes: Uint8Array): void {
    if (this.accepted) {
      this.parser.push(this.decode(bytes, false));
      return;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.byteLength;
    for (let i = bytes.indexOf(10); i >= 0 && this.heldLines < SAMPLE_LINES; i = bytes.indexOf(10, i + 1))
      this.heldLines++;
    if (this.heldBytes >= SAMPLE_BYTES || this.heldLines >= SAMPLE_LINES) this.check(false);
  }

  /** Flushes the last row; throws TableRefusal, or CsvError for a quote never closed. */
  end(): void {
    if (!this.accepted) {
      this.check(true);
      return;
    }
    this.parser.push(this.decode(new Uint8Array(0), true));
    this.parser.end();
  }

  private decode(bytes: Uint8Array, final: boolean): string {
    try {
      return this.decoder!.decode(bytes, { stream: !final });
    } catch {
      throw new TableRefusal(
        'not-text',
        `after line ${this.lastLine} the file has bytes that are not ${this.decoder!.encoding.toUpperCase()} text`,
        this.lastLine + 1,
        this.source,
      );
    }
  }

  private refuse(reason: TableRefusalReason, detail: string, line: number): never {
    throw new TableRefusal(reason, detail, line, this.source);
  }

  private check(final: boolean): void {
    const bytes = concatBytes(this.held, this.heldBytes);
    this.held = [];
    let text: string;
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
      try {
        this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
      } catch {
        this.refuse(
          'not-text',
          `this is ${encoding.toUpperCase()} text, which this runtime cannot read: save the table as CSV (UTF-8)`,
          1,
        );
      }
      text = this.decode(bytes, final);
    } else {
      const bad = invalidUtf8At(bytes, final);
      if (bad >= 0) {
        const line = bytes.subarray(0, bad).reduce((n, c) => n + (c === 10 ? 1 : 0), 1);
        this.refuse(
          'not-text',
          `this is not text: byte ${bad + 1} (0x${bytes[bad].toString(16).padStart(2, '0')}) is not UTF-8. Save the table as CSV (UTF-8)`,
          line,
        );
      }
      this.decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      text = this.decode(bytes, final);
    }
    const control = CONTROL.exec(text);
    if (control)
      this.refuse(
        'not-text',
        `this is not text: it has a control character (U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()})`,
        lineAt(text, control.index),
      );
    this.parser.push(text);
    if (final) this.parser.end();
    const rows = this.rows!;
    if (rows.length === 0)
      this.refuse(
        'no-header',
        final ? 'the file is empty: it needs a header row naming the columns' : 'no header row in the first 64 KiB',
        1,
      );
    const header = rows[0].fields.map((h) => h.trim());
    if (!header.some((h) => this.inputs.includes(h))) {
      this.refuse(
        'no-known-columns',
        `none of the columns (${list(header)}) is an input of the model (${list([...this.inputs])})`,
        rows[0].line,
      );
    }
    const data = rows.slice(1);
    const ragged = data.filter((r) => r.fields.length !== header.length);
    if (ragged.length * 2 > data.length) {
      const first = ragged[0];
      this.refuse(
        'ragged',
        `${ragged.length} of ${data.length} rows do not have the header's ${header.length} fields (line ${first.line} has ${first.fields.length}): check the separator and the quoting`,
        first.line,
      );
    }
    this.rows = null;
    for (const r of rows) this.onRow(r);
  }
}
