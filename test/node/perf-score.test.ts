// The scorer's fast path for plain records (every field present, in range,
// spelled as in training, in the model's order or not) gives exactly what the
// fully checked reading gives, on any record: the same values, warnings,
// problems and scores.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel, readRecord, scoreRecord, scoreValues, type CompiledModel, type ReadOptions, type ScoreOutcome } from '../../model/score.ts';
import type { Model } from '../../model/types.ts';
import { trainSample } from '../support/sample-model.ts';

let model: Model;
let cm: CompiledModel;
beforeAll(async () => {
  model = await trainSample();
  cm = compileModel(model);
}, 120_000);

/** What scoreRecord must return: the checked reading, then scoring. */
function checked(record: Record<string, unknown>, options?: ReadOptions): ScoreOutcome {
  const { problems, warnings } = readRecord(cm, record, options);
  return problems ? { ok: false, problems } : { ok: true, result: scoreValues(cm, warnings) };
}

/** A value for each input: mostly plain, sometimes missing, out of range, misspelled or of the wrong type. */
function recordArbitrary(): fc.Arbitrary<Record<string, unknown>> {
  const fields = model.inputs.map((f) => {
    const odd = fc.constantFrom<unknown>(undefined, null, true, 'x', NaN, Infinity, [], {});
    const value = f.type === 'number'
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
