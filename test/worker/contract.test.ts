// The response check every worker test goes through (test/support/contract.ts):
// it must refuse answers that drift from /openapi.json, or it proves nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer } from '../support/contract.ts';
import { call, seedModel } from '../support/worker.ts';

const fetchDoc = (path: string) => call(path);
const json = (body: unknown, status = 200, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
const problem = (body: unknown, status: number) => json(body, status, 'application/problem+json');

beforeAll(async () => {
  await seedModel();
});

describe('checking answers against /openapi.json', () => {
  it('accepts the real answers of public operations', async () => {
    for (const path of ['/health', '/v1/model', '/v1/segment?age=34', '/v1/embed.js'])
      expect((await call(path)).status).toBe(200);
  });

  it('refuses a success that lacks a required field or has the wrong type', async () => {
    await expect(
      checkAnswer(fetchDoc, 'GET', '/health', json({ status: 'ok', model: null, loadedAt: null })),
    ).rejects.toThrow(/isolate/);
    await expect(
      checkAnswer(fetchDoc, 'GET', '/health', json({ status: 'fine', model: null, isolate: 'a', loadedAt: null })),
    ).rejects.toThrow(/status/);
  });

  it('refuses a problem without its title, a status the operation does not list, and a wrong media type', async () => {
    await expect(checkAnswer(fetchDoc, 'GET', '/v1/segment', problem({ type: 'x', status: 400 }, 400))).rejects.toThrow(
      /title/,
    );
    await expect(
      checkAnswer(fetchDoc, 'GET', '/v1/segment', problem({ type: 'x', title: 'Gone', status: 410 }, 410)),
    ).rejects.toThrow(/does not list/);
    await expect(
      checkAnswer(fetchDoc, 'GET', '/v1/segment', json({ type: 'x', title: 'Bad', status: 400 }, 400)),
    ).rejects.toThrow(/problem\+json/);
  });

  it('finds operations by path template and leaves undocumented routes alone', async () => {
    await expect(
      checkAnswer(fetchDoc, 'GET', '/v1/admin/models/abcd1234', problem({ title: 'Not found' }, 404)),
    ).rejects.toThrow(/getModelVersion/);
    await expect(
      checkAnswer(fetchDoc, 'GET', '/batch', new Response('<html>', { status: 200 })),
    ).resolves.toBeInstanceOf(Response);
  });
});
