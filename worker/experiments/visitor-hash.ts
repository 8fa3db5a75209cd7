// The visitor id as it is kept: HMAC-SHA256 under a key derived from
// RECEIPT_SECRET, over the experiment key and the id, cut to 16 bytes
// (base64url). Without the secret nobody can tell which id a hash belongs to or
// test a guess; per experiment, so the same visitor is not linkable across
// experiments. Rotating RECEIPT_SECRET during an experiment makes returning
// visitors count again (see docs/experiments.md). Synchronous: it runs on the
// request path (see worker/crypto/hmac-sha256.ts for why not WebCrypto).
import { base64url } from '../crypto/base64url.ts';
import { type HmacKey, hmacKey, hmacSha256 } from '../crypto/hmac-sha256.ts';

let cached: { secret: string; key: HmacKey } | null = null;

/** 22 characters naming (experiment, visitor) without revealing the visitor. */
export function visitorHash(secret: string, experiment: string, visitor: string): string {
  // A key of its own (not the receipt-signing key itself): hashes are not receipt tags.
  if (cached?.secret !== secret) cached = { secret, key: hmacKey(`edgeseg visitor hash\0${secret}`) };
  return base64url(hmacSha256(cached.key, `${experiment}\0${visitor}`), 16);
}
