// The edge half of the benchmark, on plain workerd (not `wrangler dev`, whose
// proxy costs ~15× and is not what production runs): the worker bundle that
// `npm run build` makes, its MODELS binding a KV namespace served by
// bench/workerd/kv-service.js (so every model read goes through the same
// `env.MODELS.get` as in production), loaded with wrk on 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { HEADER } from '../data/customers-model.ts';
import { generateCustomers } from '../data/generate.ts';
import { ACTIVE_KEY, modelKey } from '../model/index.ts';

export const EDGE_DIR = 'bench/out/edge';
const WORKERD = 'node_modules/.bin/workerd';
/** The key the batch requests send (batches need one); its SHA-256 is the worker's API_KEY_HASHES. */
const BENCH_KEY = 'edgeseg-bench-key';

function wrangler(args: string[]): void {
  const r = spawnSync(process.execPath, ['node_modules/wrangler/bin/wrangler.js', ...args], {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    encoding: 'utf8',
  });
  if (r.status !== 0)
    throw new Error(
      `wrangler ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`,
    );
}

export interface Bundles {
  worker: string;
  coldStart: string;
  /** bench/workerd/ceiling.ts: the worker with a scoring route that only reads and parses. */
  ceiling: string;
}

/** `npm run build`'s bundle (into bench/out, leaving dist/ alone), the cold-start probe's and the ceiling worker's. */
export function buildBundles(): Bundles {
  const out = resolve(EDGE_DIR);
  wrangler(['deploy', '--dry-run', '--outdir', join(out, 'dist')]);
  wrangler([
    'deploy',
    '--dry-run',
    '--outdir',
    join(out, 'cold'),
    '--config',
    'bench/workerd/wrangler.cold-start.toml',
  ]);
  wrangler([
    'deploy',
    '--dry-run',
    '--outdir',
    join(out, 'ceiling'),
    '--config',
    'bench/workerd/wrangler.ceiling.toml',
  ]);
  return {
    worker: join(out, 'dist', 'index.js'),
    coldStart: join(out, 'cold', 'cold-start.js'),
    ceiling: join(out, 'ceiling', 'ceiling.js'),
  };
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

export interface Workerd {
  url: string;
  coldUrl: string;
  /** A worker that does no work (bench/workerd/floor-service.js): workerd's own cost of a request. */
  floorUrl: string;
  /** The worker with a scoring route that only reads and parses (bench/workerd/ceiling.ts). */
  ceilingUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts workerd serving the worker bundle and the cold-start probe, both
 * bound to a KV namespace holding `model` as the active model. The config is
 * generated into bench/out/edge (capnp embeds are relative to it).
 */
export async function startWorkerd(
  bundles: Bundles,
  modelFile: string,
  name: string,
  /** More KV entries (e.g. experiments) and text bindings (e.g. RECEIPT_SECRET) for the worker. */
  extra: { entries?: Record<string, string>; vars?: Record<string, string>; ceilingAnswer?: string } = {},
): Promise<Workerd> {
  const dir = join(EDGE_DIR, name);
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(modelFile, 'utf8');
  const version = (JSON.parse(text) as { version: string }).version;
  writeFileSync(
    join(dir, 'entries.json'),
    JSON.stringify({ [ACTIVE_KEY]: version, [modelKey(version)]: text, ...extra.entries }),
  );
  copyFileSync(bundles.worker, join(dir, 'worker.js'));
  // wrangler writes each imported .wasm beside the bundle, named as the bundle imports it.
  const wasm = readdirSync(dirname(bundles.worker)).filter((f) => f.endsWith('.wasm'));
  for (const f of wasm) copyFileSync(join(dirname(bundles.worker), f), join(dir, f));
  copyFileSync(bundles.coldStart, join(dir, 'cold-start.js'));
  copyFileSync('bench/workerd/kv-service.js', join(dir, 'kv-service.js'));
  copyFileSync('bench/workerd/floor-service.js', join(dir, 'floor-service.js'));
  // The ceiling's bundle imports the same .wasm files (named by their hash), copied above.
  copyFileSync(bundles.ceiling, join(dir, 'ceiling.js'));
  // Live monitoring on, as deployed: MONITOR bound to a SQLite-backed stand-in for D1 (see d1-stand-in.js).
  copyFileSync('bench/workerd/d1-stand-in.js', join(dir, 'd1-stand-in.js'));
  copyFileSync('bench/workerd/d1-store.js', join(dir, 'd1-store.js'));
  // Every migration, in order (monitoring's counts and experiments' exposures share the database).
  const migrations = readdirSync('migrations')
    .filter((f) => f.endsWith('.sql'))
    .sort();
  writeFileSync(
    join(dir, 'monitor-schema.sql'),
    migrations.map((f) => readFileSync(join('migrations', f), 'utf8')).join('\n'),
  );
  rmSync(join(dir, 'monitor-db'), { recursive: true, force: true });
  mkdirSync(join(dir, 'monitor-db'));
  const [port, coldPort, floorPort, ceilingPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const keyHash = createHash('sha256').update(BENCH_KEY).digest('hex');
  // The worker's vars as wrangler.toml sets them; no rate-limit bindings (wrk from one address
  // would be limited at 300 requests a minute — Cloudflare's limiter runs outside the isolate).
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "edgeseg", worker = .edgeseg),
    (name = "cold-start", worker = .coldStart),
    (name = "kv", worker = .kv),
    (name = "floor", worker = .floor),
    (name = "ceiling", worker = .ceiling),
    (name = "monitor-db", worker = .monitorDb),
    (name = "monitor-disk", disk = (path = "${resolve(dir, 'monitor-db')}", writable = true)),
  ],
  extensions = [(modules = [(name = "edgeseg-bench:d1", esModule = embed "d1-stand-in.js", internal = true)])],
  sockets = [
    (name = "http", address = "127.0.0.1:${port}", http = (), service = "edgeseg"),
    (name = "cold", address = "127.0.0.1:${coldPort}", http = (), service = "cold-start"),
    (name = "floor", address = "127.0.0.1:${floorPort}", http = (), service = "floor"),
    (name = "ceiling", address = "127.0.0.1:${ceilingPort}", http = (), service = "ceiling"),
  ],
);
const edgeseg :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")${wasm.map((f) => `, (name = "${f}", wasm = embed "${f}")`).join('')}],
  compatibilityDate = "2026-04-20",
  bindings = [
    (name = "MODELS", kvNamespace = "kv"),
    (name = "MODEL_REFRESH_SECONDS", text = "30"),
    (name = "CORS_ORIGINS", text = "http://localhost:8080,http://127.0.0.1:8080"),
    (name = "API_KEY_HASHES", text = "${keyHash}"),
    (name = "WEBHOOK_FIELD_MAP", text = ""),
    (name = "FORWARD_URL", text = ""),
    (name = "MONITOR", wrapped = (moduleName = "edgeseg-bench:d1", innerBindings = [
      (name = "store", durableObjectNamespace = (className = "Store", serviceName = "monitor-db")),
    ])),${Object.entries(extra.vars ?? {})
      .map(([k, v]) => `\n    (name = ${JSON.stringify(k)}, text = ${JSON.stringify(v)}),`)
      .join('')}
  ],
);
const monitorDb :Workerd.Worker = (
  modules = [(name = "d1-store.js", esModule = embed "d1-store.js")],
  compatibilityDate = "2026-04-20",
  bindings = [(name = "SCHEMA", text = embed "monitor-schema.sql")],
  durableObjectNamespaces = [(className = "Store", uniqueKey = "edgeseg-bench-monitor", enableSql = true)],
  durableObjectStorage = (localDisk = "monitor-disk"),
);
const coldStart :Workerd.Worker = (
  modules = [(name = "cold-start.js", esModule = embed "cold-start.js")],
  compatibilityDate = "2026-04-20",
  bindings = [(name = "MODELS", kvNamespace = "kv")],
);
const kv :Workerd.Worker = (
  modules = [(name = "kv-service.js", esModule = embed "kv-service.js")],
  compatibilityDate = "2026-04-20",
  bindings = [(name = "ENTRIES", json = embed "entries.json")],
);
const ceiling :Workerd.Worker = (
  modules = [(name = "ceiling.js", esModule = embed "ceiling.js")${wasm.map((f) => `, (name = "${f}", wasm = embed "${f}")`).join('')}],
  compatibilityDate = "2026-04-20",
  bindings = [
    (name = "CORS_ORIGINS", text = "http://localhost:8080,http://127.0.0.1:8080"),
    (name = "CEILING_ANSWER", text = ${JSON.stringify(extra.ceilingAnswer ?? '')}),
  ],
);
const floor :Workerd.Worker = (
  modules = [(name = "floor-service.js", esModule = embed "floor-service.js")],
  compatibilityDate = "2026-04-20",
);
`,
  );
  const child: ChildProcess = spawn(WORKERD, ['serve', join(dir, 'config.capnp')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((res) => {
      if (child.exitCode !== null) return res();
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
  for (let tries = 0; ; tries++) {
    try {
      const r = await fetch(`${url}/health`);
      const body = (await r.json()) as { model: string | null };
      if (body.model !== version) throw new Error(`workerd serves model ${body.model}, expected ${version}`);
      break;
    } catch (e) {
      if (child.exitCode !== null || tries > 100) {
        await stop();
        throw new Error(`workerd did not start: ${stderr.trim().slice(-400) || (e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    coldUrl: `http://127.0.0.1:${coldPort}`,
    floorUrl: `http://127.0.0.1:${floorPort}`,
    ceilingUrl: `http://127.0.0.1:${ceilingPort}`,
    stop,
  };
}

