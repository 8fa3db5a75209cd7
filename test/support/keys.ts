// The test-only API keys and webhook secrets; vitest.config.ts gives the worker
// their hashes / values as API_KEY_HASHES, WEBHOOK_SECRET, FORWARD_SECRET and ALERT_SECRET.
import { Webhook } from 'standardwebhooks';

export const OPERATOR_KEY = 'esk_test_operator_key';
export const SECOND_KEY = 'esk_test_second_key';
export const WEBHOOK_SECRET = 'whsec_ZWRnZXNlZy10ZXN0LXdlYmhvb2stc2VjcmV0LTAwMDE=';
export const FORWARD_SECRET = 'whsec_ZWRnZXNlZy10ZXN0LWZvcndhcmQtc2VjcmV0LTAwMDE=';
export const ALERT_SECRET = 'whsec_ZWRnZXNlZy10ZXN0LWFsZXJ0LXNlY3JldC0wMDAwMQ==';

export const bearer = (key = OPERATOR_KEY) => ({ authorization: `Bearer ${key}` });

/** Standard Webhooks headers for `body`, signed with the standardwebhooks library itself. */
export function signedHeaders(
  body: string,
  options: { id?: string; at?: Date; secret?: string } = {},
): Record<string, string> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const at = options.at ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(options.secret ?? WEBHOOK_SECRET).sign(id, at, body),
  };
}
