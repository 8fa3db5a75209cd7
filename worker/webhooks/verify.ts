// Standard Webhooks verification (https://www.standardwebhooks.com): the
// signature is `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, the
// timestamp must be within five minutes of now, and signatures are compared in
// constant time. The `standardwebhooks` package does the crypto; it is plain
// JavaScript (fast-sha256, @stablelib/base64) and runs unchanged in workerd.
// Here we only turn its exceptions into reasons a sender can act on, without
// ever echoing the secret or the expected signature.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** Headers longer than this are refused before any crypto runs. */
const MAX_HEADER_CHARS = { id: 256, timestamp: 32, signature: 4096 } as const;

export type Verification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: string; status: 400 | 401 };

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export function webhookHeaders(get: (name: string) => string | undefined | null): WebhookHeaders {
  return {
    id: get('webhook-id') ?? undefined,
    timestamp: get('webhook-timestamp') ?? undefined,
    signature: get('webhook-signature') ?? undefined,
  };
}

/** A usable signing key from a `whsec_<base64>` secret, or null when it is missing or malformed. */
export function signer(secret: string | undefined): Webhook | null {
  if (!secret?.startsWith('whsec_')) return null;
  try {
    return new Webhook(secret);
  } catch {
    return null; // not base64, or empty
  }
}

export function verifyWebhook(wh: Webhook, body: string, h: WebhookHeaders): Verification {
  if (!h.id || !h.timestamp || !h.signature) {
    const missing = (['id', 'timestamp', 'signature'] as const).filter((k) => !h[k]).map((k) => `webhook-${k}`);
    return { ok: false, status: 401, reason: `missing ${missing.join(', ')}` };
  }
  if (
    h.id.length > MAX_HEADER_CHARS.id ||
    h.timestamp.length > MAX_HEADER_CHARS.timestamp ||
    h.signature.length > MAX_HEADER_CHARS.signature
  ) {
    return { ok: false, status: 400, reason: 'a webhook header is too long' };
  }
  // The library accepts "123abc" (parseInt); the scheme says whole seconds.
  if (!/^\d{1,12}$/.test(h.timestamp.trim()))
    return { ok: false, status: 401, reason: 'webhook-timestamp must be whole seconds since the epoch' };
  try {
    wh.verify(
      body,
      { 'webhook-id': h.id, 'webhook-timestamp': h.timestamp.trim(), 'webhook-signature': h.signature },
      { jsonParse: false },
    );
    return { ok: true, id: h.id, timestamp: Number(h.timestamp.trim()) };
  } catch (e) {
    if (e instanceof WebhookVerificationError || (e as Error)?.name === 'WebhookVerificationError') {
      const msg = (e as Error).message;
      if (/too old|too new/.test(msg))
        return { ok: false, status: 401, reason: 'webhook-timestamp is outside the five-minute tolerance' };
      return { ok: false, status: 401, reason: 'no valid signature' };
    }
    return { ok: false, status: 401, reason: 'no valid signature' };
  }
}
