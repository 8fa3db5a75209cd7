// `npm start`: the whole job on the bundled sample. Trains it when no model is
// published yet, publishes to local KV and serves the worker on
// http://127.0.0.1:8787 (wrangler dev, reading the same local KV).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { activeLocalVersion, publishLocal } from '../publish/kv.ts';
import { readFile } from 'node:fs/promises';
import { runTrain } from './train.ts';
import { runCli } from './args.ts';

const PORT = process.env.PORT ?? '8787';
const DEV_VARS = '.dev.vars';

/**
 * Local secrets for `wrangler dev`, made once: a Standard Webhooks secret for
 * sign-up webhooks (and one for forwarding), and a dev API key of which only
 * the SHA-256 is stored. The key itself is printed this once and kept nowhere.
 */
const whsec = () => `whsec_${randomBytes(32).toString('base64')}`;

function ensureDevVars(): string | null {
  if (existsSync(DEV_VARS)) {
    // Checkouts from before receipts or alert signing: add their secrets, keep the rest.
    const vars = readFileSync(DEV_VARS, 'utf8');
    if (!/^RECEIPT_SECRET=/m.test(vars))
      appendFileSync(DEV_VARS, `RECEIPT_SECRET=${randomBytes(32).toString('base64url')}\n`);
    if (!/^ALERT_SECRET=/m.test(vars)) appendFileSync(DEV_VARS, `ALERT_SECRET=${whsec()}\n`);
    return null;
  }
  const key = `esk_${randomBytes(32).toString('base64url')}`;
  writeFileSync(
    DEV_VARS,
    [
      '# Local secrets for `wrangler dev` (made by `npm start`; never commit this file).',
      '# In production: npx wrangler secret put WEBHOOK_SECRET / API_KEY_HASHES / FORWARD_SECRET / ALERT_SECRET / RECEIPT_SECRET',
      `WEBHOOK_SECRET=${whsec()}`,
      `FORWARD_SECRET=${whsec()}`,
      '# Signs drift alerts to ALERT_URL (its receiver cannot then sign forwarded sign-ups).',
      `ALERT_SECRET=${whsec()}`,
      '# Signs receipts (?receipt=true), against which outcomes are reported.',
      `RECEIPT_SECRET=${randomBytes(32).toString('base64url')}`,
      '# SHA-256 hex digests of accepted API keys, comma-separated (the keys themselves are never stored).',
      `API_KEY_HASHES=${createHash('sha256').update(key).digest('hex')}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return (
    `created ${DEV_VARS} with a new WEBHOOK_SECRET and a dev API key. The key is shown only now (${DEV_VARS} keeps its SHA-256):\n\n` +
    `  export EDGESEG_API_KEY=${key}\n`
  );
}

/** Runs a command to its end, its output shown; throws if it fails. */
function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env: process.env });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

runCli(async () => {
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  const newKey = ensureDevVars();
  const active = await activeLocalVersion();
  if (active) {
    process.stdout.write(
      `model ${active} is already published to local KV (retrain: npm run train, then npm run publish)\n`,
    );
  } else {
    process.stdout.write('no model published yet: training the bundled sample (data/customers.csv)\n');
    const { modelFile } = await runTrain([
      '--data',
      'data/customers.csv',
      '--config',
      'data/customers.config.json',
      '--out',
      'models',
    ]);
    const model = await publishLocal(await readFile(modelFile, 'utf8'));
    process.stdout.write(`published ${model.version} to local KV\n`);
  }
  if (!existsSync('node_modules/.bin/wrangler')) throw new Error('wrangler is not installed: run npm install');
  // The monitoring database's schema, in the same local state wrangler dev reads.
  await run('node_modules/.bin/wrangler', [
    'd1',
    'migrations',
    'apply',
    'MONITOR',
    '--local',
    '--persist-to',
    '.wrangler/state',
  ]);
  if (newKey) process.stdout.write(`\n${newKey}`); // last, so it is not scrolled away by training output
  process.stdout.write(
    `\nserving on http://127.0.0.1:${PORT}  (dashboard: /  ·  API: /v1/score, /v1/model, /health)\n\n`,
  );
  const child = spawn(
    'node_modules/.bin/wrangler',
    ['dev', '--ip', '127.0.0.1', '--port', PORT, '--persist-to', '.wrangler/state'],
    {
      stdio: 'inherit',
      env: process.env,
    },
  );
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
});
