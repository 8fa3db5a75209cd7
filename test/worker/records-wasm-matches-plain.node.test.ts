// A batch of records read from the request's bytes by the worker's
// WebAssembly reader and answered by its writer (worker/records-wasm) gives
// the same answer text as the ordinary path (decode, JSON.parse, readInto,
// scoreToJson), or hands the body back (null) — never an answer the ordinary
// path would not give. The writer writes every number as JavaScript does.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compileModel,
  createScorer,
  type CompiledModel,
  scoreTableToJson,
  scoreToJson,
  type LogisticHead,
  type Model,
} from '../../model/index.ts';
import { ForestWalk } from '../../worker/records-wasm/forest.ts';
import { RecordsReader } from '../../worker/records-wasm/reader.ts';
import { AnswerWriter } from '../../worker/records-wasm/writer.ts';
import { compiledSample, SAMPLE_CONFIG, trainSample } from '../support/sample-model.ts';
import type { TrainConfig } from '../../trainer/config.ts';

let model: Model;
let cm: CompiledModel;
let reader: RecordsReader;
let writer: AnswerWriter;
let forests: ForestWalk;
const writerModule = new WebAssembly.Module(readFileSync('worker/records-wasm/writer.wasm'));
beforeAll(async () => {
  ({ model, cm } = await compiledSample());
  reader = new RecordsReader(new WebAssembly.Module(readFileSync('worker/records-wasm/reader.wasm')));
  writer = new AnswerWriter(writerModule);
  forests = new ForestWalk(new WebAssembly.Module(readFileSync('worker/records-wasm/forest.wasm')));
}, 120_000);

/** What the score route answers from the bytes (boosted heads walked in WebAssembly), or null where it reads the body the ordinary way. */
function scoreRecordBytesToJson(c: CompiledModel, version: string, body: Uint8Array, max: number): string | null {
  const batch = reader.read(c, body, max);
  const answer = batch && writer.write(createScorer(c), version, batch, null, c.boosted.length ? forests : null);
  return answer && new TextDecoder().decode(answer);
}

const utf8 = new TextEncoder();
const MAX = 1000;

/** The ordinary path's answer to a body, or null where it refuses it. */
function ordinary(body: Uint8Array): string | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return null;
  }
  const records = (value as { records?: unknown }).records;
  if (typeof value !== 'object' || value === null || Object.keys(value).join() !== 'records') return null;
  if (!Array.isArray(records) || records.length === 0 || records.length > MAX) return null;
  if (!records.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) return null;
  const out = scoreToJson(cm, model.version, records as Record<string, unknown>[], true);
  return out.ok ? out.json : null;
}

/** The ordinary path's answer to a table body (the route's checks, then scoreTableToJson), or null where it refuses it. */
function ordinaryTable(body: Uint8Array): string | null {
  let value: { columns?: unknown; data?: unknown };
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return null;
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.keys(value).some((k) => k !== 'columns' && k !== 'data' && k !== 'index')
  )
    return null;
  const { columns, data } = value;
  if (!Array.isArray(columns) || columns.length === 0 || !Array.isArray(data) || data.length === 0 || data.length > MAX)
    return null;
  if (!columns.every((c) => typeof c === 'string' && cm.inputIndex.has(c)) || new Set(columns).size !== columns.length)
    return null;
  if (!data.every((row) => Array.isArray(row) && row.length === columns.length)) return null;
  const out = scoreTableToJson(cm, model.version, columns as string[], data as unknown[][]);
  return out.ok ? out.json : null;
}

/**
 * Does the reader convert this number itself? Its digits (a lone leading 0
 * aside) gathered while the mantissa stays below 2^53, none dropped, and the
 * power of ten within 10^±22 — the exact fast path of reader.wat.
 */
function exactlyConvertible(text: string): boolean {
  const [, int, frac = '', e = '0'] = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  let m = 0;
  let exp = Number(e);
  for (const [k, d] of [...(int === '0' ? '' : int), ...frac].entries()) {
    if (m > 900719925474098) return false;
    m = m * 10 + Number(d);
    if (k >= (int === '0' ? 0 : int.length)) exp--;
  }
  return exp >= -22 && exp <= 22;
}

/** A number as clients write them: shortest, fixed, exponent (either case, signed or not), padded fraction. */
const numberText = (x: number) =>
  fc.constantFrom(
    JSON.stringify(x),
    x.toExponential(),
    x.toExponential(3).replace('e', 'E'),
    x.toExponential(20).replace('e+', 'e'),
    x.toFixed(2),
    x.toFixed(20),
    x.toPrecision(17),
    Number.isInteger(x) ? `${x}.000` : JSON.stringify(x),
  );

