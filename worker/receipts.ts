// Receipts: what an answer scored, signed, so an outcome reported later
// (POST /v1/outcomes) can be matched with the score it follows without the
// worker storing anything per answer. A receipt is
// `r1.<base64url JSON claims>.<base64url HMAC-SHA256, first 16 bytes>`, keyed
// by the secret RECEIPT_SECRET. The claims hold the model version, the segment,
// each binary head's probability, the time and a random nonce (which names the
// receipt, so an outcome counts once); nothing about the visitor. Other parts
// may add claims of their own under other keys (an experiment's key, variant
// and visitor hash, say): they are signed with the rest and read back as given.

import { base64url, base64urlText } from './crypto/base64url.ts';
import { type HmacKey, hmacKey, hmacSha256 } from './crypto/hmac-sha256.ts';
import { randomBytes } from './crypto/random-pool.ts';

/** Receipts older than this are refused (and their dedupe rows may be deleted). */
export const RECEIPT_TTL_SECONDS = 90 * 24 * 3600;
const PREFIX = 'r1.';
/** Bytes of the HMAC kept: 128 bits, as much as a forger would have to guess. */
const TAG_BYTES = 16;
/** Longer tokens are refused before any decoding or crypto. */
export const MAX_RECEIPT_CHARS = 2048;

export interface ReceiptClaims {
  /** Model version that scored. */
  m: string;
  /** Segment id. */
  s: number;
  /** Each binary head's probability, rounded to 4 decimals. */
  p: Record<string, number>;
  /** Issued, Unix seconds. */
  t: number;
  /** Random nonce (base64url, 12 bytes): the receipt's identity. */
  n: string;
  /** Claims other parts add (e.g. `x` for an experiment); signed like the rest. */
  [claim: string]: unknown;
}

export type ReceiptCheck = { ok: true; claims: ReceiptClaims } | { ok: false; reason: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC key of a secret, imported once per isolate; null without a secret. */
export function receiptKey(secret: string | undefined): Promise<CryptoKey> | null {
  if (!secret) return null;
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(secret, key);
  }
  return key;
}

async function tag(key: CryptoKey, signed: string): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(signed));
  return new Uint8Array(mac, 0, TAG_BYTES);
}

/** The claims of a scored answer: probabilities rounded, time in seconds, a fresh nonce. */
export function receiptClaims(
  model: string,
  segment: number,
  scores: Record<string, number>,
  nowMs: number,
  extra: Record<string, unknown> = {},
): ReceiptClaims {
  const p: Record<string, number> = {};
  for (const [name, v] of Object.entries(scores)) p[name] = Math.round(v * 1e4) / 1e4;
  const nonce = base64url(randomBytes(12));
  return { ...extra, m: model, s: segment, p, t: Math.floor(nowMs / 1000), n: nonce };
}

export async function signReceipt(key: CryptoKey, claims: ReceiptClaims): Promise<string> {
  const signed = PREFIX + base64url(encoder.encode(JSON.stringify(claims)));
  return `${signed}.${base64url(await tag(key, signed))}`;
}

/** Constant-time comparison of two tags. */
function sameTag(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

const isClaims = (v: unknown): v is ReceiptClaims => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const c = v as Record<string, unknown>;
  const p = c.p;
  return (
    typeof c.m === 'string' &&
    Number.isInteger(c.s) &&
    Number.isInteger(c.t) &&
    typeof c.n === 'string' &&
    typeof p === 'object' &&
    p !== null &&
    !Array.isArray(p) &&
    Object.values(p).every((x) => typeof x === 'number' && x >= 0 && x <= 1)
  );
};

/** The claims of a receipt this secret signed and that has not expired; otherwise why not. */
export async function verifyReceipt(key: CryptoKey, token: unknown, nowMs: number): Promise<ReceiptCheck> {
  if (typeof token !== 'string' || token.length > MAX_RECEIPT_CHARS || !token.startsWith(PREFIX))
    return { ok: false, reason: 'not a receipt' };
  const dot = token.lastIndexOf('.');
  const signed = token.slice(0, dot);
  const given = fromBase64url(token.slice(dot + 1));
  const body = fromBase64url(signed.slice(PREFIX.length));
  if (dot <= PREFIX.length || !given || !body) return { ok: false, reason: 'not a receipt' };
  if (!sameTag(given, await tag(key, signed))) return { ok: false, reason: 'invalid signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(decoder.decode(body));
  } catch {
    return { ok: false, reason: 'not a receipt' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'not a receipt' };
  if (nowMs / 1000 - claims.t > RECEIPT_TTL_SECONDS) return { ok: false, reason: 'expired (older than 90 days)' };
  return { ok: true, claims };
}

let syncKey: { secret: string; key: HmacKey } | null = null;

/**
 * The token signReceipt makes, signed synchronously (worker/crypto/hmac-sha256.ts): for answers
 * on the request path, where WebCrypto's promise costs more than the signing. Same tag, so
 * verifyReceipt reads it like any other.
 */
export function signReceiptSync(secret: string, claims: ReceiptClaims): string {
  if (syncKey?.secret !== secret) syncKey = { secret, key: hmacKey(secret) };
  const signed = PREFIX + base64urlText(JSON.stringify(claims));
  return `${signed}.${base64url(hmacSha256(syncKey.key, signed), TAG_BYTES)}`;
}
