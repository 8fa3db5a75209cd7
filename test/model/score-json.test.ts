// The scoring API writes its answers straight from the scorer: the text says
// exactly what JSON.stringify of scoreRecord's results says (same members,
// order and numbers), in ASCII only, and a refused record is named, not written.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  scoreRecord,
  type CompiledModel,
  type ScoreResult,
  asciiJson,
  scoreTableToJson,
  scoreToJson,
  type Model,
} from '../../model/index.ts';
import { compileModel } from '../../model/index.ts';
import { withRandomForest } from '../support/random-trees.ts';
import { compiledSample } from '../support/sample-model.ts';

let model: Model;
let cm: CompiledModel;
beforeAll(async () => {
  ({ model, cm } = await compiledSample());
}, 120_000);

const isAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Records with every kind of field value the API accepts, including unseen non-ASCII categories (warnings quote them). */
const records = () =>
  fc.array(
    fc.record(
      Object.fromEntries(
        model.inputs.map((f) => [
          f.name,
          f.type === 'number'
            ? fc.oneof(fc.double({ min: f.min - 10, max: f.max + 10, noNaN: true }), fc.constant(null))
            : fc.oneof(fc.constantFrom(...f.levels), fc.constantFrom('Zürich', 'café ☕', '東京', '"quoted"\\n')),
        ]),
      ),
      { requiredKeys: [] },
    ),
    { minLength: 1, maxLength: 20 },
  );

function text(out: ReturnType<typeof scoreToJson>): string {
  if (!out.ok) throw new Error(JSON.stringify(out.problems));
  return out.json;
}

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
        const single = text(scoreToJson(cm, model.version, rs.slice(0, 1), false));
        expect(isAscii(single)).toBe(true);
        expect(JSON.stringify(JSON.parse(single))).toBe(JSON.stringify({ model: model.version, ...results[0] }));
        const batch = text(scoreToJson(cm, model.version, rs, true));
        expect(isAscii(batch)).toBe(true);
        expect(JSON.stringify(JSON.parse(batch))).toBe(JSON.stringify({ model: model.version, results }));
      }),
      { numRuns: 200 },
    );
  });

  it('write the segment labels and quoted input as \\u escapes, which read back as the same text', () => {
    const [result] = scoreAll([{ region: 'Zürich' }]);
    const single = text(scoreToJson(cm, model.version, [{ region: 'Zürich' }], false));
    expect(single).toContain('Z\\u00fcrich');
    const parsed = JSON.parse(single);
    expect(parsed.warnings.some((w: { message: string }) => w.message.includes('"Zürich"'))).toBe(true);
    expect(parsed.segment.label).toBe(cm.labels[result.segment.id]);
    // The sample's labels join their traits with a middle dot, written as an escape.
    expect(cm.labels.some((l) => l.includes('·'))).toBe(true);
    const everySegment = Array.from({ length: 200 }, (_, i) => ({ age: 18 + (i % 60), annual_income: 15 + i }));
    const labels = new Set(scoreAll(everySegment).map((r) => r.segment.label));
    expect([...labels].some((l) => l.includes('·'))).toBe(true);
    expect(text(scoreToJson(cm, model.version, everySegment, true))).not.toContain('·');
  });

  it('answer a table of rows exactly as the same rows sent as records, whatever the columns and values', () => {
    const value = (f: Model['inputs'][number]) =>
      f.type === 'number'
        ? fc.oneof(
            fc.double({ min: f.min - 10, max: f.max + 10, noNaN: true }),
            fc.constantFrom<unknown>(null, 'x', true),
          )
        : fc.oneof(
            fc.constantFrom<unknown>(...f.levels),
            fc.constantFrom<unknown>('Zürich', ` ${f.levels[0].toUpperCase()}`, null, 3, {}),
          );
    const table = fc
      .shuffledSubarray(model.inputs, { minLength: 1 })
      .chain((cols) =>
        fc.tuple(
          fc.constant(cols.map((f) => f.name)),
          fc.array(fc.tuple(...cols.map(value)), { minLength: 1, maxLength: 8 }),
        ),
      );
    fc.assert(
      fc.property(table, ([columns, data]) => {
        const records = data.map((row) => Object.fromEntries(columns.map((c, j) => [c, row[j]])));
        expect(scoreTableToJson(cm, model.version, columns, data)).toEqual(
          scoreToJson(cm, model.version, records, true),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('name every refused record and field, and write nothing, when any record is refused', () => {
    const out = scoreToJson(cm, model.version, [{ age: 30 }, { age: 'old' }, {}, { shoe_size: 42 }], true);
    expect(out).toEqual({
      ok: false,
      problems: [
        { index: 1, field: 'age', reason: 'must be a number, got a string' },
        { index: 3, field: 'shoe_size', reason: 'unknown field' },
      ],
    });
  });

  it('answer a batch for a boosted head, scored in blocks, exactly as record by record, across blocks and after a refusal', () => {
    const boosted = withRandomForest(model, { seed: 7, trees: 30, maxDepth: 6, base: -0.4 });
    const bm = compileModel(boosted);
    const long = fc.array(
      records().map((rs) => rs[0]),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(long, fc.nat(199), (rs, bad) => {
        const results = rs.map((r) => {
          const out = scoreRecord(bm, r);
          if (!out.ok) throw new Error(JSON.stringify(out.problems));
          return out.result;
        });
        // A refused batch leaves part of a block kept: the next batch must not answer with it.
        const refused = rs.map((r, i) => (i === bad % rs.length ? { ...r, age: 'old' } : r));
        expect(scoreToJson(bm, boosted.version, refused, true).ok).toBe(false);
        const batch = text(scoreToJson(bm, boosted.version, rs, true));
        expect(JSON.stringify(JSON.parse(batch))).toBe(JSON.stringify({ model: boosted.version, results }));
        const columns = boosted.inputs.map((f) => f.name);
        const table = scoreTableToJson(
          bm,
          boosted.version,
          columns,
          rs.map((r) => columns.map((c) => r[c] ?? null)),
        );
        expect(text(table)).toBe(
          text(
            scoreToJson(
              bm,
              boosted.version,
              rs.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))),
              true,
            ),
          ),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('escape every character outside printable ASCII, surrogate pairs as two escapes', () => {
    expect(asciiJson({ a: 'é😀\u007f' })).toBe('{"a":"\\u00e9\\ud83d\\ude00\\u007f"}');
    expect(JSON.parse(asciiJson({ a: 'é😀\u007f' }))).toEqual({ a: 'é😀\u007f' });
  });
});
