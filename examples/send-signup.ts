// `npm run example:signup -- [options]`: sends a sign-up webhook the way a back
// end would, signed with the standardwebhooks library and WEBHOOK_SECRET (from
// the environment or .dev.vars), and prints the worker's answer.
//
//   --url <base>     the worker (default http://127.0.0.1:8787)
//   --replay         send the same event twice, as a sender retrying would (same id and body, signed anew)
//   --id <id>        the webhook-id (default: a new one); the same id with another body is a 409
//   --data <json>    the sign-up's fields (default: a sample with nested extras)
//   --forge          sign with a wrong secret (expect 401)
//   --stale          sign with a timestamp ten minutes old (expect 401)
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { setting } from './dev-vars.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const base = (value('url') ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
const secret = flag('forge')
  ? `whsec_${Buffer.from('not the real secret, 32 bytes!!').toString('base64')}`
  : setting('WEBHOOK_SECRET');
if (!secret) {
  process.stderr.write(
    'WEBHOOK_SECRET is not set and .dev.vars has none: run `npm start` once, or export WEBHOOK_SECRET=whsec_…\n',
  );
  process.exit(2);
}

const id = value('id') ?? `msg_${randomUUID()}`;
const at = flag('stale') ? new Date(Date.now() - 10 * 60_000) : new Date();
const data = value('data')
  ? JSON.parse(value('data')!)
  : {
      id: 'usr_1042',
      email: 'ada@example.com',
      age: 34,
      annual_income: 71.5,
      region: 'West',
      channel: 'web',
      loyalty_tier: 'Bronze',
    };
const body = JSON.stringify({ type: 'user.created', timestamp: at.toISOString(), data });

async function send(): Promise<boolean> {
  const sentAt = flag('stale') ? at : new Date(); // a retry is signed anew; the body stays the same
  const res = await fetch(`${base}/v1/webhooks/signup`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret!).sign(id, sentAt, body),
    },
    body,
  });
  const replayed = res.headers.get('idempotent-replayed') === 'true';
  process.stdout.write(
    `webhook-id ${id}\nHTTP ${res.status}${replayed ? '  (a replay: the first answer, nothing processed again)' : ''}\n`,
  );
  process.stdout.write(`${JSON.stringify(await res.json(), null, 2)}\n`);
  return res.ok;
}

let ok = await send();
if (flag('replay')) {
  await new Promise((r) => setTimeout(r, 1500));
  process.stdout.write('\n-- sending the same event again --\n');
  ok = (await send()) && ok;
}
process.exit(ok ? 0 : 1);
