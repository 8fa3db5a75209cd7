// The visitor id as it is kept: HMAC-SHA256 under a key derived from
// RECEIPT_SECRET, over the experiment key and the id, cut to 16 bytes
// (base64url). Without the secret nobody can tell which id a hash belongs to or
// test a guess; per experiment, so the same visitor is not linkable across
// experiments. Rotating RECEIPT_SECRET during an experiment makes returning
// visitors count again (see docs/experiments.md).

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hashKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    // A key of its own (not the receipt-signing key itself): hashes are not receipt tags.
    const material = encoder.encode(`edgeseg visitor hash\0${secret}`);
    key = crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** 22 characters naming (experiment, visitor) without revealing the visitor. */
export async function visitorHash(secret: string, experiment: string, visitor: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hashKey(secret), encoder.encode(`${experiment}\0${visitor}`));
  return base64url(new Uint8Array(mac, 0, 16));
}
