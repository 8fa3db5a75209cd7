// The worker script's bundle kept on disk between processes, so that a fresh
// `train` (or bench job, or test file) does not bundle it again: ~80 ms of
// esbuild on the calling thread, before the first parallel job can start,
// against ~1 ms to check the cache. An entry is used only while every file
// that went into it has the size and modification time it had then (as tsx
// and esbuild's own watch mode decide staleness), with the same esbuild
// version; anything else, or a cache that cannot be read or written, just
// means bundling again. EDGESEG_BUNDLE_CACHE=off turns it off (as
// TSX_DISABLE_CACHE does tsx's).
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';

export interface BundleEntry {
  /** Who made it: the bundler's version and options. */
  key: string;
  /** Every input file, absolute, with its size and mtime when bundled. */
  inputs: Record<string, [number, number]>;
  source: string;
}

/**
 * The cache file for bundles of `entry` (an absolute path), under
 * node_modules/.cache (null when there is none). Named for the entry's
 * absolute path: two checkouts that share one node_modules (a linked
 * worktree) each keep their own bundle, never the other's.
 */
export function bundleCachePath(entry: string, nodeModules: string): string | null {
  if (process.env.EDGESEG_BUNDLE_CACHE === 'off' || !existsSync(nodeModules)) return null;
  const name = basename(entry).replace(/[^A-Za-z0-9]+/g, '-');
  const where = createHash('sha256').update(entry).digest('hex').slice(0, 16);
  return join(nodeModules, '.cache', 'edgeseg', `${name}-${where}.json`);
}

const stamp = (file: string): [number, number] | null => {
  try {
    const s = statSync(file);
    return [s.size, s.mtimeMs];
  } catch {
    return null;
  }
};

/** The cached source, when the entry at `path` was made with `key` and none of its inputs changed since. */
export function readBundle(path: string | null, key: string): string | null {
  if (!path) return null;
  let entry: BundleEntry;
  try {
    entry = JSON.parse(readFileSync(path, 'utf8')) as BundleEntry;
  } catch {
    return null;
  }
  if (entry.key !== key || typeof entry.source !== 'string') return null;
  for (const [file, [size, mtime]] of Object.entries(entry.inputs ?? {})) {
    const now = stamp(file);
    if (!now || now[0] !== size || now[1] !== mtime) return null;
  }
  return entry.source;
}

/**
 * Stores a bundle of `inputs` (absolute paths) begun at `started` (epoch ms);
 * not when an input changed since then (it may not be what was bundled).
 * Written to a temporary file and renamed, so readers never see half of one.
 */
export function writeBundle(
  path: string | null,
  key: string,
  inputs: readonly string[],
  source: string,
  started: number,
): void {
  if (!path) return;
  const stamps: Record<string, [number, number]> = {};
  for (const file of inputs) {
    const s = stamp(file);
    if (!s || s[1] >= started) return;
    stamps[file] = s;
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, inputs: stamps, source } satisfies BundleEntry));
    renameSync(tmp, path);
  } catch {
    // A read-only or full disk: the next process bundles again.
  }
}
