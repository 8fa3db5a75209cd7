// What the worker is given by the runtime: bindings from wrangler.toml and secrets.
export interface Env {
  MODELS: KVNamespace;
  ASSETS: Fetcher;
  MODEL_REFRESH_SECONDS?: string;
  /** Secret: comma-separated SHA-256 hex digests of accepted bearer keys. */
  API_KEY_HASHES?: string;
  /** Secret: Standard Webhooks signing secret, `whsec_<base64>`. */
  WEBHOOK_SECRET?: string;
}

export type AppEnv = { Bindings: Env };
