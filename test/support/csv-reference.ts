// The CSV parser as it was before its scan was tuned for speed (one property
// update per character), kept as the oracle the tuned parser must agree with:
// same rows, same line numbers, same errors, in any chunking.

export class CsvError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
    readonly source = 'input',
  ) {
    super(`${source}:${line}:${column}: ${reason}`);
    this.name = 'CsvError';
  }
}

export interface CsvRow {
  fields: string[];
  /** 1-based line where the row starts. */
  line: number;
}

/** Picks `;` when the header has more semicolons than commas outside quotes. */
export function sniffDelimiter(headerLine: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

export class ReferenceCsvParser {
  private delimiter: number | null;
  private field = '';
  private fields: string[] = [];
  private quoted = false;
  /** Inside quotes, the previous char was a quote (an escape or the close). */
  private quotePending = false;
  private line = 1;
  private column = 0;
  private rowLine = 1;
  private first = true;
  private pendingCR = false;
  private quoteOpen = { line: 0, column: 0 };
  private head = '';

  constructor(
    private readonly onRow: (row: CsvRow) => void,
    options: { delimiter?: ',' | ';'; source?: string } = {},
  ) {
    this.delimiter = options.delimiter ? options.delimiter.charCodeAt(0) : null;
    this.source = options.source ?? 'input';
  }
  readonly source: string;

  push(chunk: string): void {
    if (this.first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      if (chunk.length === 0) return;
      this.first = false;
    }
    if (this.delimiter === null) {
      // Wait for the first line to decide the separator.
      this.head += chunk;
      const nl = this.head.search(/\r|\n/);
      if (nl < 0 && this.head.length < 65536) return;
      this.delimiter = sniffDelimiter(nl < 0 ? this.head : this.head.slice(0, nl)).charCodeAt(0);
      chunk = this.head;
      this.head = '';
    }
    this.consume(chunk);
  }

  private consume(s: string): void {
    const delim = this.delimiter!;
    let start = 0; // start of the run of plain characters not yet copied into `field`
    const len = s.length;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === 10) {
          start = i + 1;
          continue;
        }
      }
      this.column++;
      if (this.quoted) {
        if (!this.quotePending) {
          if (c === 34) {
            this.field += s.slice(start, i);
            this.quotePending = true;
          } else if (c === 10) {
            this.line++;
            this.column = 0;
          }
          continue;
        }
        this.quotePending = false;
        if (c === 34) {
          // a doubled quote is a literal quote
          this.field += '"';
          start = i + 1;
          continue;
        }
        this.quoted = false; // the previous quote closed the field
        start = i;
      }
      if (c === delim) {
        this.fields.push(this.field + s.slice(start, i));
        this.field = '';
        start = i + 1;
      } else if (c === 10 || c === 13) {
        this.field += s.slice(start, i);
        this.endRow();
        if (c === 13) this.pendingCR = true;
        this.line++;
        this.column = 0;
        this.rowLine = this.line;
        start = i + 1;
      } else if (c === 34 && start === i && this.field === '') {
        // A quote opens quoting only at the start of a field; elsewhere it is literal.
        this.quoted = true;
        this.quoteOpen = { line: this.line, column: this.column };
        start = i + 1;
      }
    }
    if (!(this.quoted && this.quotePending)) this.field += s.slice(start);
  }

  private endRow(): void {
    const empty = this.fields.length === 0 && this.field === '';
    if (!empty) {
      this.fields.push(this.field);
      this.onRow({ fields: this.fields, line: this.rowLine });
    }
    this.fields = [];
    this.field = '';
  }

  /** Flushes the last row; throws if a quoted field never closed. */
  end(): void {
    if (this.delimiter === null) {
      this.delimiter = sniffDelimiter(this.head).charCodeAt(0);
      const rest = this.head;
      this.head = '';
      this.consume(rest);
    }
    if (this.quoted && !this.quotePending) {
      throw new CsvError('quoted field is never closed', this.quoteOpen.line, this.quoteOpen.column, this.source);
    }
    this.quoted = false;
    this.quotePending = false;
    this.endRow();
  }
}
