// Helpers for worker tests: publish a model into the real KV binding (through
// the same publish contract as the CLI) and send requests through the worker,
// each answer checked against /openapi.json.
import { env, exports } from 'cloudflare:workers';
import { inject } from 'vitest';
import { publishModel } from '../../model/index.ts';
import { resetModelCache } from '../../worker/model-store.ts';
import { checkAnswer } from './contract.ts';

export const sampleModelText = () => inject('sampleModel');
export const sampleModel = () => JSON.parse(inject('sampleModel'));

/** Publishes and activates a model, and makes the isolate re-read KV. */
export async function seedModel(text = sampleModelText()): Promise<string> {
  const model = await publishModel(env.MODELS, text);
  resetModelCache();
  return model.version;
}

export async function clearModels(): Promise<void> {
  const list = await env.MODELS.list();
  await Promise.all(list.keys.map((k) => env.MODELS.delete(k.name)));
  resetModelCache();
}

const raw = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://edgeseg.test${path}`, init));

/** A request through the worker's entry point; its answer is checked against /openapi.json (see contract.ts). */
export async function call(path: string, init?: RequestInit): Promise<Response> {
  return checkAnswer(raw, init?.method ?? 'GET', path, await raw(path, init));
}

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
