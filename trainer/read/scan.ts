// Splits CSV bytes into rows of field spans, with exactly the grammar of
// model/io/csv.ts's CsvParser (a BOM, CRLF, LF or CR, `,` or `;` sniffed from
// the header, quotes that open only at a field's start, doubled quotes, blank
// lines skipped) but without making a string per field: a reader looks at the
// bytes of the fields it needs and decodes only those it cannot take as bytes.
// The unfinished row at the end of a chunk is carried in front of the next, so
// a row is always one contiguous span and a field never straddles chunks.
import { concatBytes, CsvError, sniffDelimiter } from '../../model/index.ts';

const QUOTE = 34;
const LF = 10;
const CR = 13;

// Where the scan is within a field.
const START = 0;
const PLAIN = 1;
const QUOTED = 2;
/** Inside quotes, the previous byte was a quote: an escape or the close. */
const CLOSED = 3;

/** Bytes held back to sniff the separator when the first line is longer than this. */
const SNIFF_BYTES = 65536;

// ignoreBOM: a field that starts with U+FEFF keeps it, as CsvParser keeps it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Called for each row; its fields are the scanner's spans 0..count-1, valid until the call returns. */
export type RowSink = (count: number, line: number) => void;

export class CsvScanner {
  /** The current bytes: the carried unfinished row, then the latest chunk. */
  buf: Uint8Array = new Uint8Array(0);
  /** Field k of the row is buf[starts[k], ends[k]), quotes included when it opened with one. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);

  private work = new Uint8Array(0);
  private delimiter = -1;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private pendingCR = false;
  // The scan's state between chunks; positions are indices into buf.
  private pos = 0;
  private rowStart = 0;
  private fieldStart = 0;
  private count = 0;
  private state = START;
  private line = 1;
  private rowLine = 1;
  private lineStart = 0;
  private quotePos = 0;
  private quoteLine = 0;
  private quoteLineStart = 0;

  constructor(
    private readonly onRow: RowSink,
    readonly source = 'input',
  ) {}

  /** True when field k opened with a quote (its bytes need fieldText). */
  isQuoted(k: number): boolean {
    return this.buf[this.starts[k]] === QUOTE;
  }

  /** Field k as text, quotes and doubled quotes resolved as CsvParser does. */
  fieldText(k: number): string {
    const b = this.buf;
    const s = this.starts[k];
    const e = this.ends[k];
    if (b[s] !== QUOTE) return utf8.decode(b.subarray(s, e));
    const out = new Uint8Array(e - s);
    let n = 0;
    let j = s + 1;
    while (j < e) {
      const c = b[j++];
      if (c !== QUOTE) out[n++] = c;
      else if (j < e && b[j] === QUOTE) out[n++] = b[j++];
      else {
        // The closing quote: what follows it is literal text, quotes and all.
        while (j < e) out[n++] = b[j++];
      }
    }
    return utf8.decode(out.subarray(0, n));
  }

  push(chunk: Uint8Array): void {
    if (this.delimiter < 0) {
      // Wait for the first line to decide the separator.
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (chunk.indexOf(LF) < 0 && chunk.indexOf(CR) < 0 && this.headBytes < SNIFF_BYTES) return;
      this.sniff();
      return;
    }
    this.consume(chunk);
  }

  /** Flushes the last row; throws if a quoted field never closed. */
  end(): void {
    if (this.delimiter < 0) this.sniff();
    if (this.state === QUOTED) {
      const column = utf8.decode(this.buf.subarray(this.quoteLineStart, this.quotePos)).length + 1;
      throw new CsvError('quoted field is never closed', this.quoteLine, column, this.source);
    }
    this.field(this.buf.length);
    this.endRow();
  }

