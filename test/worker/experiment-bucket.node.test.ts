// Assignment is GrowthBook's hash version 2, checked against the SDK itself:
// same bucket, same variant for 10,000 ids; shares converge to the holdout.
import { GrowthBook } from '@growthbook/growthbook';
import { describe, expect, it } from 'vitest';
import { bucketOf, fnv1a32, variantOf } from '../../worker/experiments/bucket.ts';

/** Ids of the shapes sites send: UUIDs, numbers, e-mail-like, non-ASCII. */
function visitorIds(n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    if (kind === 0) ids.push(crypto.randomUUID());
    else if (kind === 1) ids.push(String(i * 7919));
    else if (kind === 2) ids.push(`user-${i}@example.com`);
    else ids.push(`visiteur-é-${i}-✓`);
  }
  return ids;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    // From the FNV reference (isthe.com/chongo/tech/comp/fnv): "" and "a", "foobar".
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('bucketOf against @growthbook/growthbook', () => {
  it('gives the SDK bucket and variant for 10,000 ids', () => {
    const key = 'spring-hero';
    const holdout = 0.1;
    const gb = new GrowthBook({ attributes: {} });
    let mismatches = 0;
    for (const id of visitorIds(10_000)) {
      gb.setAttributes({ id });
      const result = gb.run({
        key,
        variations: ['control', 'personalised'],
        weights: [holdout, 1 - holdout],
        hashVersion: 2,
      });
      const ours = bucketOf(key, id);
      if (result.bucket !== ours || result.value !== variantOf(key, id, holdout)) mismatches++;
    }
    gb.destroy();
    expect(mismatches).toBe(0);
  });
});

describe('variantOf', () => {
  it.each([0.05, 0.1, 0.5])('puts a share converging to the holdout %s in control', (holdout) => {
    const n = 100_000;
    let control = 0;
    for (let i = 0; i < n; i++) if (variantOf('share-test', `v${i}`, holdout) === 'control') control++;
    // Binomial standard error at n = 100,000 is at most 0.0016; four of them is a wide margin.
    expect(Math.abs(control / n - holdout)).toBeLessThan(0.0064);
  });

  it('is independent between experiments (a visitor is not always in control)', () => {
    let both = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      if (variantOf('a', `v${i}`, 0.5) === 'control' && variantOf('b', `v${i}`, 0.5) === 'control') both++;
    }
    expect(Math.abs(both / n - 0.25)).toBeLessThan(0.01);
  });

  it('holds nobody back at 0 and everybody at 1', () => {
    expect(variantOf('k', 'v', 0)).toBe('personalised');
    expect(variantOf('k', 'v', 1)).toBe('control');
  });
});
