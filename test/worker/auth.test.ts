// API keys are checked against the SHA-256 digests in API_KEY_HASHES. Digests
// of accepted keys are remembered per isolate; the list is still consulted on
// every request.
import { describe, expect, it } from 'vitest';
import { acceptedKey } from '../../worker/auth.ts';
import { sha256Hex } from '../../model/index.ts';

describe('acceptedKey', () => {
  it('accepts a listed key, every time, answering its digest', async () => {
    const digest = await sha256Hex('esk_alpha');
    const env = { API_KEY_HASHES: `${'0'.repeat(64)}, ${digest.toUpperCase()}` };
    expect(await acceptedKey(env, 'esk_alpha')).toBe(digest);
    expect(await acceptedKey(env, 'esk_alpha')).toBe(digest);
  });

  it('refuses a key not listed, an empty one and an over-long one', async () => {
    const env = { API_KEY_HASHES: await sha256Hex('esk_alpha') };
    for (const key of ['esk_beta', 'esk_alpha ', '', null, undefined, 'k'.repeat(513)])
      expect(await acceptedKey(env, key)).toBeNull();
  });

  it('refuses a key the moment its digest leaves the list, though it was accepted before', async () => {
    const [alpha, beta] = [await sha256Hex('esk_alpha'), await sha256Hex('esk_beta')];
    expect(await acceptedKey({ API_KEY_HASHES: `${alpha},${beta}` }, 'esk_beta')).toBe(beta);
    expect(await acceptedKey({ API_KEY_HASHES: alpha }, 'esk_beta')).toBeNull();
    expect(await acceptedKey({ API_KEY_HASHES: '' }, 'esk_alpha')).toBeNull();
    expect(await acceptedKey({ API_KEY_HASHES: alpha }, 'esk_alpha')).toBe(alpha);
  });

  it('keeps accepting and refusing correctly past the number of keys it remembers', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `esk_${i}`);
    const env = { API_KEY_HASHES: (await Promise.all(keys.slice(0, 290).map(sha256Hex))).join(',') };
    for (const key of keys)
      expect(await acceptedKey(env, key)).toBe(keys.indexOf(key) < 290 ? await sha256Hex(key) : null);
    expect(await acceptedKey(env, keys[0])).toBe(await sha256Hex(keys[0]));
  });
});
