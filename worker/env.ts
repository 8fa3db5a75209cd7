// What the worker is given by the runtime: bindings from wrangler.toml and secrets.
export interface Env {
  MODELS: KVNamespace;
  ASSETS: Fetcher;
  MODEL_REFRESH_SECONDS?: string;
}

export type AppEnv = { Bindings: Env };
