// What the worker is given by the runtime: bindings from wrangler.toml and secrets.
export interface Env {
  MODELS: KVNamespace;
  ASSETS: Fetcher;
  MODEL_REFRESH_SECONDS?: string;
  /** Secret: comma-separated SHA-256 hex digests of accepted bearer keys. */
  API_KEY_HASHES?: string;
  /** Secret: Standard Webhooks signing secret, `whsec_<base64>`. */
  WEBHOOK_SECRET?: string;
  /** Origins allowed to call /v1/* from a browser, comma-separated ("*": any, never with credentials). */
  CORS_ORIGINS?: string;
  /** JSON { "<model field>": "<path in the webhook payload>" }; unnamed fields are read from `data.<field>`. */
  WEBHOOK_FIELD_MAP?: string;
  /** Where scored sign-ups are forwarded (empty: not forwarded). */
  FORWARD_URL?: string;
  /** Secret: Standard Webhooks secret (`whsec_<base64>`) that signs forwarded events. */
  FORWARD_SECRET?: string;
  /** Idempotency records and the forwarding outbox of sign-up webhooks. */
  WEBHOOK_LEDGER: DurableObjectNamespace<import('./durable/webhook-ledger.ts').WebhookLedger>;
  /** Live monitoring: hourly counts, outcomes and alerts sent (migrations/, docs/monitoring.md). */
  MONITOR?: D1Database;
  /** Seconds between an isolate's first count and its flush to MONITOR (default 25; 0 flushes after each request). */
  MONITOR_FLUSH_SECONDS?: string;
  /** Live records below which drift has no verdict (`too few`; default 500). */
  MONITOR_MIN_RECORDS?: string;
  /** Where `model.drift` alerts are sent (empty: no alerts), signed with ALERT_SECRET. */
  ALERT_URL?: string;
  /** Secret: Standard Webhooks secret (`whsec_<base64>`) that signs alerts; FORWARD_SECRET's when unset. */
  ALERT_SECRET?: string;
  /** Secret: signs receipts (`?receipt=true`), which outcomes are later reported against. */
  RECEIPT_SECRET?: string;
  /** Seconds an isolate buffers experiment exposures before writing them to D1 (default 10; at most 25). */
  EXPERIMENT_FLUSH_SECONDS?: string;
  /** Per client IP: single-record scoring, /v1/segment, webhooks. */
  RATE_LIMIT_PUBLIC?: RateLimit;
  /** Per API key: batch scoring and admin routes. */
  RATE_LIMIT_KEYS?: RateLimit;
}

export type AppEnv = { Bindings: Env };
