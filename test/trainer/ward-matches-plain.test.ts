// Ward's merges are the same whichever layout holds the distance matrix: the
// full matrix (read row by row, up to SQUARE_ROWS rows) or the condensed
// triangle (larger inputs).
import { describe, expect, it } from 'vitest';
import { wardMerges } from '../../trainer/estimators/ward.ts';
import { Rng } from '../../trainer/estimators/rng.ts';

describe('wardMerges layouts', () => {
  it('gives identical merges and heights from the full and the condensed matrix', () => {
    const rng = new Rng(17);
    const n = 700;
    const d = 5;
    const data = new Float64Array(n * d);
    // Clumps plus some exact duplicates, so that ties have to be broken the same way too.
    for (let i = 0; i < n; i++) {
      const src = i % 50 === 49 ? i - 7 : -1;
      for (let j = 0; j < d; j++) data[i * d + j] = src >= 0 ? data[src * d + j] : (i % 6) * 3 + rng.normal();
    }
    const square = wardMerges({ data, n, d }, 'square');
    const condensed = wardMerges({ data, n, d }, 'condensed');
    expect(square.a).toEqual(condensed.a);
    expect(square.b).toEqual(condensed.b);
    expect(square.height).toEqual(condensed.height);
    expect(square.size).toEqual(condensed.size);
  });
});
