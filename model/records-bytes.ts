// A batch of records read straight from the request's bytes. A batch sent as
// `{"records":[{…},…]}` costs the edge more to parse than to score: decoding
// 166 KB to a string, then JSON.parse building 1,000 objects whose values are
// read once and dropped. Here a plain record's values go from the bytes into
// the scorer's `values`, checked as readPlain checks them. A record that needs
// more — a warning, an escape, an unknown or repeated field, another type —
// is handed over as JSON.parse makes it (oddRecord), for readInto. Anything
// that is not a batch of objects gives up (NOT_PLAIN) and the caller reads the
// whole body the ordinary way, which names every problem. So the bytes path
// only ever answers bodies the ordinary path answers, with the same text.
import type { CompiledModel } from './score.ts';

/**
 * The model's field names and category levels as JSON.stringify writes them,
 * in UTF-8, for comparing with the body's bytes (a name that needs an escape
 * only ever matches its escaped form, which is what JSON.parse would read).
 */
interface ByteForms {
  /** Each field name between its quotes. */
  keys: Uint8Array[];
  /** Each field name as sent without spaces, quotes and colon included: `"age":`. */
  keyTokens: Uint8Array[];
  /** Each level with its quotes: `"West"`. */
  levelTokens: (Uint8Array[] | null)[];
  /** Per input: the stamp of the record that last set it (repeated fields). */
  seen: Float64Array;
  /** Counts records across calls, so `seen` never needs clearing. */
  stamp: number;
}

const encoder = new TextEncoder();
/** For the rare number outside the fast path: its text is ASCII digits and signs. */
const ascii = new TextDecoder();
const formsCache = new WeakMap<CompiledModel, ByteForms>();

function byteForms(cm: CompiledModel): ByteForms {
  let f = formsCache.get(cm);
  if (!f) {
    f = {
      keys: cm.inputNames.map((n) => encoder.encode(JSON.stringify(n).slice(1, -1))),
      keyTokens: cm.inputNames.map((n) => encoder.encode(`${JSON.stringify(n)}:`)),
      levelTokens: cm.catLevels.map((ls) => (ls ? ls.map((l) => encoder.encode(JSON.stringify(l))) : null)),
      seen: new Float64Array(cm.inputNames.length),
      stamp: 0,
    };
    formsCache.set(cm, f);
  }
  return f;
}

/** What nextRecord found. */
export const RECORD = 1;
/** `]}` and nothing after: the batch is over. */
export const END = 0;
/** A record that needs the ordinary reading (warnings, escapes, other types): see oddRecord. */
export const ODD_RECORD = 2;
/** Not a batch of records at all: the caller reads the body the ordinary way. */
export const NOT_PLAIN = -1;

/** Exact powers of ten: a mantissa below 2^53 times or over one of these is rounded once, correctly. */
const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Largest mantissa that can take one more digit and stay below 2^53. */
const MAX_MANTISSA = Math.floor((2 ** 53 - 10) / 10);

const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

/** Reading position over the body: `at` moves past what each step reads. */
export interface RecordCursor {
  readonly bytes: Uint8Array;
  at: number;
  /** Where the last record read began. */
  start: number;
  /** Records read so far. */
  count: number;
  readonly forms: ByteForms;
}

function skipWs(b: Uint8Array, at: number): number {
  while (at < b.length && isWs(b[at])) at++;
  return at;
}

const RECORDS_KEY = encoder.encode('"records"');

/** Opens `{"records":[`; null when the body starts any other way. */
export function openRecords(cm: CompiledModel, bytes: Uint8Array): RecordCursor | null {
  let at = skipWs(bytes, 0);
  if (bytes[at] !== 123) return null; // {
  at = skipWs(bytes, at + 1);
  for (let j = 0; j < RECORDS_KEY.length; j++) if (bytes[at + j] !== RECORDS_KEY[j]) return null;
  at = skipWs(bytes, at + RECORDS_KEY.length);
  if (bytes[at] !== 58) return null; // :
  at = skipWs(bytes, at + 1);
  if (bytes[at] !== 91) return null; // [
  return { bytes, at: at + 1, start: at + 1, count: 0, forms: byteForms(cm) };
}

