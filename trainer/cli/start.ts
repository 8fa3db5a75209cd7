// `npm start`: the whole job on the bundled sample. Trains it when no model is
// published yet, publishes to local KV and serves the worker on
// http://127.0.0.1:8787 (wrangler dev, reading the same local KV).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { activeLocalVersion, publishLocal } from '../publish.ts';
import { readFile } from 'node:fs/promises';
import { runTrain } from './train.ts';
import { runCli } from './args.ts';

const PORT = process.env.PORT ?? '8787';

runCli(async () => {
  process.env.WRANGLER_SEND_METRICS ??= 'false';
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false';
  const active = await activeLocalVersion();
  if (active) {
    process.stdout.write(`model ${active} is already published to local KV (retrain: npm run train, then npm run publish)\n`);
  } else {
    process.stdout.write('no model published yet: training the bundled sample (data/customers.csv)\n');
    const { modelFile } = await runTrain(['--data', 'data/customers.csv', '--config', 'data/customers.config.json', '--out', 'models']);
    const model = await publishLocal(await readFile(modelFile, 'utf8'));
    process.stdout.write(`published ${model.version} to local KV\n`);
  }
  if (!existsSync('node_modules/.bin/wrangler')) throw new Error('wrangler is not installed: run npm install');
  process.stdout.write(`\nserving on http://127.0.0.1:${PORT}  (dashboard: /  ·  API: /v1/score, /v1/model, /health)\n\n`);
  const child = spawn('node_modules/.bin/wrangler', ['dev', '--ip', '127.0.0.1', '--port', PORT, '--persist-to', '.wrangler/state'], {
    stdio: 'inherit',
    env: process.env,
  });
  const stop = () => child.kill('SIGINT');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
});
