// The scorer's fast paths give exactly what the slow, obvious way gives:
// reading a plain record (every field present, in range, spelled as in
// training, in the model's order or not) gives what the fully checked reading
// gives — the same values, warnings, problems and scores — and the single
// linear map scoreInto applies gives what encoding the record and then
// measuring distances, log-odds and the projection gives.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  dot,
  nearestCentroid,
  sigmoid,
  compileModel,
  createScorer,
  projectPoint,
  scoreRecord,
  type CompiledModel,
  type ReadOptions,
  type ScoreOutcome,
  type LogisticHead,
  type Model,
  type Scorer,
} from '../../model/index.ts';
import { compiledSample } from '../support/sample-model.ts';

let model: Model;
let cm: CompiledModel;
/** A scorer of the tests' own (scoreRecord(cm, …) scores with the model's shared one). */
let scorer: Scorer;
beforeAll(async () => {
  ({ model, cm } = await compiledSample());
  scorer = createScorer(cm);
}, 120_000);

/** What scoreRecord must return: the checked reading, then scoring. */
function checked(record: Record<string, unknown>, options?: ReadOptions): ScoreOutcome {
  const { problems, warnings } = scorer.readRecord(record, options);
  return problems ? { ok: false, problems } : { ok: true, result: scorer.scoreValues(warnings) };
}

/** A value for each input: mostly plain, sometimes missing, out of range, misspelled or of the wrong type. */
function recordArbitrary(): fc.Arbitrary<Record<string, unknown>> {
  const fields = model.inputs.map((f) => {
    const odd = fc.constantFrom<unknown>(undefined, null, true, 'x', NaN, Infinity, [], {});
    const value =
      f.type === 'number'
        ? fc.oneof(
            { weight: 6, arbitrary: fc.double({ min: f.min, max: f.max, noNaN: true }) },
            { weight: 1, arbitrary: fc.constantFrom(f.min - 1, f.max + 1, String(f.min)) },
            { weight: 1, arbitrary: odd },
          )
        : fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...f.levels) },
            { weight: 1, arbitrary: fc.constantFrom(...f.levels.map((l) => ` ${l.toUpperCase()} `), 'Elsewhere', 3) },
            { weight: 1, arbitrary: odd },
          );
    return fc.tuple(fc.constant(f.name), value);
  });
  return fc
    .tuple(fc.tuple(...fields), fc.boolean(), fc.boolean(), fc.integer())
    .map(([pairs, shuffle, extra, seed]) => {
      const entries = pairs.filter(([, v]) => v !== undefined || seed % 3 === 0);
      if (shuffle) entries.sort((a, b) => ((a[0].length * 7919 + seed) % 13) - ((b[0].length * 7919 + seed) % 13));
      if (extra) entries.splice(Math.abs(seed) % (entries.length + 1), 0, ['customer_id', 'C000001']);
      return Object.fromEntries(entries);
    });
}

describe('scoreRecord on plain records', () => {
  it('equals the checked reading on any record, with and without ignoreUnknown', () => {
    fc.assert(
      fc.property(recordArbitrary(), fc.boolean(), (record, ignore) => {
        const options = ignore ? { ignoreUnknown: true } : undefined;
        expect(scoreRecord(cm, record, options)).toEqual(checked(record, options));
      }),
      { numRuns: 2000 },
    );
  });

  it('scores a plain record, in the model order or another, without warnings, as the checked reading does', () => {
    const plain = Object.fromEntries(model.inputs.map((f) => [f.name, f.impute]));
    const reversed = Object.fromEntries(Object.entries(plain).reverse());
    for (const record of [plain, reversed]) {
      const out = scoreRecord(cm, record);
      expect(out).toEqual(checked(record));
      expect(out.ok && out.result.warnings).toEqual([]);
    }
  });
});

/** The obvious scoring of `values`: encode, nearest centroid by direct distance, each head's dot product, the projection. */
function encodedScore(values: Float64Array, s = scorer): { segment: number; probs: number[]; projection: number[] } {
  const { cm } = s;
  s.values.set(values);
  const x = s.encode();
  return {
    segment: nearestCentroid(cm.centroids, cm.k, cm.d, x),
    probs: cm.heads.map((h) => sigmoid(dot(h.w, x, cm.d) + h.b)),
    projection: projectPoint(cm, x),
  };
}

