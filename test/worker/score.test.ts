import { beforeAll, describe, expect, it } from 'vitest';
import { postJson, seedModel, call, sampleModel } from '../support/worker.ts';
import { bearer } from '../support/keys.ts';

let version: string;
beforeAll(async () => {
  version = await seedModel();
});

const customer = {
  age: 29,
  annual_income: 62.5,
  spending_score: 81,
  visits_per_month: 9.1,
  avg_basket: 48.2,
  tenure_months: 14,
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};

describe('POST /v1/score with one record', () => {
  it('answers the segment, its label, each target probability and the map point', async () => {
    const res = await postJson('/v1/score', customer);
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.model).toBe(version);
    const labels = sampleModel().segmentation.segments.map((s: { label: string }) => s.label);
    expect(labels[body.segment.id]).toBe(body.segment.label);
    expect(body.scores.purchased).toBeGreaterThan(0);
    expect(body.scores.purchased).toBeLessThan(1);
    expect(body.projection).toHaveLength(2);
    expect(body.warnings).toEqual([]);
  });

  it('imputes a missing field and says so in a warning', async () => {
    const { age: _age, ...rest } = customer;
    const body = await (await postJson('/v1/score', rest)).json<any>();
    expect(body.warnings).toEqual([expect.objectContaining({ field: 'age', code: 'missing' })]);
  });

  it('treats an unknown category as unseen, with a warning', async () => {
    const body = await (await postJson('/v1/score', { ...customer, region: 'Atlantis' })).json<any>();
    expect(body.warnings).toEqual([expect.objectContaining({ field: 'region', code: 'unseen_category' })]);
  });

  it('matches category spellings that differ only by case or spacing', async () => {
    const a = await (await postJson('/v1/score', customer)).json<any>();
    const b = await (await postJson('/v1/score', { ...customer, region: ' west ', channel: 'APP' })).json<any>();
    expect(b.scores).toEqual(a.scores);
    expect(b.warnings).toEqual([]);
  });
});

describe('POST /v1/score with bad input', () => {
  it.each([
    ['a string for a number', { ...customer, age: 'thirty' }, 'age'],
    ['null inside an array', { ...customer, age: [1] }, 'age'],
    ['an object for a category', { ...customer, region: { x: 1 } }, 'region'],
    ['an unknown field', { ...customer, shoe_size: 42 }, 'shoe_size'],
  ])('refuses %s with 400 naming the field', async (_name, body, field) => {
    const res = await postJson('/v1/score', body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json<any>();
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e: { name: string }) => e.name)).toContain(field);
  });

  it('refuses NaN and Infinity (not JSON numbers) as invalid JSON', async () => {
    for (const text of ['{"age": NaN}', '{"age": Infinity}']) {
      const res = await postJson('/v1/score', text);
      expect(res.status).toBe(400);
      expect((await res.json<any>()).errors[0].name).toBe('body');
    }
  });

  it('refuses a body that is not JSON, not an object, or empty', async () => {
    for (const text of ['not json', '[1,2]', '42', '']) {
      const res = await postJson('/v1/score', text);
      expect(res.status).toBe(400);
    }
  });

  it('refuses an oversize body with 413', async () => {
    const res = await postJson('/v1/score', JSON.stringify({ ...customer, pad: 'x'.repeat(2 << 20) }));
    expect(res.status).toBe(413);
  });

  it('refuses a non-JSON content type with 415', async () => {
    const res = await call('/v1/score', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
  });
});

