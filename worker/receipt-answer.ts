// `?receipt=true` on a scoring route: each result of the answer gets a
// `"receipt"` (see receipts.ts). Answers without it are never touched, so
// they stay exactly what they were.
import { asciiJson } from '../model/index.ts';
import { invalidInput, PROBLEM_TYPE_BASE, type Problem } from './problem.ts';
import { receiptClaims, receiptKey, signReceipt } from './receipts.ts';

/** What `?receipt=` asks: false (absent or "false"), true, or a problem naming the parameter. */
export function receiptWanted(value: string | undefined): boolean | Problem {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return invalidInput([{ name: 'receipt', reason: 'must be "true" or "false"' }]);
}

export const receiptsOff = (): Problem => ({
  type: `${PROBLEM_TYPE_BASE}receipts-off`,
  title: 'Receipts are not configured',
  status: 503,
  detail: 'receipt=true needs the RECEIPT_SECRET secret (npx wrangler secret put RECEIPT_SECRET)',
});

interface Scored {
  model?: string;
  segment: { id: number };
  scores: Record<string, number>;
  receipt?: string;
}

/** The answer's JSON text with a receipt on each result (`results[]` or the answer itself); null without a secret. */
export async function withReceipts(json: string, secret: string | undefined, nowMs: number): Promise<string | null> {
  const key = receiptKey(secret);
  if (!key) return null;
  const k = await key;
  const doc = JSON.parse(json) as Scored & { results?: Scored[] };
  const model = doc.model ?? '';
  const sign = async (r: Scored) => {
    r.receipt = await signReceipt(k, receiptClaims(model, r.segment.id, r.scores, nowMs));
  };
  if (Array.isArray(doc.results)) await Promise.all(doc.results.map(sign));
  else await sign(doc);
  return asciiJson(doc);
}
