// Reads the one file a dashboard upload form sends out of a
// multipart/form-data body as a stream: parts before it are skipped, its
// bytes are passed on as they arrive, and nothing but a boundary's worth of
// bytes is ever held back — so a large upload never sits whole in memory
// (Request.formData() would buffer it).

export interface FilePart {
  name: string;
  /** As the browser sent it ('' when no file was chosen). */
  filename: string;
  contentType: string | null;
  body: ReadableStream<Uint8Array>;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const MAX_HEADER_LINE = 8 * 1024;
const MAX_HEADER_LINES = 32;
const enc = new TextEncoder();
const CRLF = enc.encode('\r\n');

/** The boundary parameter of a multipart/form-data content type, or null. */
export function boundaryOf(contentType: string | null | undefined): string | null {
  if (!contentType || !/^\s*multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

/** Parameters of a Content-Disposition value: `form-data; name="file"; filename="a.csv"`. */
export function dispositionParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of value.matchAll(/;\s*([A-Za-z0-9*_-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g)) {
    const raw = m[2].trim();
    params[m[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
  }
  return params;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = hay.length - needle.length;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** A byte buffer over a stream reader, for scanning up to delimiters. */
class ByteScanner {
  private buf: Uint8Array;
  private pos = 0;
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    initial: Uint8Array,
  ) {
    this.buf = initial;
  }

  /** Appends the next chunk; false at the end of the stream. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    const rest = this.buf.length - this.pos;
    const next = new Uint8Array(rest + value.byteLength);
    next.set(this.buf.subarray(this.pos));
    next.set(value, rest);
    this.buf = next;
    this.pos = 0;
    return true;
  }

  /** The bytes before the next `delim` (consumed with it), refusing more than `max`. */
  async readUntil(delim: Uint8Array, max: number): Promise<Uint8Array> {
    for (;;) {
      const i = indexOfBytes(this.buf, delim, this.pos);
      if (i >= 0) {
        const out = this.buf.subarray(this.pos, i);
        this.pos = i + delim.length;
        return out;
      }
      if (this.buf.length - this.pos > max) throw new MultipartError('a part header line is too long');
      if (!(await this.fill())) throw new MultipartError('the form data ends early');
    }
  }

  /** Discards everything up to and including the next `delim`. */
  async skipUntil(delim: Uint8Array): Promise<void> {
    for (;;) {
      const i = indexOfBytes(this.buf, delim, this.pos);
      if (i >= 0) {
        this.pos = i + delim.length;
        return;
      }
      this.pos = Math.max(this.pos, this.buf.length - (delim.length - 1));
      if (!(await this.fill())) throw new MultipartError('the form data ends early');
    }
  }

  /** Streams the bytes up to the next `delim`, holding back only a possible partial delimiter. */
  streamUntil(delim: Uint8Array): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        for (;;) {
          const i = indexOfBytes(this.buf, delim, this.pos);
          if (i >= 0) {
            if (i > this.pos) controller.enqueue(this.buf.slice(this.pos, i));
            this.pos = i + delim.length;
            controller.close();
            return;
          }
          const safe = this.buf.length - (delim.length - 1);
          const emitted = safe > this.pos;
          if (emitted) {
            controller.enqueue(this.buf.slice(this.pos, safe));
            this.pos = safe;
          }
          if (!(await this.fill())) {
            controller.error(new MultipartError('the uploaded file ends without the closing boundary'));
            return;
          }
          if (emitted) return;
        }
      },
      cancel: (reason) => this.reader.cancel(reason),
    });
  }
}

/**
 * Finds the part named `field` in a multipart body and returns its bytes as a
 * stream, or null when the form has no such part.
 */
export async function findFilePart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  field: string,
): Promise<FilePart | null> {
  const delim = enc.encode(`\r\n--${boundary}`);
  // A leading CRLF lets the first boundary (which has none) match the same delimiter.
  const scanner = new ByteScanner(body.getReader(), CRLF);
  await scanner.skipUntil(delim);
  const text = new TextDecoder();
  for (;;) {
    const tail = text.decode(await scanner.readUntil(CRLF, MAX_HEADER_LINE));
    if (tail.startsWith('--')) return null; // the closing boundary: no such part
    const headers = new Map<string, string>();
    for (let n = 0; ; n++) {
      if (n > MAX_HEADER_LINES) throw new MultipartError('a part has too many headers');
      const line = text.decode(await scanner.readUntil(CRLF, MAX_HEADER_LINE));
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const params = dispositionParams(headers.get('content-disposition') ?? '');
    if (params.name === field) {
      return {
        name: field,
        filename: params.filename ?? '',
        contentType: headers.get('content-type') ?? null,
        body: scanner.streamUntil(delim),
      };
    }
    await scanner.skipUntil(delim);
  }
}
