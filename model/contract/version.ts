// A model's version is derived from its content, so the same training run
// always publishes under the same key and a changed model never reuses one.
// The training time is left out: retraining identical data gives the same id.
import type { Model } from './types.ts';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The JSON text the version is a hash of. */
export function versionedContent(model: Omit<Model, 'version'> & { version?: string }): string {
  const { version: _v, ...rest } = model;
  return JSON.stringify({ ...rest, training: { ...rest.training, trainedAt: undefined } });
}

export async function computeVersion(model: Omit<Model, 'version'> & { version?: string }): Promise<string> {
  return (await sha256Hex(versionedContent(model))).slice(0, 12);
}
