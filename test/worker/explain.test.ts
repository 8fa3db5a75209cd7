// `explain=true` on every scoring route adds each binary head's exact reasons;
// without it (or with explain=false) the answers are the very bytes they were,
// the batch fast paths included; a bad value is a 400 naming `explain`.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { asciiJson, computeVersion } from '../../model/index.ts';
import { withRandomForest } from '../support/random-trees.ts';
import { bearer, signedHeaders } from '../support/keys.ts';
import { call, postJson, sampleModel, sampleModelText, seedModel } from '../support/worker.ts';

let version: string;
beforeAll(async () => {
  version = await seedModel();
});

/** mulberry32, so the records replay. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Input = { name: string; type: string; min?: number; max?: number; levels?: string[] };

/** Records over the sample model's inputs: in range, some fields missing, some levels unseen. */
function records(n: number, seed: number): Record<string, unknown>[] {
  const rand = random(seed);
  const inputs: Input[] = sampleModel().inputs;
  return Array.from({ length: n }, () => {
    const r: Record<string, unknown> = {};
    for (const f of inputs) {
      const u = rand();
      if (u < 0.08) continue;
      if (f.type === 'number') r[f.name] = Math.round((f.min! + rand() * (f.max! - f.min!)) * 100) / 100;
      else r[f.name] = u < 0.14 ? 'Atlantis' : f.levels![Math.floor(rand() * f.levels!.length)];
    }
    return r;
  });
}

const logit = (p: number) => Math.log(p / (1 - p));

/** The answer's text with every `reasons` member removed, written as the ordinary path writes it. */
function withoutReasons(text: string): string {
  const body = JSON.parse(text);
  if (body.results) for (const r of body.results) delete r.reasons;
  else delete body.reasons;
  return asciiJson(body);
}

function expectExact(result: any) {
  const inputs = sampleModel().inputs.map((f: Input) => f.name);
  for (const [target, p] of Object.entries<number>(result.scores)) {
    const reason = result.reasons[target];
    const total = reason.contributions.reduce((a: number, c: any) => a + c.contribution, reason.base);
    expect(Math.abs(total - logit(p))).toBeLessThan(1e-6);
    expect(reason.contributions.map((c: any) => c.input).sort()).toEqual([...inputs].sort());
  }
}

describe('POST /v1/score?explain', () => {
  it('leaves 40 single answers byte for byte as they are, and adds exact reasons with explain=true', async () => {
    for (const record of records(40, 1)) {
      const plain = await (await postJson('/v1/score', record, bearer())).text();
      const off = await (await postJson('/v1/score?explain=false', record, bearer())).text();
      const on = await (await postJson('/v1/score?explain=true', record, bearer())).text();
      expect(off).toBe(plain);
      expect(withoutReasons(on)).toBe(plain);
      expect(plain).not.toContain('reasons');
      expectExact(JSON.parse(on));
    }
  });

  it('does the same for batches of records and tables (the fast paths without explain)', async () => {
    const batch = records(500, 2);
    const columns: string[] = sampleModel().inputs.map((f: Input) => f.name);
    const table = { columns, data: batch.map((r) => columns.map((c) => r[c] ?? null)) };
    for (const body of [{ records: batch }, table]) {
      const plain = await (await postJson('/v1/score', body, bearer())).text();
      const off = await (await postJson('/v1/score?explain=false', body, bearer())).text();
      const on = await (await postJson('/v1/score?explain=true', body, bearer())).text();
      expect(off).toBe(plain);
      expect(withoutReasons(on)).toBe(plain);
      const answer = JSON.parse(on);
      expect(answer.model).toBe(version);
      expect(answer.results).toHaveLength(500);
      for (const result of answer.results) expectExact(result);
    }
  });

  it.each(['yes', '1', 'TRUE', ''])('refuses explain=%j with a 400 naming explain', async (value) => {
    const res = await postJson(`/v1/score?explain=${value}`, records(1, 3)[0]);
    expect(res.status).toBe(400);
    const problem = await res.json<any>();
    expect(problem.errors).toEqual([expect.objectContaining({ name: 'explain' })]);
  });

  it('refuses explain given twice', async () => {
    const res = await postJson('/v1/score?explain=true&explain=false', records(1, 3)[0]);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].name).toBe('explain');
  });
});

