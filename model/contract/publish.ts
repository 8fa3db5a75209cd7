// The publish contract shared by the CLI and the admin API: a document is
// checked (valid, and its version really is the hash of its content) before it
// is stored; it is written as `model:<version>` first and only then is
// `model:active` pointed at it, so a reader never sees half a model.
import type { Model } from './types.ts';
import { ModelError, parseModelJson, validateModel } from './validate.ts';
import { computeVersion } from './version.ts';

export const ACTIVE_KEY = 'model:active';
export const MODEL_PREFIX = 'model:';
export const modelKey = (version: string) => `${MODEL_PREFIX}${version}`;

/** What is stored beside each model in KV, for listing versions without reading them. */
export interface ModelMetadata {
  version: string;
  trainedAt: string;
  rows: number;
  k: number;
  targets: { name: string; rocAuc: number; accuracy: number }[];
  publishedAt: string;
}

export async function checkModelDocument(text: string): Promise<Model> {
  const doc = parseModelJson(text);
  const model = validateModel(doc);
  // The hash of the document as written: a model in an older format was hashed in that format, not in the shape it is read into.
  const expected = await computeVersion(doc as Model);
  if (expected !== model.version) {
    throw new ModelError([
      `version: is ${model.version} but the content hashes to ${expected} (the document was edited after training)`,
    ]);
  }
  return model;
}

export function metadataOf(model: Model, publishedAt: string): ModelMetadata {
  return {
    version: model.version,
    trainedAt: model.training.trainedAt,
    rows: model.training.rows,
    k: model.segmentation.centroids.length,
    targets: model.targets.map((t) => ({
      name: t.name,
      rocAuc: t.metrics.test.rocAuc,
      accuracy: t.metrics.test.accuracy,
    })),
    publishedAt,
  };
}

/** The minimal KV surface publishing needs (a Workers KVNamespace satisfies it). */
export interface ModelKV {
  put(key: string, value: string, options?: { metadata?: unknown }): Promise<void>;
  get(key: string): Promise<string | null>;
}

export async function publishModel(
  kv: ModelKV,
  text: string,
  options: { activate?: boolean; now?: Date } = {},
): Promise<Model> {
  const model = await checkModelDocument(text);
  await kv.put(modelKey(model.version), text, {
    metadata: metadataOf(model, (options.now ?? new Date()).toISOString()),
  });
  if (options.activate !== false) await kv.put(ACTIVE_KEY, model.version);
  return model;
}
