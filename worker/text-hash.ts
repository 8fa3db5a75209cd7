// A fast 64-bit hash of text, for validators such as ETags: equal texts give
// equal hashes on every isolate, different texts differ but for a 2^-64-ish
// chance. Not for secrets or anything an attacker gains by colliding (use
// worker/crypto for those). cyrb53's two multiply-xor lanes and final mix
// (bryc, public domain), both 32-bit lanes kept: about 20× cheaper in
// workerd than the SHA-256 it replaces for ETags.

/** 16 lowercase hex digits: the hash of the UTF-16 code units of `text`. */
export function hash64Hex(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return hex8(h2) + hex8(h1);
}

/** Two hex digits per byte, looked up: toString(16) and padStart cost more than the hash. */
const HEX = Array.from({ length: 256 }, (_, b) => (b + 256).toString(16).slice(1));

const hex8 = (h: number) => HEX[h >>> 24] + HEX[(h >>> 16) & 255] + HEX[(h >>> 8) & 255] + HEX[h & 255];
