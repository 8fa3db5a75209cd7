// Requests straight into the worker's fetch with the real bindings (optionally with some
// configuration changed). Much faster than exports.default.fetch for the
// hundreds of requests rate-limit and property tests send: each call through
// the runtime's entry point costs a little more than the one before.
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createWorker } from '../../worker/app.ts';
import type { Env } from '../../worker/env.ts';
import { checkAnswer } from './contract.ts';

const worker = createWorker();

async function raw(path: string, init?: RequestInit, overrides: Partial<Env> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://edgeseg.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** Its answer is checked against /openapi.json, as `call`'s is (see contract.ts). */
export async function direct(path: string, init?: RequestInit, overrides: Partial<Env> = {}): Promise<Response> {
  return checkAnswer(
    (p) => raw(p, undefined, overrides),
    init?.method ?? 'GET',
    path,
    await raw(path, init, overrides),
  );
}