/**
 * Moves to the next record: RECORD when its values are in `cm.values`,
 * ODD_RECORD when it is an object that needs the ordinary reading, END after
 * the last one, NOT_PLAIN when the body is not a batch this reader can follow.
 */
export function nextRecord(cm: CompiledModel, c: RecordCursor): number {
  const b = c.bytes;
  let at = skipWs(b, c.at);
  if (c.count > 0) {
    if (b[at] === 44) at = skipWs(b, at + 1); // ,
    else return closeRecords(c, at);
  } else if (b[at] === 93) return NOT_PLAIN; // an empty batch: the ordinary path says why it is refused
  if (b[at] !== 123) return NOT_PLAIN; // not an object: the ordinary path names it
  c.start = at;
  c.count++;
  const end = readPlainFields(cm, c.forms, b, at + 1);
  if (end < 0) return ODD_RECORD;
  c.at = end;
  return RECORD;
}

/**
 * The fields of a record whose every value is plain — each of the model's
 * fields once, numbers in range, categories spelled as in training — into
 * `cm.values`; the position after its closing brace, or -1.
 */
function readPlainFields(cm: CompiledModel, forms: ByteForms, b: Uint8Array, at: number): number {
  const { keys, keyTokens, levelTokens, seen } = forms;
  const n = keys.length;
  const stamp = ++forms.stamp;
  let fields = 0;
  let expect = 0; // the field a client sending the model's order sends next
  at = skipWs(b, at);
  for (;;) {
    // The key: the expected field's `"name":` matched whole in one pass (what clients send);
    // otherwise read up to its closing quote and compared with every field.
    let i = -1;
    if (expect < n && startsWith(b, at, keyTokens[expect])) {
      i = expect;
      at += keyTokens[expect].length;
    } else {
      if (b[at] !== 34) return -1;
      const start = at + 1;
      let end = start;
      while (end < b.length && b[end] !== 34) {
        if (b[end] === 92) return -1; // an escape: the ordinary path decodes it
        end++;
      }
      if (end >= b.length) return -1;
      for (let j = 0; j < n; j++) if (same(b, start, end, keys[j])) { i = j; break; }
      if (i < 0) return -1; // unknown
      at = skipWs(b, end + 1);
      if (b[at] !== 58) return -1; // :
      at++;
    }
    if (seen[i] === stamp) return -1; // repeated
    seen[i] = stamp;
    fields++;
    expect = i + 1;
    if (isWs(b[at])) at = skipWs(b, at);
    at = cm.isNumber[i] ? readNumber(cm, b, at, i) : readLevel(cm, b, at, i, levelTokens[i]!);
    if (at < 0) return -1;
    if (isWs(b[at])) at = skipWs(b, at);
    if (b[at] === 44) { // ,
      at++;
      if (isWs(b[at])) at = skipWs(b, at);
      continue;
    }
    if (b[at] !== 125) return -1; // }
    return fields === n ? at + 1 : -1; // a missing field is imputed, with a warning, by the ordinary path
  }
}

