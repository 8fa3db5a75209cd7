// How closely our figures must match scikit-learn's in ../shared/reference,
// the tolerances docs/training.md prints. The report rounds metrics to four
// decimals, so a figure printed as equal is within one unit of the fourth.
// A silhouette is a function of the partition: where our k-means reaches the
// same optimum as KMeans (inertia equal to 1e-5, relative: the report keeps
// six significant digits) the silhouette must
// be the same to four decimals; where our restarts stop in another local
// optimum (a different partition, better or worse) the two silhouettes
// describe different clusterings and are held within 0.02.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SHARED = '../shared';
export const REFERENCE_DIR = join(SHARED, 'reference');
export const hasReference = existsSync(join(REFERENCE_DIR, 'reference.json'));

/** One unit of the fourth decimal the report and the docs print. */
export const METRIC_TOLERANCE = 1e-4;
export const SAME_PARTITION_INERTIA = 1e-5;
export const OTHER_PARTITION_SILHOUETTE = 0.02;

/** The silhouette tolerance for a fit whose inertia is `ours` against scikit-learn's `theirs`. */
export function silhouetteTolerance(ours: number, theirs: number): number {
  return Math.abs(ours / theirs - 1) <= SAME_PARTITION_INERTIA ? METRIC_TOLERANCE : OTHER_PARTITION_SILHOUETTE;
}

/** Logged once by a file whose tests skip: which files are missing, so a skip is never silent. */
export function warnSkip(what: string, missing: string): void {
  console.warn(`skipping ${what}: ${missing} is not there (../shared sits beside the checkout in development and CI)`);
}
