// The model document is the contract: validation names every problem by its
// path, and the shared scorer reads raw records the way every caller expects.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkModelDocument,
  compileModel,
  createScorer,
  scoreRecord,
  type Model,
  ModelError,
  parseModel,
  validateModel,
  computeVersion,
  parseExpr,
  compileExpr,
  ExprError,
} from '../../model/index.ts';
import { trainSample } from '../support/sample-model.ts';

let model: Model;
beforeAll(async () => {
  model = await trainSample();
});
const copy = (): Model => JSON.parse(JSON.stringify(model));

describe('validateModel', () => {
  it('accepts what the trainer writes', () => {
    expect(validateModel(copy()).version).toBe(model.version);
  });

  it('refuses text that is not JSON, or not an object', () => {
    expect(() => parseModel('{"format":')).toThrowError(/not JSON/);
    expect(() => validateModel([])).toThrowError(ModelError);
  });

  it('names each problem of a partial or inconsistent document by its path', () => {
    const m = copy() as unknown as Record<string, any>;
    delete m.projection;
    m.segmentation.centroids[1] = m.segmentation.centroids[1].slice(1);
    m.targets[0].weights[0] = 'x';
    m.inputs[0].impute = null;
    try {
      validateModel(m);
      expect.unreachable();
    } catch (e) {
      const problems = (e as ModelError).problems;
      expect(problems).toContain('projection: missing');
      expect(problems.some((p) => p.startsWith('segmentation.centroids[1]: must be'))).toBe(true);
      expect(problems.some((p) => p.startsWith('targets[0].weights: must be'))).toBe(true);
      expect(problems).toContain('inputs[0].impute: must be a finite number');
    }
  });

  it('refuses a feature that reads an input the model does not have', () => {
    const m = copy();
    (m.features[0] as { input?: string }).input = 'ghost';
    expect(() => validateModel(m)).toThrowError(/features\[0\]\.input: must name a number input/);
  });

  it('checks that the version is the hash of the content', async () => {
    expect((await checkModelDocument(JSON.stringify(model))).version).toBe(model.version);
    const m = copy();
    m.segmentation.segments[0].label = 'Edited by hand';
    await expect(checkModelDocument(JSON.stringify(m))).rejects.toThrowError(/content hashes to/);
    m.version = await computeVersion(m);
    expect((await checkModelDocument(JSON.stringify(m))).version).toBe(m.version);
  });
});

describe('scoring a raw record', () => {
  const record = {
    age: 35,
    annual_income: 70,
    spending_score: 50,
    visits_per_month: 6,
    avg_basket: 60,
    tenure_months: 30,
    region: 'North',
    channel: 'web',
    loyalty_tier: 'Gold',
  };

  it('gives probabilities in (0, 1), a valid segment and no warnings for a complete record', () => {
    const out = scoreRecord(compileModel(model), record);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result.segment.id).toBeGreaterThanOrEqual(0);
    expect(out.result.segment.id).toBeLessThan(model.segmentation.centroids.length);
    expect(out.result.scores.purchased).toBeGreaterThan(0);
    expect(out.result.scores.purchased).toBeLessThan(1);
    expect(out.result.warnings).toEqual([]);
  });

  it('imputes missing values with the values stored in the model', () => {
    const cm = compileModel(model);
    const { age: _a, region: _r, ...rest } = record;
    const imputed = {
      ...rest,
      age: cm.numImpute[cm.inputIndex.get('age')!],
      region: (model.inputs.find((f) => f.name === 'region') as { impute: string }).impute,
    };
    const a = scoreRecord(cm, rest);
    const b = scoreRecord(cm, imputed);
    expect(a.ok && b.ok && a.result.scores).toEqual(b.ok && b.result.scores);
    expect(a.ok && a.result.warnings.map((w) => [w.field, w.code])).toEqual([
      ['age', 'missing'],
      ['region', 'missing'],
    ]);
  });

  it('parses numbers in text mode (CSV, forms) and treats blank cells as missing', () => {
    const cm = compileModel(model);
    const text = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
    const a = scoreRecord(cm, record);
    const b = scoreRecord(cm, { ...text, extra: 'x' }, { text: true, ignoreUnknown: true });
    expect(b.ok && b.result.scores).toEqual(a.ok && a.result.scores);
    const blank = createScorer(cm).readRecord({ ...text, age: '  ' }, { text: true });
    expect(blank.warnings[0]).toMatchObject({ field: 'age', code: 'missing' });
  });

  it('warns when a number lies outside the training range', () => {
    const out = scoreRecord(compileModel(model), { ...record, age: 150 });
    expect(out.ok && out.result.warnings).toEqual([expect.objectContaining({ field: 'age', code: 'out_of_range' })]);
  });

  it('reports every bad field at once', () => {
    const out = scoreRecord(compileModel(model), { ...record, age: '35', region: ['North'], mood: 'happy' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.problems.map((p) => p.field).sort()).toEqual(['age', 'mood', 'region']);
  });
});

describe('derived-feature expressions', () => {
  const evalExpr = (src: string, values: Record<string, number>) => {
    const names = Object.keys(values);
    return compileExpr(parseExpr(src), (n) => names.indexOf(n))(Object.values(values));
  };

  it('follow arithmetic precedence, functions and quoted names', () => {
    expect(evalExpr('a + b * 2 ^ 2', { a: 1, b: 3 })).toBe(13);
    expect(evalExpr('-(a - b) / 2', { a: 1, b: 5 })).toBe(2);
    expect(evalExpr('log1p(`annual income (k$)`)', { 'annual income (k$)': Math.E - 1 })).toBeCloseTo(1, 12);
    expect(evalExpr('bin(price, 10, 50, 100)', { price: 75 })).toBe(2);
    expect(evalExpr('clip(x, 0, 1) + max(x, 2, 3)', { x: 5 })).toBe(6);
  });

  it('refuse anything but arithmetic, with the position', () => {
    expect(() => parseExpr('a + ')).toThrowError(ExprError);
    expect(() => parseExpr('constructor.constructor("x")')).toThrowError(/unexpected '\.'/);
    expect(() => parseExpr('eval(a)')).toThrowError(/unknown function 'eval'/);
    expect(() => parseExpr('log1p(a, b)')).toThrowError(/takes 1 arguments, got 2/);
  });
});