describe('GET /v1/segment?explain', () => {
  const query = 'age=29&region=West&channel=app';

  it('adds reasons to the same answer, under its own ETag', async () => {
    const plain = await call(`/v1/segment?${query}`);
    const on = await call(`/v1/segment?${query}&explain=true`);
    expect(on.status).toBe(200);
    const text = await on.text();
    expect(withoutReasons(text)).toBe(asciiJson(await plain.json()));
    expectExact(JSON.parse(text));
    expect(on.headers.get('etag')).not.toBe(plain.headers.get('etag'));
  });

  it('refuses a bad explain with a 400 naming it', async () => {
    const res = await call(`/v1/segment?${query}&explain=please`);
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors).toEqual([expect.objectContaining({ name: 'explain' })]);
  });
});

describe('POST /v1/webhooks/signup?explain', () => {
  const signup = () =>
    JSON.stringify({
      type: 'user.created',
      timestamp: new Date().toISOString(),
      data: { age: 34, annual_income: 71, region: 'West', channel: 'web' },
    });

  it('adds reasons to the scored sign-up', async () => {
    const body = signup();
    const res = await call('/v1/webhooks/signup?explain=true', { method: 'POST', headers: signedHeaders(body), body });
    expect(res.status).toBe(200);
    const answer = await res.json<any>();
    expect(answer.model).toBe(version);
    expectExact(answer);
  });

  it('refuses a bad explain with a 400 naming it', async () => {
    const body = signup();
    const res = await call('/v1/webhooks/signup?explain=maybe', { method: 'POST', headers: signedHeaders(body), body });
    expect(res.status).toBe(400);
    expect((await res.json<any>()).errors[0].name).toBe('explain');
  });
});

/** The sample model with its head replaced by 50 random trees over its inputs, as published text. */
async function boostedSample(): Promise<string> {
  const { version: _v, ...draft } = withRandomForest(sampleModel(), {
    seed: 77,
    trees: 50,
    maxDepth: 5,
    base: -0.4,
    leafDivisor: 10,
  });
  return JSON.stringify({ ...draft, version: await computeVersion(draft) });
}

describe('explain=true with a boosted head', () => {
  beforeAll(async () => {
    await seedModel(await boostedSample());
  });
  afterAll(async () => {
    await seedModel(sampleModelText());
  });

  it('answers TreeSHAP reasons that add up to the log-odds, null for missing values; without explain the same scores, batches too', async () => {
    const batch = records(300, 4);
    for (const record of batch.slice(0, 10)) {
      const answer = await (await postJson('/v1/score?explain=true', record, bearer())).json<any>();
      expectExact(answer);
      for (const c of answer.reasons.purchased.contributions)
        if (!(c.input in record)) expect(c.value, c.input).toBeNull();
    }
    const plain = await (await postJson('/v1/score', { records: batch }, bearer())).text();
    const on = await (await postJson('/v1/score?explain=true', { records: batch }, bearer())).text();
    expect(withoutReasons(on)).toBe(plain);
    for (const result of JSON.parse(on).results) expectExact(result);
  });

  it('does the same with the trained boosted sample (boost-train), 300 records in a batch', async () => {
    await seedModel(inject('boostedModel'));
    const batch = records(300, 8);
    const plain = await (await postJson('/v1/score', { records: batch }, bearer())).text();
    const on = await (await postJson('/v1/score?explain=true', { records: batch }, bearer())).text();
    expect(withoutReasons(on)).toBe(plain);
    for (const result of JSON.parse(on).results) expectExact(result);
  });
});
