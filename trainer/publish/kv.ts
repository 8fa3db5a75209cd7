// Storing a model in the KV namespace bound as MODELS. Locally that is the
// state `wrangler dev` and `npm start` read (.wrangler/state/v3), reached
// through wrangler's platform proxy; remotely it is `wrangler kv key put`
// against a real account.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';
import { ACTIVE_KEY, checkModelDocument, metadataOf, modelKey, publishModel, type Model } from '../../model/index.ts';

export class PublishError extends Error {
  override name = 'PublishError';
}

export const LOCAL_STATE = '.wrangler/state/v3';

/**
 * A config with only the MODELS namespace of wrangler.toml (same id, so the
 * same local storage): the proxy then starts no Durable Objects or rate
 * limiters and prints no warnings about them.
 */
function kvOnlyConfig(dir: string): string {
  const config = unstable_readConfig({ config: 'wrangler.toml' });
  const models = config.kv_namespaces.find((ns: { binding: string; id?: string }) => ns.binding === 'MODELS');
  if (!models?.id) throw new PublishError('wrangler.toml has no [[kv_namespaces]] binding named MODELS');
  const file = join(dir, 'wrangler.toml');
  writeFileSync(
    file,
    `name = "edgeseg-publish"\ncompatibility_date = "${config.compatibility_date}"\n\n[[kv_namespaces]]\nbinding = "MODELS"\nid = "${models.id}"\n`,
  );
  return file;
}

/** Runs `fn` with the local MODELS namespace, persisted where wrangler dev reads it. */
export async function withLocalKV<T>(fn: (kv: KVNamespace) => Promise<T>, persistTo = LOCAL_STATE): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'edgeseg-kv-'));
  try {
    const proxy = await getPlatformProxy<{ MODELS: KVNamespace }>({
      configPath: kvOnlyConfig(dir),
      persist: { path: resolve(persistTo) },
    });
    try {
      return await fn(proxy.env.MODELS);
    } finally {
      await proxy.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function publishLocal(text: string, persistTo?: string): Promise<Model> {
  return withLocalKV((kv) => publishModel(kv, text), persistTo);
}

export async function activeLocalVersion(persistTo?: string): Promise<string | null> {
  return withLocalKV((kv) => kv.get(ACTIVE_KEY), persistTo);
}

/** `wrangler kv key put --remote`: needs `wrangler login` and the real namespace id in wrangler.toml. */
export async function publishRemote(text: string): Promise<Model> {
  const model = await checkModelDocument(text);
  const dir = mkdtempSync(join(tmpdir(), 'edgeseg-'));
  try {
    const file = join(dir, 'model.json');
    writeFileSync(file, text);
    const run = (args: string[]) => {
      const r = spawnSync('npx', ['wrangler', 'kv', 'key', 'put', '--binding', 'MODELS', '--remote', ...args], {
        stdio: 'inherit',
      });
      if (r.status !== 0)
        throw new PublishError(
          `wrangler kv key put ${args[0]} failed (exit ${r.status}); is \`wrangler login\` done and the MODELS id in wrangler.toml real?`,
        );
    };
    run([
      modelKey(model.version),
      '--path',
      file,
      '--metadata',
      JSON.stringify(metadataOf(model, new Date().toISOString())),
    ]);
    run([ACTIVE_KEY, model.version]);
    return model;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
