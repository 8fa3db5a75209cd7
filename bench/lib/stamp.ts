// What a bench run measured, and what made its cached inputs. Data files and
// trained models under bench/out are reused between runs only when the code
// and parameters that made them are the same: their names carry a hash of
// those sources and arguments, so an edit to the generator or the trainer
// makes new ones (the stale ones are removed). The table's header names the
// commit measured, and whether the checkout had uncommitted changes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE = /\.(ts|mjs|js|json|wat|csv)$/;

function addSources(hash: ReturnType<typeof createHash>, path: string): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const child = join(path, name);
      if (statSync(child).isDirectory() || SOURCE.test(name)) addSources(hash, child);
    }
    return;
  }
  hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
}

/** 12 hex digits of SHA-256 over the files under `paths` (sources only) and `args`. */
export function inputKey(paths: readonly string[], args: unknown): string {
  const hash = createHash('sha256');
  for (const p of paths) addSources(hash, p);
  hash.update(JSON.stringify(args));
  return hash.digest('hex').slice(0, 12);
}

/**
 * `dir/<name>-<key><ext>`, after removing any `dir/<name>-<other key><ext>`
 * (files or directories made by other code or parameters).
 */
export function keyedPath(dir: string, name: string, key: string, ext = ''): string {
  const stale = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{12}${ext.replace(/\./g, '\\.')}$`);
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    // No directory yet: nothing stale.
  }
  for (const e of entries)
    if (stale.test(e) && e !== `${name}-${key}${ext}`) rmSync(join(dir, e), { recursive: true, force: true });
  return join(dir, `${name}-${key}${ext}`);
}

/** The commit measured, with `-dirty` when the work tree differs from it. */
export function commitStamp(): string {
  const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' });
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  if (head.status !== 0) return 'no git commit';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}
