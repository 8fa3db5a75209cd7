// Running ours and a baseline as pairs, and picking a side's best run: how the
// training and ingest sections compare two implementations on a noisy machine.

/** Ours and the baseline alternately, `reps` times each; the best (lowest) time of each side. */
export async function alternate<A, B>(
  reps: number,
  ours: () => Promise<A>,
  theirs: (() => Promise<B>) | null,
): Promise<{ ours: A[]; theirs: B[] }> {
  const a: A[] = [];
  const b: B[] = [];
  for (let r = 0; r < reps; r++) {
    a.push(await ours());
    if (theirs) b.push(await theirs());
  }
  return { ours: a, theirs: b };
}
export const best = <T>(xs: T[], key: (t: T) => number) => xs.reduce((m, t) => (key(t) < key(m) ? t : m));