/** Does `token` appear in `b` at `at`? */
function startsWith(b: Uint8Array, at: number, token: Uint8Array): boolean {
  const len = token.length;
  if (at + len > b.length) return false;
  for (let j = 0; j < len; j++) if (b[at + j] !== token[j]) return false;
  return true;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The record nextRecord called odd, parsed by JSON.parse from its own bytes
 * (the same object JSON.parse makes of it within the whole body), with the
 * cursor moved past it; null if it is not valid JSON, for the ordinary path
 * to report.
 */
export function oddRecord(c: RecordCursor): Record<string, unknown> | null {
  const end = skipObject(c.bytes, c.start);
  if (end < 0) return null;
  try {
    const record = JSON.parse(utf8.decode(c.bytes.subarray(c.start, end))) as unknown;
    c.at = end;
    return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The position after the object (or array) that starts at `at`, by its brackets outside strings; -1 if unclosed. */
function skipObject(b: Uint8Array, at: number): number {
  let depth = 0;
  while (at < b.length) {
    const ch = b[at++];
    if (ch === 34) {
      while (at < b.length && b[at] !== 34) at += b[at] === 92 ? 2 : 1;
      at++;
    } else if (ch === 123 || ch === 91) depth++;
    else if ((ch === 125 || ch === 93) && --depth === 0) return at;
  }
  return -1;
}

/** After the last record: `]`, `}`, then only whitespace. */
function closeRecords(c: RecordCursor, at: number): number {
  const b = c.bytes;
  if (b[at] !== 93) return NOT_PLAIN; // ]
  at = skipWs(b, at + 1);
  if (b[at] !== 125) return NOT_PLAIN; // }
  at = skipWs(b, at + 1);
  c.at = at;
  return at === b.length ? END : NOT_PLAIN;
}

function same(b: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  if (end - start !== key.length) return false;
  for (let j = 0; j < key.length; j++) if (b[start + j] !== key[j]) return false;
  return true;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * A JSON number into values[i], exactly as JSON.parse converts it: digits
 * gathered into an integer mantissa, then one correctly rounded multiply or
 * divide by an exact power of ten (Clinger's fast path); numbers outside it
 * are converted by Number() on their text. Returns the position after the
 * number, or -1 if it is not a plain value for input i.
 */
function readNumber(cm: CompiledModel, b: Uint8Array, at: number, i: number): number {
  const start = at;
  const neg = b[at] === 45; // -
  if (neg) at++;
  let m = 0;
  let exp = 0;
  let exact = true;
  if (b[at] === 48) at++; // a lone leading 0
  else if (b[at] >= 49 && b[at] <= 57) {
    while (at < b.length && isDigit(b[at])) {
      if (m <= MAX_MANTISSA) m = m * 10 + (b[at] - 48);
      else exact = false;
      at++;
    }
  } else return -1;
  if (b[at] === 46) { // .
    at++;
    if (!isDigit(b[at])) return -1;
    while (at < b.length && isDigit(b[at])) {
      if (m <= MAX_MANTISSA) { m = m * 10 + (b[at] - 48); exp--; } else exact = false;
      at++;
    }
  }
  if (b[at] === 101 || b[at] === 69) { // e E
    at++;
    const eneg = b[at] === 45;
    if (eneg || b[at] === 43) at++;
    if (!isDigit(b[at])) return -1;
    let e = 0;
    while (at < b.length && isDigit(b[at])) { if (e < 10_000) e = e * 10 + (b[at] - 48); at++; }
    exp += eneg ? -e : e;
  }
  let v: number;
  if (exact && exp === 0) v = m;
  else if (exact && exp < 0 && exp >= -22) v = m / POW10[-exp];
  else if (exact && exp > 0 && exp <= 22) v = m * POW10[exp];
  else v = Number(ascii.decode(b.subarray(neg ? start + 1 : start, at)));
  if (neg) v = -v;
  if (!(v >= cm.numMin[i] && v <= cm.numMax[i])) return -1; // out of range warns, on the ordinary path
  cm.values[i] = v;
  return at;
}

/** A category spelled exactly as in training (`tokens` are the levels in quotes) into values[i]; -1 for anything else. */
function readLevel(cm: CompiledModel, b: Uint8Array, at: number, i: number, tokens: Uint8Array[]): number {
  for (let j = 0; j < tokens.length; j++) {
    if (startsWith(b, at, tokens[j])) {
      cm.values[i] = j;
      return at + tokens[j].length;
    }
  }
  return -1;
}
