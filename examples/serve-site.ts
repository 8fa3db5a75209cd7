// `npm run example:site`: serves examples/site/ on http://localhost:8080, an
// origin wrangler.toml's CORS_ORIGINS allows, so the page can ask the worker
// (npm start, http://127.0.0.1:8787) for the visitor's segment.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('./site', import.meta.url));
const PORT = Number(process.env.PORT ?? 8080);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
};

createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(ROOT, path.endsWith('/') ? `${path}index.html` : path);
  if (!file.startsWith(ROOT)) return void res.writeHead(403).end();
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}).listen(PORT, 'localhost', () => {
  process.stdout.write(`example site on http://localhost:${PORT}  (the worker must be running: npm start)\n`);
  void startHoldout();
});

/**
 * A holdout to show: with EDGESEG_API_KEY (printed by the first `npm start`) set, starts the
 * experiment `example-holdout` (half of all segments' visitors see the default page) unless it
 * exists; its results are on the dashboard's Experiments page.
 */
async function startHoldout(): Promise<void> {
  const key = process.env.EDGESEG_API_KEY;
  const worker = process.env.EDGESEG_URL ?? 'http://127.0.0.1:8787';
  if (!key) {
    process.stdout.write('set EDGESEG_API_KEY to start a holdout experiment for this page (see docs/experiments.md)\n');
    return;
  }
  try {
    const res = await fetch(`${worker}/v1/admin/experiments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ key: 'example-holdout', holdout: 0.5, segments: 'all' }),
    });
    const body = (await res.json()) as { detail?: string };
    if (res.status === 201) process.stdout.write('started experiment example-holdout (holdout 50%, every segment)\n');
    else if (res.status === 409) process.stdout.write(`experiment not started: ${body.detail}\n`);
    else process.stdout.write(`experiment not started (${res.status}): ${body.detail ?? ''}\n`);
    process.stdout.write(`results: ${worker}/experiments\n`);
  } catch (e) {
    process.stdout.write(`experiment not started: the worker at ${worker} did not answer (${(e as Error).message})\n`);
  }
}