/**
 * A field value: mostly plain; now and then one the ordinary reading warns
 * about (out of range, null, unseen, escaped); rarely one it refuses.
 */
function value(f: Model['inputs'][number]): fc.Arbitrary<string> {
  if (f.type === 'number') {
    return fc.oneof(
      // what clients mostly send: integers and a few decimals (read by the reader itself)
      {
        weight: 30,
        arbitrary: fc
          .double({ min: f.min, max: f.max, noNaN: true })
          .map((x) => JSON.stringify(Math.min(f.max, Math.max(f.min, Math.round(x * 100) / 100)))),
      },
      { weight: 10, arbitrary: fc.double({ min: f.min, max: f.max, noNaN: true }).chain(numberText) },
      {
        weight: 2,
        arbitrary: fc.double({ min: f.min - 50, max: f.max + 50, noNaN: true }).map((x) => JSON.stringify(x)),
      },
      { weight: 1, arbitrary: fc.constantFrom('null', '-0', '0.0000000000000000000000001') },
      { weight: 1, arbitrary: fc.constantFrom('"12"', 'true', '[]', '{"a":1}', '1e400') },
    );
  }
  return fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...f.levels).map((l) => JSON.stringify(l)) },
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(...f.levels)
        .map((l) => `"\\u${l.charCodeAt(0).toString(16).padStart(4, '0')}${l.slice(1)}"`),
    },
    { weight: 2, arbitrary: fc.constantFrom('"Zürich"', '"  west "', 'null', '3', '"\\"quoted\\""', '""') },
    { weight: 1, arbitrary: fc.constantFrom('{}', '[1]') },
  );
}

/** JSON whitespace, mostly none. */
const ws = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\t ', '\r\n  ') },
);

/** One record's text: the model's fields in its order or shuffled, some dropped or repeated, an unknown one now and then. */
function recordText(): fc.Arbitrary<string> {
  const fields = model.inputs.map((f) =>
    fc.tuple(
      fc.constant(f.name),
      value(f),
      ws,
      ws,
      fc.oneof({ weight: 30, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }),
    ),
  );
  return fc
    .tuple(
      fc.tuple(...fields),
      fc.boolean(),
      fc.oneof(
        { weight: 30, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.constantFrom('"shoe_size":42', '"__proto__":1', '"a\\u0067e":40') },
      ),
      fc.infiniteStream(fc.nat()),
    )
    .map(([fs, shuffle, extra, order]) => {
      const parts: string[] = [];
      for (const [name, v, w1, w2, times] of fs)
        for (let t = 0; t < times; t++) parts.push(`${JSON.stringify(name)}${w1}:${w2}${v}`);
      if (extra) parts.push(extra);
      if (shuffle) parts.sort(() => (order.next().value % 3) - 1);
      return `{${parts.join(',')}}`;
    });
}

const batchText = (maxLength = 6) =>
  fc
    .tuple(fc.array(fc.tuple(recordText(), ws), { minLength: 1, maxLength }), ws, ws)
    .map(([rs, w1, w2]) => `${w1}{"records":${w2}[${rs.map(([r, w]) => w + r).join(',')}]}${w1}`);