describe('POST /v1/score with records', () => {
  it('scores a batch in order', async () => {
    const records = [customer, { ...customer, annual_income: 150, spending_score: 10 }, { ...customer, age: 70 }];
    const res = await postJson('/v1/score', { records }, bearer());
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.results).toHaveLength(3);
    const single = await (await postJson('/v1/score', records[1])).json<any>();
    expect(body.results[1].scores).toEqual(single.scores);
  });

  it('answers each record of a batch as it answers that record alone, warnings, escapes and odd spacing included', async () => {
    // Plain records are read from the body's bytes, the rest through JSON.parse: one answer either way.
    const { age: _age, ...noAge } = customer;
    const sent = [
      JSON.stringify(customer),
      JSON.stringify({ ...customer, spending_score: 400 }),
      JSON.stringify(noAge),
      JSON.stringify({ ...customer, region: 'Atlantis' }),
      JSON.stringify(customer).replace('"region"', '"\\u0072egion"'),
      JSON.stringify(customer).replace(/,/g, ' ,\n  ').replace(/:/g, ' : '),
      JSON.stringify(Object.fromEntries(Object.entries(customer).reverse())),
      JSON.stringify(customer).replace('"age":29', '"age":2.9e1'),
    ];
    const res = await postJson('/v1/score', `{ "records" : [ ${sent.join(' , ')} ] }`, bearer());
    expect(res.status).toBe(200);
    const { results } = await res.json<any>();
    for (const [i, text] of sent.entries()) {
      const { model: _model, ...alone } = await (await postJson('/v1/score', text)).json<any>();
      expect(results[i], sent[i]).toEqual(alone);
    }
    expect(results.map((r: any) => r.warnings.map((w: any) => w.code).join())).toEqual([
      '',
      'out_of_range',
      'missing',
      'unseen_category',
      '',
      '',
      '',
      '',
    ]);
  });

  it('names the bad record and field', async () => {
    const res = await postJson('/v1/score', { records: [customer, { ...customer, age: 'x' }] }, bearer());
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].name).toBe('records[1].age');
  });

  it('refuses more than 1,000 records', async () => {
    const res = await postJson('/v1/score', { records: Array.from({ length: 1001 }, () => ({ age: 30 })) }, bearer());
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].reason).toContain('at most 1000');
  });
});

describe('POST /v1/score with a table of rows', () => {
  const columns = Object.keys(customer);
  const others: Record<string, unknown>[] = [
    customer,
    { ...customer, annual_income: 150, spending_score: 10, region: 'Atlantis' },
    { ...customer, age: null },
  ];
  const rowOf = (r: Record<string, unknown>) => columns.map((c) => r[c]);

  it('answers exactly what the same rows sent as records answer, warnings included', async () => {
    const asRecords = await (await postJson('/v1/score', { records: others }, bearer())).text();
    const res = await postJson('/v1/score', { columns, data: others.map(rowOf) }, bearer());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(asRecords);
    expect(JSON.parse(asRecords).results[2].warnings).toEqual([
      expect.objectContaining({ field: 'age', code: 'missing' }),
    ]);
  });

  it("reads pandas' split form: columns in any order, a subset of the fields, the index ignored", async () => {
    const reordered = [...columns].reverse().filter((c) => c !== 'tenure_months');
    const split = { columns: reordered, index: [0, 1, 2], data: others.map((r) => reordered.map((c) => r[c])) };
    const body = await (await postJson('/v1/score', split, bearer())).json<any>();
    const records = others.map((r) => Object.fromEntries(reordered.map((c) => [c, r[c]])));
    expect(body).toEqual(await (await postJson('/v1/score', { records }, bearer())).json<any>());
    expect(body.results[0].warnings).toEqual([expect.objectContaining({ field: 'tenure_months', code: 'missing' })]);
  });

  it('needs an API key, like any batch', async () => {
    expect((await postJson('/v1/score', { columns, data: [rowOf(customer)] })).status).toBe(401);
  });

  it('names an unknown or repeated column, a row of the wrong length, and a bad value by row and field', async () => {
    const bad = async (body: unknown) =>
      (await (await postJson('/v1/score', body, bearer())).json<any>()).errors.map(
        (e: { name: string; reason: string }) => `${e.name}: ${e.reason}`,
      );
    expect(await bad({ columns: ['age', 'shoe_size', 'age'], data: [[1, 2, 3]] })).toEqual([
      'columns[1]: unknown field "shoe_size"',
      'columns[2]: "age" is named twice',
    ]);
    expect(await bad({ columns, data: [rowOf(customer), rowOf(customer).slice(1), 'x'] })).toEqual([
      `data[1]: holds ${columns.length - 1} values; "columns" names ${columns.length}`,
      'data[2]: must be an array of values in the order of "columns"',
    ]);
    expect(await bad({ columns, data: [rowOf(customer), rowOf({ ...customer, age: 'x' })] })).toEqual([
      'data[1].age: must be a number, got a string',
    ]);
    expect(await bad({ columns, data: [] })).toEqual(['data: must hold at least one record']);
    expect(await bad({ columns, data: Array.from({ length: 1001 }, () => rowOf(customer)) })).toEqual([
      'data: holds 1001 records; at most 1000 per request',
    ]);
  });
});
