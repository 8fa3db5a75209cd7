// Receipts: signed, compact, extensible, and refused when forged, tampered
// with or older than 90 days.
import { describe, expect, it } from 'vitest';
import {
  RECEIPT_TTL_SECONDS,
  receiptClaims,
  receiptKey,
  signReceipt,
  signReceiptSync,
  verifyReceipt,
} from '../../worker/receipts.ts';

const key = () => receiptKey('test-secret-one')!;
const now = Date.UTC(2026, 4, 1);

describe('receipts', () => {
  it('carry the model, segment, rounded probabilities, time and nonce, and nothing else', async () => {
    const claims = receiptClaims('m-1', 2, { purchase: 0.123456789 }, now);
    const token = await signReceipt(await key(), claims);
    expect(token).toMatch(/^r1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    const back = await verifyReceipt(await key(), token, now + 1000);
    expect(back).toEqual({ ok: true, claims: { m: 'm-1', s: 2, p: { purchase: 0.1235 }, t: now / 1000, n: claims.n } });
  });

  it('carry claims added by other parts, signed with the rest', async () => {
    const extra = { x: { key: 'hero', variant: 'b', visitor: 'ab12' } };
    const token = await signReceipt(await key(), receiptClaims('m-1', 0, {}, now, extra));
    const back = await verifyReceipt(await key(), token, now);
    expect(back.ok && back.claims.x).toEqual(extra.x);
  });

  it('differ for the same answer twice (each its own nonce)', async () => {
    const a = receiptClaims('m-1', 0, { purchase: 0.5 }, now);
    const b = receiptClaims('m-1', 0, { purchase: 0.5 }, now);
    expect(a.n).not.toBe(b.n);
  });

  it('are refused when signed with another secret, tampered with, expired or not receipts at all', async () => {
    const claims = receiptClaims('m-1', 1, { purchase: 0.2 }, now);
    const token = await signReceipt(await key(), claims);
    const forged = await signReceipt(await receiptKey('another-secret')!, claims);
    const [, body, mac] = token.split('.');
    const changed = btoa(JSON.stringify({ ...claims, p: { purchase: 0.9 } }))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const k = await key();
    const verify = (t: unknown, at = now) => verifyReceipt(k, t, at);
    expect(await verify(forged)).toEqual({ ok: false, reason: 'invalid signature' });
    expect(await verify(`r1.${changed}.${mac}`)).toEqual({ ok: false, reason: 'invalid signature' });
    expect(await verify(`r1.${body}.${mac.slice(0, -2)}AA`)).toEqual({ ok: false, reason: 'invalid signature' });
    expect(await verify(token, now + (RECEIPT_TTL_SECONDS + 1) * 1000)).toEqual({
      ok: false,
      reason: 'expired (older than 90 days)',
    });
    expect((await verify(token, now + (RECEIPT_TTL_SECONDS - 1) * 1000)).ok).toBe(true);
    for (const bad of ['', 'r1.', 'r1..', 'x1.abc.def', 'r1.!!!.abc', 42, null, 'r1.'.padEnd(5000, 'a')])
      expect(await verify(bad)).toEqual({ ok: false, reason: 'not a receipt' });
  });

  it('are the same token signed synchronously, read back by verifyReceipt', async () => {
    const claims = receiptClaims('m-1', 3, { purchase: 0.25 }, now, { x: { k: 'hero', v: 'control', h: 'ab' } });
    const sync = signReceiptSync('test-secret-one', claims);
    expect(sync).toBe(await signReceipt(await key(), claims));
    expect(await verifyReceipt(await key(), sync, now)).toEqual({ ok: true, claims });
  });
});
