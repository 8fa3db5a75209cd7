// Reading the commonest cells straight from bytes, so most of a large file
// never becomes strings: plain decimals parsed into doubles, and category
// texts seen before looked up by their bytes. Anything else says "not here"
// and the caller takes the text path, which decides as it always has.

/** 10^k for k ≤ 22 is exact in a double. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Up to 15 digits the mantissa is an exact integer (< 2^53). */
const MAX_DIGITS = 15;

/**
 * A plain decimal (`-12`, `3.25`, `+.5`, `7.`) with at most 15 digits, read
 * from b[s, e); NaN when the bytes are anything else (exponents, more digits,
 * spaces, symbols), for the caller to hand to `Number` or the cleaner. The
 * mantissa and the power of ten are exact, so the one division is correctly
 * rounded: the same double `Number` gives for the text.
 */
export function parsePlainDecimal(b: Uint8Array, s: number, e: number): number {
  let i = s;
  let negative = false;
  if (i < e && (b[i] === 45 || b[i] === 43)) negative = b[i++] === 45;
  let mantissa = 0;
  let digits = 0;
  let decimals = -1;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
    } else if (b[i] === 46 && decimals < 0) decimals = i;
    else return NaN;
  }
  if (digits === 0 || digits > MAX_DIGITS) return NaN;
  const value = decimals < 0 ? mantissa : mantissa / POW10[e - decimals - 1];
  return negative ? -value : value;
}

/** FNV-1a over b[s, e). */
function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h | 0;
}

/** Up to this many bytes a text is its own key: two words and a length, no bytes to compare. */
const SHORT = 8;

/**
 * A map from byte strings to codes (open addressing on an Int32Array): the
 * category reader's memory of texts it has already coded, without decoding
 * them again. Each entry keeps its first 8 bytes as two words, so a short
 * text (most category levels) is matched by three integer compares; longer
 * ones compare the rest of their bytes in a growing pool.
 */
export class ByteCodes {
  private slots: Int32Array<ArrayBuffer> = new Int32Array(256).fill(-1);
  private hashes = new Int32Array(64);
  private lengths = new Int32Array(64);
  private lows = new Int32Array(64);
  private highs = new Int32Array(64);
  private offsets = new Int32Array(65);
  private codes = new Int32Array(64);
  private pool = new Uint8Array(1024);
  private size = 0;
  // The key of the last get, for the set that may follow it.
  private low = 0;
  private high = 0;
  private hash = 0;

  /** The code stored for b[s, e), or -1. */
  get(b: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const head = len < SHORT ? e : s + SHORT;
    let low = 0;
    let high = 0;
    for (let i = s; i < head; i++) {
      const k = i - s;
      if (k < 4) low |= b[i] << (k << 3);
      else high |= b[i] << ((k - 4) << 3);
    }
    const h =
      len <= SHORT ? Math.imul(low ^ Math.imul(high, 0x9e3779b1) ^ len, 0x85ebca6b) ^ (low >>> 15) : hashBytes(b, s, e);
    this.low = low;
    this.high = high;
    this.hash = h;
    const mask = this.slots.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const entry = this.slots[at];
      if (entry < 0) return -1;
      if (
        this.hashes[entry] !== h ||
        this.lengths[entry] !== len ||
        this.lows[entry] !== low ||
        this.highs[entry] !== high
      )
        continue;
      if (len <= SHORT) return this.codes[entry];
      const from = this.offsets[entry];
      let k = 0;
      while (k < len && this.pool[from + k] === b[s + k]) k++;
      if (k === len) return this.codes[entry];
    }
  }

  /** Stores the code for b[s, e), which must not be stored yet, right after get(b, s, e) said so. */
  set(b: Uint8Array, s: number, e: number, code: number): void {
    if (2 * (this.size + 1) > this.slots.length) this.rehash();
    if (this.size === this.codes.length) {
      const n = this.size * 2;
      this.hashes = grown(this.hashes, n);
      this.lengths = grown(this.lengths, n);
      this.lows = grown(this.lows, n);
      this.highs = grown(this.highs, n);
      this.codes = grown(this.codes, n);
      this.offsets = grown(this.offsets, n + 1);
    }
    const from = this.offsets[this.size];
    const to = e - s > SHORT ? from + (e - s) : from;
    if (to > this.pool.length) {
      const pool = new Uint8Array(Math.max(to, this.pool.length * 2));
      pool.set(this.pool.subarray(0, from));
      this.pool = pool;
    }
    if (to > from) this.pool.set(b.subarray(s, e), from);
    const entry = this.size++;
    this.offsets[entry + 1] = to;
    this.codes[entry] = code;
    this.hashes[entry] = this.hash;
    this.lengths[entry] = e - s;
    this.lows[entry] = this.low;
    this.highs[entry] = this.high;
    this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let at = this.hashes[entry] & mask;
    while (this.slots[at] >= 0) at = (at + 1) & mask;
    this.slots[at] = entry;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let entry = 0; entry < this.size; entry++) this.place(entry);
  }
}

function grown(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(n);
  next.set(a);
  return next;
}
