// Random bytes drawn from crypto.getRandomValues a few kilobytes at a time and
// handed out in small slices: a receipt's 12-byte nonce is drawn per answer, and
// one call into the runtime per nonce costs more than the nonce. The bytes are
// the same CSPRNG's, each handed out once.
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

/** `n` (≤ 4096) fresh random bytes, as a view valid until the next call. */
export function randomBytes(n: number): Uint8Array {
  if (used + n > POOL_BYTES) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}
