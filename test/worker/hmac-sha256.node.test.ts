// The synchronous HMAC-SHA256 gives WebCrypto's tags, for RFC 4231's test
// vectors and for random keys and messages of every length around the block
// boundaries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, base64urlText } from '../../worker/crypto/base64url.ts';
import { hmacKey, hmacSha256, sha256 } from '../../worker/crypto/hmac-sha256.ts';
import { randomBytes } from '../../worker/crypto/random-pool.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function webCrypto(key: Uint8Array<ArrayBuffer>, message: Uint8Array<ArrayBuffer>): Promise<string> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return hex(new Uint8Array(await crypto.subtle.sign('HMAC', k, message)));
}

describe('hmacSha256', () => {
  it('matches RFC 4231 test cases 1, 2 and 6', () => {
    const tc1 = hmacSha256(hmacKey(new Uint8Array(20).fill(0x0b)), 'Hi There');
    expect(hex(tc1)).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    const tc2 = hmacSha256(hmacKey('Jefe'), 'what do ya want for nothing?');
    expect(hex(tc2)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    const tc6 = hmacSha256(
      hmacKey(new Uint8Array(131).fill(0xaa)),
      'Test Using Larger Than Block-Size Key - Hash Key First',
    );
    expect(hex(tc6)).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('gives WebCrypto’s tag for any key and message', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 150 }),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        async (key, message) => {
          expect(hex(hmacSha256(hmacKey(key), message))).toBe(await webCrypto(key, message));
        },
      ),
      { numRuns: 300, seed: 4231 },
    );
    for (let n = 50; n < 140; n++) {
      const message = new Uint8Array(n).map((_, i) => i * 7);
      expect(hex(hmacSha256(hmacKey('k'), message))).toBe(await webCrypto(new TextEncoder().encode('k'), message));
    }
  });

  it('hashes like node:crypto’s SHA-256', async () => {
    const { createHash } = await import('node:crypto');
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 200]) {
      const message = new Uint8Array(n).map((_, i) => i * 13);
      expect(hex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });

  it('hashes text as its UTF-8 bytes, ASCII or not, long or short', () => {
    const key = hmacKey('k');
    for (const text of ['', 'a', 'spring-hero\0visitor-1', 'é', 'x'.repeat(70) + 'ü€😀', '😀'.repeat(400)]) {
      const bytes = new TextEncoder().encode(text);
      expect(hex(hmacSha256(key, text))).toBe(hex(hmacSha256(key, bytes)));
      expect(hex(sha256(text))).toBe(hex(sha256(bytes)));
    }
  });
});

describe('base64url', () => {
  it('encodes like node:buffer, unpadded, whole or a prefix', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n) & 255);
      expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(base64url(bytes, n >> 1)).toBe(Buffer.from(bytes.subarray(0, n >> 1)).toString('base64url'));
    }
  });

  it('encodes text as its UTF-8 bytes, ASCII or not', () => {
    for (const text of ['', 'a', '{"m":"8e10a3384c34","s":2}', 'é', 'x'.repeat(600) + 'ü€😀', '😀'.repeat(300)])
      expect(base64urlText(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
  });
});

describe('randomBytes', () => {
  it('hands out fresh bytes each call, across refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(hex(randomBytes(12)));
    expect(seen.size).toBe(1000);
  });
});