export interface WrkResult {
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  errors: number;
}

/** One bounded wrk run; `script` sets the method, headers and body. */
export function wrk(url: string, seconds: number, connections: number, script?: string): WrkResult {
  const args = [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    '--timeout',
    '10s',
    ...(script ? ['-s', script] : []),
    url,
  ];
  const r = spawnSync('wrk', args, { encoding: 'utf8', timeout: (seconds + 30) * 1000 });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr || r.error?.message}`);
  const out = r.stdout;
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\b`, 'm').exec(out);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === 'us' ? 1e-3 : m[2] === 's' ? 1e3 : 1);
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  return { rps, p50ms: ms('50%'), p99ms: ms('99%'), requests, errors };
}

/** The answer text to one POST of `body` as JSON (with the bench key when `key`); throws unless 200. */
export async function postJson(url: string, body: string, key = false): Promise<string> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${BENCH_KEY}` } : {}) },
    body,
  });
  const text = await r.text();
  if (r.status !== 200) throw new Error(`POST ${url}: ${r.status} ${text.slice(0, 200)}`);
  return text;
}

/** A wrk Lua script that POSTs `body` as JSON (with the bench key when `key`). */
export function postScript(file: string, body: string, key = false): string {
  const lua = [
    'wrk.method = "POST"',
    'wrk.headers["content-type"] = "application/json"',
    ...(key ? [`wrk.headers["authorization"] = "Bearer ${BENCH_KEY}"`] : []),
    `wrk.body = ${JSON.stringify(body)}`,
  ].join('\n');
  writeFileSync(file, lua + '\n');
  return file;
}

/** The 1,000 generator customers (seed 99) every edge row posts, as a caller sends them (no id, no label). */
export function benchRecords(): Record<string, unknown>[] {
  return generateCustomers({ rows: 1000, seed: 99 }).rows.map((r) => {
    const o: Record<string, unknown> = {};
    HEADER.forEach((h, j) => {
      if (h === 'customer_id' || h === 'purchased') return;
      o[h] = /^-?[\d.]+$/.test(r[j]) ? Number(r[j]) : r[j];
    });
    return o;
  });
}

/** Why a timed round failed: any answer not 2xx, or any socket error, on any route. */
export function wrkFailures(routes: Record<string, { errors: number }[]>): string[] {
  return Object.entries(routes).flatMap(([route, ws]) =>
    ws.flatMap((w, r) => (w.errors ? [`round ${r + 1}: ${w.errors} ${route} requests failed or were not 2xx`] : [])),
  );
}

/** The rule's median, where the edge's callers have always found it. */
export { median } from './rule.ts';
