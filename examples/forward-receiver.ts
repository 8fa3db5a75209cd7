// `npm run example:receiver`: a stand-in for the system scored sign-ups are
// forwarded to. Verifies each delivery with FORWARD_SECRET (environment or
// .dev.vars) using the standardwebhooks library and prints it. To try it, add
//   FORWARD_URL=http://127.0.0.1:8090/hooks/edgeseg
// to .dev.vars and restart `npm start`. Start with --fail to answer 503 and
// watch the worker retry (GET /v1/admin/webhooks/events shows the attempts).
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { setting } from './dev-vars.ts';

const PORT = Number(process.env.PORT ?? 8090);
const secret = setting('FORWARD_SECRET');
if (!secret) {
  process.stderr.write('FORWARD_SECRET is not set and .dev.vars has none: run `npm start` once\n');
  process.exit(2);
}
const wh = new Webhook(secret);
const failing = process.argv.includes('--fail');

createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const event = wh.verify(body, req.headers as Record<string, string>) as {
        data: { webhookId: string; segment: { label: string }; scores: Record<string, number> };
      };
      process.stdout.write(
        `${req.headers['webhook-id']}: ${event.data.segment.label} ${JSON.stringify(event.data.scores)}${failing ? '  (answering 503)' : ''}\n`,
      );
      res.writeHead(failing ? 503 : 204).end();
    } catch (e) {
      process.stdout.write(`refused a delivery: ${(e as Error).message}\n`);
      res.writeHead(401).end();
    }
  });
}).listen(PORT, '127.0.0.1', () =>
  process.stdout.write(`receiving forwarded sign-ups on http://127.0.0.1:${PORT}/hooks/edgeseg\n`),
);
