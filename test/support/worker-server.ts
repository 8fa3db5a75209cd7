// Runs the worker the way `npm start` does — `wrangler dev` on a local KV
// holding a published model — but on free ports and a throw-away state
// directory, so browser tests see the real bundle, assets and headers. The
// bundle is built once up front (`wrangler deploy --dry-run`, as `npm run
// build` does) and served as is, so an edit elsewhere in the tree cannot make
// wrangler rebuild and restart under a running test.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishLocal } from '../../trainer/publish/kv.ts';

export interface RunningWorker {
  url: string;
  version: string | null;
  log: () => string;
  stop: () => Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: '1',
};

/** Builds the worker bundle into `outdir` (what `npm run build` makes) and returns its entry file. */
export function buildWorker(outdir: string): string {
  const r = spawnSync('node_modules/.bin/wrangler', ['deploy', '--dry-run', '--outdir', outdir], {
    env: WRANGLER_ENV,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`wrangler deploy --dry-run failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return join(outdir, 'index.js');
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  log: () => string,
  wantModel: boolean,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && (!wantModel || ((await res.json()) as { model: string | null }).model)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not ${wantModel ? 'serve a model' : 'answer'} within ${timeoutMs} ms:\n${log()}`);
}

/** Publishes `modelText` (if any) into a fresh local KV and serves the built bundle over it. */
export async function startWorker(
  bundle: string,
  modelText: string | null,
  vars: string[] = [],
): Promise<RunningWorker> {
  const state = mkdtempSync(join(tmpdir(), 'edgeseg-browser-'));
  const model = modelText === null ? null : await publishLocal(modelText, join(state, 'v3'));
  // The monitoring database's schema, as `npm start` applies it.
  const migrated = spawnSync(
    'node_modules/.bin/wrangler',
    ['d1', 'migrations', 'apply', 'MONITOR', '--local', '--persist-to', state],
    { env: WRANGLER_ENV, encoding: 'utf8' },
  );
  if (migrated.status !== 0)
    throw new Error(`wrangler d1 migrations apply failed:\n${migrated.stdout}\n${migrated.stderr}`);
  // A port found free can be taken before workerd binds it (tests run side by side): then the
  // runtime fails to start, and another pair of ports is tried.
  for (let attempt = 1; ; attempt++) {
    try {
      const running = await serve(bundle, state, model !== null, vars);
      return { ...running, version: model?.version ?? null };
    } catch (e) {
      if (attempt === 3 || !(e instanceof ExitedEarly)) {
        rmSync(state, { recursive: true, force: true });
        throw e;
      }
    }
  }
}

class ExitedEarly extends Error {}

async function serve(
  bundle: string,
  state: string,
  wantModel: boolean,
  vars: string[],
): Promise<Omit<RunningWorker, 'version'>> {
  const [port, inspector] = [await freePort(), await freePort()];
  const child = spawn(
    'node_modules/.bin/wrangler',
    [
      'dev',
      bundle,
      '--no-bundle',
      '--config',
      'wrangler.toml',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspector),
      '--persist-to',
      state,
      '--log-level',
      'warn',
      ...vars.flatMap((v) => ['--var', v]),
    ],
    { env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const log = () => output.slice(-4000);
  const url = `http://127.0.0.1:${port}`;
  const kill = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null)
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
    }
  };
  try {
    await waitForHealth(url, child, log, wantModel);
  } catch (e) {
    await kill();
    throw child.exitCode !== null && /failed to start/.test(output) ? new ExitedEarly((e as Error).message) : e;
  }
  return {
    url,
    log,
    stop: async () => {
      await kill();
      rmSync(state, { recursive: true, force: true });
    },
  };
}
