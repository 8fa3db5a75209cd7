// base64url without padding (RFC 4648 §5), by table: the tokens signed on the
// request path (a visitor's keyed hash, a receipt) are encoded per answer, and
// btoa's binary string plus three regular-expression passes cost more than the
// encoding itself.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CHARS = Array.from(ALPHABET);

/** The first `length` bytes of `bytes` (all of them by default) as base64url, unpadded. */
export function base64url(bytes: Uint8Array, length = bytes.length): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += CHARS[n >>> 18] + CHARS[(n >>> 12) & 63] + CHARS[(n >>> 6) & 63] + CHARS[n & 63];
  }
  const rest = length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += CHARS[n >>> 18] + CHARS[(n >>> 12) & 63];
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += CHARS[n >>> 18] + CHARS[(n >>> 12) & 63] + CHARS[(n >>> 6) & 63];
  }
  return out;
}

const encoder = new TextEncoder();
let scratch = new Uint8Array(512);

/** The UTF-8 bytes of `text` as base64url: ASCII copied byte by byte (no call into the runtime), anything else encoded. */
export function base64urlText(text: string): string {
  if (scratch.length < text.length) scratch = new Uint8Array(Math.max(text.length, scratch.length * 2));
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return base64url(encoder.encode(text));
    scratch[i] = c;
  }
  return base64url(scratch, text.length);
}
