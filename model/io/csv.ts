// A streaming CSV parser (RFC 4180 plus what real exports do: a BOM, CRLF or
// LF, `,` or `;` separators, quoted fields with doubled quotes and newlines).
// Text is pushed in chunks of any size; each complete row is handed to the
// callback with its line number, so nothing holds the whole file. No Node or
// Workers APIs: the trainer reads files with it and the worker reads uploads.

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

export class CsvParser {
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

  // The state lives in locals while a chunk is scanned (property reads and
  // writes per character cost more than the scan) and goes back at the end.
  // Columns are not counted per character: a column is its distance from the
  // start of its line, plus what earlier chunks counted of that line.
  private consume(s: string): void {
    const delim = this.delimiter!;
    const len = s.length;
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (len > 0 && s.charCodeAt(0) === 10) i = 1;
    }
    let start = i; // start of the run of plain characters not yet copied into `field`
    let lineStart = i;
    let columnBase = this.column;
    let field = this.field;
    let fields = this.fields;
    let quoted = this.quoted;
    let quotePending = this.quotePending;
    let line = this.line;
    let rowLine = this.rowLine;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      if (quoted) {
        if (!quotePending) {
          if (c === 34) {
            field += s.slice(start, i);
            quotePending = true;
          } else if (c === 10) {
            line++;
            lineStart = i + 1;
            columnBase = 0;
          }
          continue;
        }
        quotePending = false;
        if (c === 34) {
          // a doubled quote is a literal quote
          field += '"';
          start = i + 1;
          continue;
        }
        quoted = false; // the previous quote closed the field
        start = i;
      }
      if (c === delim) {
        fields.push(field + s.slice(start, i));
        field = '';
        start = i + 1;
      } else if (c === 10 || c === 13) {
        field += s.slice(start, i);
        if (!(fields.length === 0 && field === '')) {
          fields.push(field);
          this.onRow({ fields, line: rowLine });
        }
        fields = [];
        field = '';
        line++;
        rowLine = line;
        start = lineStart = i + 1;
        columnBase = 0;
        if (c === 13) {
          // CRLF is one line end; the LF may be the next chunk's first character.
          if (i + 1 < len) {
            if (s.charCodeAt(i + 1) === 10) start = lineStart = ++i + 1;
          } else this.pendingCR = true;
        }
      } else if (c === 34 && start === i && field === '') {
        // A quote opens quoting only at the start of a field; elsewhere it is literal.
        quoted = true;
        this.quoteOpen = { line, column: columnBase + (i - lineStart) + 1 };
        start = i + 1;
      }
    }
    if (!(quoted && quotePending)) field += s.slice(start);
    this.field = field;
    this.fields = fields;
    this.quoted = quoted;
    this.quotePending = quotePending;
    this.line = line;
    this.rowLine = rowLine;
    this.column = columnBase + (len - lineStart);
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

/** Parses a whole text (small inputs, tests). */
export function parseCsvText(text: string, source?: string): CsvRow[] {
  const rows: CsvRow[] = [];
  const p = new CsvParser((r) => rows.push(r), { source });
  p.push(text);
  p.end();
  return rows;
}