describe('a batch of records scored from its bytes', () => {
  it('answers exactly what the ordinary path answers, and hands back every body it refuses', () => {
    let answered = 0;
    let warned = 0;
    fc.assert(
      fc.property(batchText(), (text) => {
        const body = utf8.encode(text);
        const answer = scoreRecordBytesToJson(cm, model.version, body, MAX);
        expect(answer).toBe(ordinary(body));
        if (answer !== null) answered++;
        if (answer?.includes('"code"')) warned++;
      }),
      { numRuns: 600 },
    );
    // Most bodies are answered, many of them with warnings: the comparison is not all refusals.
    expect(answered).toBeGreaterThan(150);
    expect(warned).toBeGreaterThan(50);
  });

  it("does the same for a model with a boosted head: missing fields and unseen levels go the trees' way on both paths", async () => {
    const saved = { model, cm };
    model = await trainSample({ target: { purchased: { model: 'boosted' } } });
    cm = compileModel(model);
    try {
      expect(model.targets[0].kind).toBe('boosted');
      let answered = 0;
      fc.assert(
        fc.property(batchText(), (text) => {
          const body = utf8.encode(text);
          const answer = scoreRecordBytesToJson(cm, model.version, body, MAX);
          expect(answer).toBe(ordinary(body));
          if (answer !== null) answered++;
        }),
        { numRuns: 300 },
      );
      expect(answered).toBeGreaterThan(75);
      // Batches longer than a block of kept records (model/engine/tree-block.ts), with a part block at the end.
      fc.assert(
        fc.property(batchText(200), (text) => {
          const body = utf8.encode(text);
          expect(scoreRecordBytesToJson(cm, model.version, body, MAX)).toBe(ordinary(body));
        }),
        { numRuns: 40 },
      );
    } finally {
      ({ model, cm } = saved);
    }
  }, 120_000);

  it("answers plain batches itself: the model's fields, in its order or any other, numbers in any notation", () => {
    const plain = fc.array(
      fc.tuple(
        ...model.inputs.map((f) =>
          f.type === 'number'
            ? fc.double({ min: f.min, max: f.max, noNaN: true }).chain(numberText)
            : fc.constantFrom(...f.levels).map((l) => JSON.stringify(l)),
        ),
      ),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(plain, fc.boolean(), (rows, reversed) => {
        const names = model.inputs.map((f) => JSON.stringify(f.name));
        const recs = rows.map((vs) => {
          const parts = vs.map((v, i) => `${names[i]}:${v}`);
          return `{${(reversed ? parts.reverse() : parts).join(',')}}`;
        });
        const body = utf8.encode(`{"records":[${recs.join(',')}]}`);
        const answer = scoreRecordBytesToJson(cm, model.version, body, MAX);
        expect(answer).not.toBeNull();
        expect(answer).toBe(ordinary(body));
      }),
      { numRuns: 200 },
    );
  });

  it('reads every number it can convert exactly to the double JSON.parse reads, and leaves the rest to JSON.parse', () => {
    const numeric = model.inputs.flatMap((f, i) => (f.type === 'number' ? [i] : []));
    const field = fc.constantFrom(...numeric).chain((i) => {
      const f = model.inputs[i] as { min: number; max: number };
      return fc.tuple(fc.constant(i), fc.double({ min: f.min, max: f.max, noNaN: true }).chain(numberText));
    });
    let read = 0;
    fc.assert(
      fc.property(field, ([i, num]) => {
        const f = model.inputs[i];
        const others = model.inputs
          .filter((_, j) => j !== i)
          .map((g) => `${JSON.stringify(g.name)}:${g.type === 'number' ? g.min : JSON.stringify(g.levels[0])}`);
        const body = utf8.encode(`{"records":[{${JSON.stringify(f.name)}:${num},${others.join(',')}}]}`);
        const batch = reader.read(cm, body, MAX)!;
        expect(batch.spans[0] < 0, num).toBe(exactlyConvertible(num));
        if (batch.spans[0] >= 0) return; // handed to JSON.parse
        read++;
        expect(Object.is(batch.values[i], JSON.parse(num))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(read).toBeGreaterThan(0);
  });

  it('hands back bodies that are damaged, not JSON, not UTF-8 or not a batch of 1..1,000 objects', () => {
    const valid = `{"records":[${'{"age":30,"annual_income":50,"spending_score":40,"visits_per_month":3,"avg_basket":60,"tenure_months":12,"region":"West","channel":"app","loyalty_tier":"Gold"}'}]}`;
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('replace', 'insert', 'delete'),
        (at, byte, how) => {
          const b = Array.from(utf8.encode(valid));
          if (how === 'replace') b[at] = byte;
          else if (how === 'insert') b.splice(at, 0, byte);
          else b.splice(at, 1);
          const body = Uint8Array.from(b);
          expect(scoreRecordBytesToJson(cm, model.version, body, MAX)).toBe(ordinary(body));
        },
      ),
      { numRuns: 2000 },
    );
    const one = valid.slice('{"records":['.length, -2);
    for (const text of [
      '',
      '{}',
      '[]',
      '{"records":[]}',
      '{"records":{}}',
      '{"records":[1]}',
      '{"records":[[]]}',
      `{"records":[${one}],"x":1}`,
      `{"records":[${one}]}]`,
      `{"records":[${one},]}`,
      `{"records":[${one}`,
      `{"records":[${Array(MAX + 1)
        .fill(one)
        .join(',')}]}`,
    ]) {
      expect(scoreRecordBytesToJson(cm, model.version, utf8.encode(text), MAX), text.slice(0, 40)).toBeNull();
    }
    expect(
      scoreRecordBytesToJson(cm, model.version, utf8.encode(`{"records":[${Array(MAX).fill(one).join(',')}]}`), MAX),
    ).not.toBeNull();
    const batchOf = (k: number) => utf8.encode(`{"records":[${Array(k).fill(one).join(',')}]}`);
    expect(reader.read(cm, batchOf(3), 3)?.count).toBe(3);
    expect(reader.read(cm, batchOf(4), 3)).toBeNull();
  });

  it('answers a table (`columns` + `data`) exactly as the ordinary path answers it, or hands it back', () => {
    const names = model.inputs.map((f) => f.name);
    const table = fc
      .tuple(
        fc.oneof(
          {
            weight: 4,
            arbitrary: fc.shuffledSubarray(
              names.map((_, i) => i),
              { minLength: names.length, maxLength: names.length },
            ),
          },
          {
            weight: 1,
            arbitrary: fc.shuffledSubarray(
              names.map((_, i) => i),
              { minLength: names.length - 1, maxLength: names.length - 1 },
            ),
          }, // a field left out
        ),
        fc.integer({ min: 1, max: 6 }),
        ws,
        fc.oneof({ weight: 20, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 3) }),
      )
      .chain(([order, rows, w, twist]) =>
        fc.tuple(
          fc.constant(order),
          fc.array(fc.tuple(...order.map((i) => value(model.inputs[i]))), { minLength: rows, maxLength: rows }),
          fc.constant(w),
          fc.constant(twist),
        ),
      )
      .map(([order, rows, w, twist]) => {
        const cols = order.map((i) => JSON.stringify(names[i]));
        if (twist === 1) cols.push(cols[0]); // a column named twice
        const data = rows.map((vs) => `[${w}${(twist === 2 ? vs.slice(1) : vs).join(`,${w}`)}]`); // a row too short
        const head = twist === 3 ? `"index":[0],` : ''; // pandas' index, which only the ordinary reading skips
        return `{${head}"columns":${w}[${cols.join(',')}],${w}"data":[${data.join(',')}]}`;
      });
    let answered = 0;
    fc.assert(
      fc.property(table, (text) => {
        const body = utf8.encode(text);
        const fast = scoreRecordBytesToJson(cm, model.version, body, MAX);
        expect(fast ?? ordinaryTable(body)).toBe(ordinaryTable(body));
        if (fast !== null) answered++;
      }),
      { numRuns: 600 },
    );
    expect(answered).toBeGreaterThan(150);
  });

  it('lays out each model it is given: batches for two models, one after the other, read as each model reads them', {
    timeout: 120_000,
  }, async () => {
    // The sample without two of its fields: fewer inputs, other offsets for every name and level.
    const config = JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig;
    const other = compileModel(
      await trainSample({ columns: { ...config.columns, age: { kind: 'drop' }, channel: { kind: 'drop' } } }),
    );
    expect(other.inputNames).not.toContain('age');
    const recordOf = (c: CompiledModel) =>
      `{${c.model.inputs.map((f) => `${JSON.stringify(f.name)}:${f.type === 'number' ? f.min : JSON.stringify(f.levels[0])}`).join(',')}}`;
    for (const c of [cm, other, cm, other]) {
      const body = utf8.encode(`{"records":[${recordOf(c)},${recordOf(c)}]}`);
      const out = scoreToJson(c, c.model.version, JSON.parse(new TextDecoder().decode(body)).records, true);
      expect(scoreRecordBytesToJson(c, c.model.version, body, MAX)).toBe(out.ok ? out.json : null);
      const starts = Array.from(reader.read(c, body, MAX)!.spans).filter((_, i) => i % 2 === 0);
      expect(starts).toEqual([-1, -1]); // read by the reader, not handed to JSON.parse
    }
  });
});

describe('the answer writer', () => {
  const records = (c: CompiledModel, n: number, value: (f: Model['inputs'][number], i: number) => string) =>
    `{"records":[${Array.from({ length: n }, (_, i) => `{${c.model.inputs.map((f) => `${JSON.stringify(f.name)}:${value(f, i)}`).join(',')}}`).join(',')}]}`;
  const spread = (f: Model['inputs'][number], i: number) =>
    f.type === 'number'
      ? String(Math.round((f.min + (((i * 7919) % 1000) / 1000) * (f.max - f.min)) * 100) / 100)
      : JSON.stringify(f.levels[i % f.levels.length]);

  it('writes every number as JavaScript writes it: shortest round-trip digits, null for NaN and ±Infinity, 0 for -0', () => {
    const { memory, formatNumber } = new WebAssembly.Instance(writerModule, {}).exports as {
      memory: WebAssembly.Memory;
      formatNumber(at: number, x: number): number;
    };
    const at = 60_000;
    const decoder = new TextDecoder();
    const written = (x: number) => decoder.decode(new Uint8Array(memory.buffer, at, formatNumber(at, x) - at));
    const expected = (x: number) => (Number.isFinite(x) ? String(x) : 'null');
    const bits = new Float64Array(1);
    const word = new BigUint64Array(bits.buffer);
    const xs: number[] = [
      0,
      -0,
      NaN,
      Infinity,
      -Infinity,
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      Number.MAX_VALUE,
      2.2250738585072014e-308,
      2 ** 53,
      2 ** 53 - 1,
      1e21,
      1e-7,
      0.1 + 0.2,
    ];
    // Each power of ten (and its neighbouring doubles) across the range: every way the point is placed.
    for (let e = -325; e <= 309; e++) {
      for (const m of ['1', '1.5', '9.999999999999998']) {
        bits[0] = Number(`${m}e${e}`);
        xs.push(bits[0]);
        word[0] += 1n;
        xs.push(bits[0]);
        word[0] -= 2n;
        xs.push(bits[0]);
      }
    }
    const random = fc.sample(
      fc.oneof(
        fc.double(),
        fc.double({ min: 0, max: 1 }),
        fc.integer().map((i) => i / 1000),
        fc.double({ min: -20, max: 20 }).map((z) => 1 / (1 + Math.exp(-z))),
      ),
      { numRuns: 200_000, seed: 7 },
    );
    for (const x of [...xs, ...random]) if (written(x) !== expected(x)) expect(written(x), String(x)).toBe(expected(x));
    // Random bit patterns cover every exponent and mantissa, subnormals included.
    const words = new Uint32Array(bits.buffer);
    for (let i = 0; i < 200_000; i++) {
      words[0] = (Math.random() * 2 ** 32) >>> 0;
      words[1] = (Math.random() * 2 ** 32) >>> 0;
      if (written(bits[0]) !== expected(bits[0])) expect(written(bits[0]), String(bits[0])).toBe(expected(bits[0]));
    }
  });

  it('answers 1,000 records each with a warning, its memory growing as their text is written', () => {
    const body = utf8.encode(
      records(cm, MAX, (f, i) =>
        f.type === 'number' && f.name === model.inputs[0].name ? String(f.max + 1 + i) : spread(f, i),
      ),
    );
    const answer = scoreRecordBytesToJson(cm, model.version, body, MAX);
    expect(answer).toBe(ordinary(body));
    expect(JSON.parse(answer!).results.every((r: { warnings: unknown[] }) => r.warnings.length === 1)).toBe(true);
  });

  it('writes the version it is given, class scores, every binary head, or none, as the model has them', () => {
    const body = utf8.encode(records(cm, 20, spread));
    const parsed = JSON.parse(new TextDecoder().decode(body)).records;
    const text = (c: CompiledModel, version: string) => {
      const out = scoreToJson(c, version, parsed, true);
      return out.ok ? out.json : null;
    };
    expect(scoreRecordBytesToJson(cm, 'v-other', body, MAX)).toBe(text(cm, 'v-other'));
    expect(scoreRecordBytesToJson(cm, model.version, body, MAX)).toBe(text(cm, model.version));
    // The sample with a second binary head and a three-class head (weights made up: only the writing is under test).
    const d = cm.d;
    const weights = (seed: number) => Array.from({ length: d }, (_, j) => Math.sin(seed * 31 + j) / 2);
    const richer = compileModel({
      ...model,
      targets: [
        ...model.targets,
        { ...(model.targets[0] as LogisticHead), name: 'churn "risk"', weights: weights(1), intercept: -0.4 },
      ],
      classifiers: [
        {
          name: 'tier',
          method: 'ovr',
          classes: ['low', 'mid', 'high'],
          weights: [weights(2), weights(3), weights(4)],
          intercepts: [0.1, -0.2, 0.3],
          l2: 1,
          metrics: { test: {} as never },
        },
      ],
    });
    expect(richer.heads).toHaveLength(2);
    const answer = scoreRecordBytesToJson(richer, model.version, body, MAX);
    expect(answer).toBe(text(richer, model.version));
    expect(JSON.parse(answer!).results[0].classes.tier).toBeDefined();
    // And a model with no binary head at all: empty scores.
    const headless = compileModel({ ...model, targets: [] });
    expect(scoreRecordBytesToJson(headless, model.version, body, MAX)).toBe(text(headless, model.version));
    expect(JSON.parse(scoreRecordBytesToJson(headless, model.version, body, MAX)!).results[0].scores).toEqual({});
  });
});
