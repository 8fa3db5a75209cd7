// The scoring API's hand-written JSON says exactly what JSON.stringify of the
// result objects says (same members, order and numbers), in ASCII only.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileModel, scoreRecord, type CompiledModel, type ScoreResult } from '../../model/score.ts';
import { asciiJson, batchResultJson, singleResultJson } from '../../model/score-json.ts';
import type { Model } from '../../model/types.ts';
import { trainSample } from '../support/sample-model.ts';

let model: Model;
let cm: CompiledModel;
beforeAll(async () => {
  model = await trainSample();
  cm = compileModel(model);
}, 120_000);

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Records with every kind of field value the API accepts, including unseen non-ASCII categories (warnings quote them). */
const records = () =>
  fc.array(
    fc.record(
      Object.fromEntries(model.inputs.map((f) => [
        f.name,
        f.type === 'number'
          ? fc.oneof(fc.double({ min: f.min - 10, max: f.max + 10, noNaN: true }), fc.constant(null))
          : fc.oneof(fc.constantFrom(...f.levels), fc.constantFrom('Zürich', 'café ☕', '東京', '"quoted"\\n')),
      ])),
      { requiredKeys: [] },
    ),
    { minLength: 1, maxLength: 20 },
  );

function scoreAll(rs: Record<string, unknown>[]): ScoreResult[] {
  return rs.map((r) => {
    const out = scoreRecord(cm, r);
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    return out.result;
  });
}

describe('score answers as JSON text', () => {
  it('parse to what JSON.stringify of the results parses to, member order included, for one record and for a batch', () => {
    fc.assert(
      fc.property(records(), (rs) => {
        const results = scoreAll(rs);
        const single = singleResultJson(cm, model.version, results[0]);
        expect(isAscii(single)).toBe(true);
        expect(JSON.stringify(JSON.parse(single))).toBe(JSON.stringify({ model: model.version, ...results[0] }));
        const batch = batchResultJson(cm, model.version, results);
        expect(isAscii(batch)).toBe(true);
        expect(JSON.stringify(JSON.parse(batch))).toBe(JSON.stringify({ model: model.version, results }));
      }),
      { numRuns: 200 },
    );
  });

  it('write the segment labels and quoted input as \\u escapes, which read back as the same text', () => {
    const [result] = scoreAll([{ region: 'Zürich' }]);
    const text = singleResultJson(cm, model.version, result);
    expect(text).toContain('Z\\u00fcrich');
    const parsed = JSON.parse(text);
    expect(parsed.warnings.some((w: { message: string }) => w.message.includes('"Zürich"'))).toBe(true);
    expect(parsed.segment.label).toBe(cm.labels[result.segment.id]);
    // The sample's labels join their traits with a middle dot, written as an escape.
    expect(cm.labels.some((l) => l.includes('·'))).toBe(true);
    expect(batchResultJson(cm, model.version, scoreAll(cm.labels.map(() => ({}))))).not.toContain('·');
  });

  it('write multi-class scores, and numbers JSON cannot hold as null, as JSON.stringify does', () => {
    const [result] = scoreAll([{}]);
    const odd: ScoreResult = {
      ...result,
      scores: Object.fromEntries(Object.keys(result.scores).map((k) => [k, Number.NaN])),
      classes: { persona: { label: 'Bargain hunter', probabilities: { 'Bargain hunter': 0.7, Loyalist: 0.3 } } },
      projection: [Infinity, -0],
    };
    const text = singleResultJson(cm, 'v1', odd);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ model: 'v1', ...odd })));
    expect(Object.keys(JSON.parse(text))).toEqual(['model', 'segment', 'scores', 'classes', 'projection', 'warnings']);
  });

  it('escape every character outside printable ASCII, surrogate pairs as two escapes', () => {
    expect(asciiJson({ a: 'é😀\u007f' })).toBe('{"a":"\\u00e9\\ud83d\\ude00\\u007f"}');
    expect(JSON.parse(asciiJson({ a: 'é😀\u007f' }))).toEqual({ a: 'é😀\u007f' });
  });
});