  private sniff(): void {
    const all = concatBytes(this.head, this.headBytes);
    this.head = [];
    // A BOM may arrive cut over the first chunks; the head holds them all.
    const bom = all[0] === 0xef && all[1] === 0xbb && all[2] === 0xbf;
    const text = bom ? all.subarray(3) : all;
    let nl = 0;
    while (nl < text.length && text[nl] !== LF && text[nl] !== CR) nl++;
    this.delimiter = sniffDelimiter(utf8.decode(text.subarray(0, nl))).charCodeAt(0);
    this.consume(text);
  }

  private field(end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      const ends = new Int32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = this.fieldStart;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Hands on the row unless it is a blank line (one empty field, quoted or not). */
  private endRow(): void {
    const n = this.count;
    this.count = 0;
    if (n === 1) {
      const width = this.ends[0] - this.starts[0];
      if (width === 0 || (width === 2 && this.buf[this.starts[0]] === QUOTE)) return;
    }
    this.onRow(n, this.rowLine);
  }

  /** Puts the unfinished row in front of the chunk, shifting every saved position. */
  private carry(chunk: Uint8Array): void {
    const from = this.rowStart;
    const rest = this.buf.length - from;
    if (rest === 0) {
      this.buf = chunk;
      this.pos = this.fieldStart = this.lineStart = this.rowStart = 0;
      return;
    }
    // The row is moved to the front of one reused buffer only when a row ended before it, and the
    // buffer grows geometrically: a row as long as the file (a stray quote) costs linear time.
    const need = rest + chunk.length;
    const inWork = this.buf.buffer === this.work.buffer;
    if (this.work.length < need) {
      const work = new Uint8Array(Math.max(need, 2 * this.work.length));
      work.set(this.buf.subarray(from));
      this.work = work;
    } else if (!inWork) this.work.set(this.buf.subarray(from));
    else if (from > 0) this.work.copyWithin(0, from, from + rest);
    this.work.set(chunk, rest);
    this.buf = this.work.subarray(0, need);
    this.pos -= from;
    this.rowStart = 0;
    this.fieldStart -= from;
    this.lineStart -= from;
    this.quotePos -= from;
    this.quoteLineStart -= from;
    for (let k = 0; k < this.count; k++) {
      this.starts[k] -= from;
      this.ends[k] -= from;
    }
  }

  private consume(chunk: Uint8Array): void {
    this.carry(chunk);
    const b = this.buf;
    const n = b.length;
    const d = this.delimiter;
    let i = this.pos;
    if (this.pendingCR) {
      // CRLF is one line end; the LF may be this chunk's first byte.
      this.pendingCR = false;
      if (n > 0 && b[0] === LF) i = this.rowStart = this.fieldStart = this.lineStart = 1;
    }
    let state = this.state;
    let line = this.line;
    while (i < n) {
      if (state === QUOTED) {
        let c = b[i];
        while (c !== QUOTE) {
          if (c === LF) {
            line++;
            this.lineStart = i + 1;
          }
          if (++i === n) break;
          c = b[i];
        }
        if (i === n) break;
        state = CLOSED;
        i++;
        continue;
      }
      if (state === CLOSED) {
        if (b[i] === QUOTE) {
          state = QUOTED; // a doubled quote is a literal quote
          i++;
          continue;
        }
        state = PLAIN; // the previous quote closed the field; the rest of it is literal
      } else if (state === START) {
        if (b[i] === QUOTE) {
          state = QUOTED;
          this.quotePos = i;
          this.quoteLine = line;
          this.quoteLineStart = this.lineStart;
          i++;
          continue;
        }
        state = PLAIN;
      }
      let c = b[i];
      while (c !== d && c !== LF && c !== CR) {
        if (++i === n) break;
        c = b[i];
      }
      if (i === n) break;
      this.field(i);
      i++;
      state = START;
      this.fieldStart = i;
      if (c === d) continue;
      this.line = line;
      this.endRow();
      line++;
      this.rowLine = line;
      if (c === CR) {
        if (i < n) {
          if (b[i] === LF) i++;
        } else this.pendingCR = true;
      }
      this.rowStart = this.fieldStart = this.lineStart = i;
    }
    this.pos = i;
    this.state = state;
    this.line = line;
  }
}
