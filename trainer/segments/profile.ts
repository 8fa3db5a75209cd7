// Segment profiles in raw units: the mean of every number input and the share
// of every category level, for each segment and for the whole population.
// Means and stds are arrays in input order (null for a category input).
import type { CategoryInput, InputValues, PopulationProfile, SegmentProfile } from '../../model/index.ts';
import { fillValues, type Schema } from '../features/schema.ts';
import { roundSig } from '../round.ts';

export interface Profiles {
  population: PopulationProfile;
  segments: SegmentProfile[];
  sizes: number[];
}

/** rows[i] is a table row index whose segment is labels[i]. */
export function profileSegments(schema: Schema, rows: Uint32Array, labels: Int32Array, k: number): Profiles {
  const m = schema.inputs.length;
  const values = new Float64Array(m);
  // Per segment (index k = population): sums for numbers, level counts for categories.
  const sums = Array.from({ length: k + 1 }, () => new Float64Array(m));
  const sumSq = new Float64Array(m);
  const counts = Array.from({ length: k + 1 }, () =>
    schema.inputs.map((f) => new Float64Array(f.type === 'category' ? f.levels.length : 0)),
  );
  const sizes = new Array<number>(k + 1).fill(0);
  for (let i = 0; i < rows.length; i++) {
    fillValues(schema.bindings, rows[i], values);
    const s = labels[i];
    sizes[s]++;
    sizes[k]++;
    for (let j = 0; j < m; j++) {
      if (schema.inputs[j].type === 'number') {
        sums[s][j] += values[j];
        sums[k][j] += values[j];
        sumSq[j] += values[j] * values[j];
      } else if (values[j] >= 0) {
        counts[s][j][values[j]]++;
        counts[k][j][values[j]]++;
      }
    }
  }
  const profile = (s: number): SegmentProfile => {
    const means: InputValues = schema.inputs.map((f, j) =>
      f.type === 'number' ? roundSig(sums[s][j] / Math.max(sizes[s], 1), 4) : null,
    );
    const shares: Record<string, Record<string, number>> = {};
    schema.inputs.forEach((f, j) => {
      if (f.type === 'category') {
        const levels: Record<string, number> = {};
        (f as CategoryInput).levels.forEach((l, v) => {
          levels[l] = roundSig(counts[s][j][v] / Math.max(sizes[s], 1), 3);
        });
        shares[f.name] = levels;
      }
    });
    return { means, shares };
  };
  const stds: InputValues = schema.inputs.map((f, j) => {
    if (f.type !== 'number') return null;
    const mean = sums[k][j] / sizes[k];
    return roundSig(Math.sqrt(Math.max(sumSq[j] / sizes[k] - mean * mean, 0)), 4);
  });
  return {
    population: { ...profile(k), stds },
    segments: Array.from({ length: k }, (_, s) => profile(s)),
    sizes: sizes.slice(0, k),
  };
}
