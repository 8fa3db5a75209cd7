// Deterministic holdout assignment, compatible with GrowthBook's hash version 2
// (growthbook/packages/sdk-js/src/util.ts `hash`): the same visitor id and
// experiment key give the same variant here, in GrowthBook's SDKs and on every
// isolate, with no state stored per visitor.

/** FNV-1a, 32 bits, over UTF-16 code units (as GrowthBook hashes JavaScript strings). */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  // h × 16777619 (the FNV prime) mod 2^32 with Math.imul: what GrowthBook's shifts and adds compute, in int32.
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** GrowthBook hash v2: a number in [0, 1) with 4 decimals; the experiment key is the seed. */
export function bucketOf(seed: string, visitor: string): number {
  return (fnv1a32(String(fnv1a32(seed + visitor))) % 10000) / 10000;
}

export type Variant = 'control' | 'personalised';

/** Below the holdout share is control (the default page), the rest is personalised. */
export function variantOf(seed: string, visitor: string, holdout: number): Variant {
  return bucketOf(seed, visitor) < holdout ? 'control' : 'personalised';
}
