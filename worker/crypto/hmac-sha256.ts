// SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain JavaScript, synchronous. For the
// short messages signed on the request path (a visitor's keyed hash, a
// receipt), WebCrypto's promise costs a scoring request more than the hashing
// itself: workerd measured ~0.6× of POST /v1/score's throughput with two
// crypto.subtle.sign calls per answer (bench/sections/experiments.ts). The key's
// inner and outer padded states are computed once per key, so a message under
// 56 bytes costs two compressions; the message is hashed from one reusable
// buffer and the outer hash from the inner one's words, so a tag allocates only
// its 32 bytes. Tested against WebCrypto and node:crypto.

// Int32Array throughout: values stay small integers in V8 (a Uint32 above 2^31 would be a double).
const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const H0 = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/** The message schedule; its first 16 words are the block being compressed. */
const W = new Int32Array(64);

/** One compression of the block in `W[0…15]` into `h`. */
function compress(h: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const a = W[i - 15];
    const b = W[i - 2];
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = h[0];
  let b = h[1];
  let c = h[2];
  let d = h[3];
  let e = h[4];
  let f = h[5];
  let g = h[6];
  let k = h[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    k = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  h[0] = (h[0] + a) | 0;
  h[1] = (h[1] + b) | 0;
  h[2] = (h[2] + c) | 0;
  h[3] = (h[3] + d) | 0;
  h[4] = (h[4] + e) | 0;
  h[5] = (h[5] + f) | 0;
  h[6] = (h[6] + g) | 0;
  h[7] = (h[7] + k) | 0;
}

/** The 64 bytes at `bytes[at…]` into `W[0…15]`, big-endian. */
function loadBlock(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const j = at + i * 4;
    W[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
}

const encoder = new TextEncoder();
/** A message's bytes and padding; grown when a message does not fit. */
let scratch = new Uint8Array(1024);

/** Puts the bytes of `message` (text as UTF-8) at the start of the scratch buffer; returns their count. */
function load(message: string | Uint8Array): number {
  const most = typeof message === 'string' ? message.length * 3 : message.length;
  if (scratch.length < most + 72) scratch = new Uint8Array(Math.max(most + 72, scratch.length * 2));
  if (typeof message !== 'string') {
    scratch.set(message);
    return message.length;
  }
  // ASCII, the usual case, byte by byte; anything else through the encoder.
  for (let i = 0; i < message.length; i++) {
    const c = message.charCodeAt(i);
    if (c > 0x7f) return encoder.encodeInto(message, scratch).written;
    scratch[i] = c;
  }
  return message.length;
}

/** Pads the `length` bytes in the scratch buffer and hashes them into `h`, after `prefixBytes` (a multiple of 64) already hashed. */
function digest(h: Int32Array, prefixBytes: number, length: number): void {
  const padded = ((length + 72) >>> 6) << 6; // room for 0x80 and the 8-byte length
  scratch[length] = 0x80;
  scratch.fill(0, length + 1, padded - 4);
  const bits = (prefixBytes + length) * 8;
  const hi = Math.floor(bits / 2 ** 32);
  scratch[padded - 8] = hi >>> 24;
  scratch[padded - 7] = hi >>> 16;
  scratch[padded - 6] = hi >>> 8;
  scratch[padded - 5] = hi;
  scratch[padded - 4] = bits >>> 24;
  scratch[padded - 3] = bits >>> 16;
  scratch[padded - 2] = bits >>> 8;
  scratch[padded - 1] = bits;
  for (let at = 0; at < padded; at += 64) {
    loadBlock(scratch, at);
    compress(h);
  }
}

function bytesOf(h: Int32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    out[i * 4] = h[i] >>> 24;
    out[i * 4 + 1] = h[i] >>> 16;
    out[i * 4 + 2] = h[i] >>> 8;
    out[i * 4 + 3] = h[i];
  }
  return out;
}

/** SHA-256 of `message` (text is UTF-8 encoded): 32 bytes. */
export function sha256(message: string | Uint8Array): Uint8Array {
  const h = H0.slice();
  digest(h, 0, load(message));
  return bytesOf(h);
}

/** A key's inner and outer states (after its padded block), computed once. */
export interface HmacKey {
  inner: Int32Array;
  outer: Int32Array;
}

export function hmacKey(key: string | Uint8Array): HmacKey {
  let bytes = typeof key === 'string' ? encoder.encode(key) : key;
  if (bytes.length > 64) bytes = sha256(bytes);
  const pad = (x: number) => {
    const block = new Uint8Array(64).fill(x);
    for (let i = 0; i < bytes.length; i++) block[i] ^= bytes[i];
    const h = H0.slice();
    loadBlock(block, 0);
    compress(h);
    return h;
  };
  return { inner: pad(0x36), outer: pad(0x5c) };
}

const state = new Int32Array(8);

/** HMAC-SHA256 of `message` (text is UTF-8 encoded) under `key`: 32 bytes. */
export function hmacSha256(key: HmacKey, message: string | Uint8Array): Uint8Array {
  state.set(key.inner);
  digest(state, 64, load(message));
  // The outer message is the inner digest: one block, built in W from the state's words.
  for (let i = 0; i < 8; i++) W[i] = state[i];
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = (64 + 32) * 8;
  state.set(key.outer);
  compress(state);
  return bytesOf(state);
}