function linearScore(values: Float64Array, s = scorer): { segment: number; probs: number[]; projection: number[] } {
  s.values.set(values);
  const segment = s.scoreInto();
  return { segment, probs: Array.from(s.probs), projection: Array.from(s.proj) };
}

function expectSameScore(a: ReturnType<typeof encodedScore>, b: ReturnType<typeof encodedScore>): void {
  expect(a.segment).toBe(b.segment);
  a.probs.forEach((p, h) => expect(Math.abs(p - b.probs[h])).toBeLessThan(1e-12));
  a.projection.forEach((p, i) =>
    expect(Math.abs(p - b.projection[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(p))),
  );
}

describe('scoreInto, one linear map over the values', () => {
  /** Values as readRecord leaves them: numbers (in range or far out of it), level indices, -1 for an unseen level. */
  const valuesArbitrary = () =>
    fc
      .tuple(
        ...model.inputs.map((f) =>
          f.type === 'number'
            ? fc.oneof(
                { weight: 4, arbitrary: fc.double({ min: f.min, max: f.max, noNaN: true }) },
                { weight: 1, arbitrary: fc.double({ min: -1e12, max: 1e12, noNaN: true }) },
              )
            : fc.integer({ min: -1, max: f.levels.length - 1 }),
        ),
      )
      .map((v) => Float64Array.from(v));

  it('gives the segment, probabilities and map position that encoding and measuring give', () => {
    // The sample's 8 outputs (5 distances, 1 head, 2 coordinates) are one group of eight; a second
    // head makes 9, scored as eight and then four.
    const twoHeads = compileModel({
      ...model,
      targets: [
        ...model.targets,
        {
          ...(model.targets[0] as LogisticHead),
          name: 'again',
          weights: (model.targets[0] as LogisticHead).weights.map((w) => -w),
        },
      ],
    });
    for (const c of [scorer, createScorer(twoHeads)]) {
      fc.assert(
        fc.property(valuesArbitrary(), (values) => expectSameScore(linearScore(values, c), encodedScore(values, c))),
        { numRuns: 2000 },
      );
    }
  });

  it('names the same segment as the direct distance on the boundary between two segments', () => {
    // Along one numeric input, from the typical customer, find where the two nearest centroids are
    // equally far; then step across that point one representable number at a time.
    const base = Float64Array.from(model.inputs, (f) => (f.type === 'number' ? f.impute : f.levels.indexOf(f.impute)));
    const numeric = model.features.findIndex((f) => f.kind === 'numeric' && f.expr === undefined);
    const feature = model.features[numeric] as { input: string; mean: number; std: number };
    const slot = cm.inputIndex.get(feature.input)!;
    const { segment: a } = encodedScore(base);
    let crossings = 0;
    for (let b = 0; b < cm.k; b++) {
      if (b === a) continue;
      // The squared distances differ by an affine function of this column's value z: solve for equality.
      const diff = (z: number) => {
        base[slot] = feature.mean + z * feature.std;
        encodedScore(base);
        let s = 0;
        for (let j = 0; j < cm.d; j++)
          s += (scorer.x[j] - cm.centroids[a * cm.d + j]) ** 2 - (scorer.x[j] - cm.centroids[b * cm.d + j]) ** 2;
        return s;
      };
      const f0 = diff(0);
      const slope = diff(1) - f0;
      if (slope === 0) continue;
      let v = feature.mean + (-f0 / slope) * feature.std;
      for (let i = 0; i < 40 && Math.abs(v) > 0; i++) v = nextDown(v);
      for (let i = 0; i < 80; i++, v = nextUp(v)) {
        base[slot] = v;
        const direct = encodedScore(base);
        expectSameScore(linearScore(base), direct);
        if (direct.segment === b) crossings++;
      }
    }
    expect(crossings).toBeGreaterThan(0);
  });
});

const view = new DataView(new ArrayBuffer(8));
/** The next representable double above (positive) or below (negative) `x`, away from or toward zero. */
function step(x: number, up: boolean): number {
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, bits + (x > 0 === up ? 1n : -1n));
  return view.getFloat64(0);
}
const nextUp = (x: number) => step(x, true);
const nextDown = (x: number) => step(x, false);
