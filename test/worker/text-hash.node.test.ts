// The ETag hash: 16 hex digits, the same for the same text, different for
// near-identical texts (one character changed, swapped or added).
import { describe, expect, it } from 'vitest';
import { hash64Hex } from '../../worker/text-hash.ts';

describe('hash64Hex', () => {
  it('is 16 hex digits, the same for the same text', () => {
    expect(hash64Hex('3:age2:40')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64Hex('3:age2:40')).toBe(hash64Hex(`3:age${'2:40'}`));
    expect(hash64Hex('')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('tells apart 100,000 queries that differ in one value, and texts with characters swapped', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(hash64Hex(`3:age${String(i).length}:${i}6:region4:West`));
    expect(seen.size).toBe(100_000);
    expect(hash64Hex('ab')).not.toBe(hash64Hex('ba'));
    expect(hash64Hex('a')).not.toBe(hash64Hex('a\u0000'));
    expect(hash64Hex('é')).not.toBe(hash64Hex('e'));
  });
});
