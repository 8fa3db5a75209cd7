// The worker script's bundle is kept on disk between processes and used only
// while every file that went into it is unchanged (trainer/parallel/bundle-cache.ts).
import { mkdtempSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bundleCachePath, readBundle, writeBundle } from '../../trainer/parallel/bundle-cache.ts';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'edgeseg-bundle-'));
  mkdirSync(join(root, 'node_modules'));
  const input = join(root, 'thread.ts');
  writeFileSync(input, 'export const a = 1;\n');
  // An input older than the bundle that is made of it.
  utimesSync(input, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  return { root, input, cache: bundleCachePath(join(root, 'trainer/parallel/thread.ts'), join(root, 'node_modules')) };
}

it('gives back a bundle while its inputs and its key are unchanged', () => {
  const { input, cache } = project();
  expect(cache).toMatch(/node_modules\/\.cache\/edgeseg\/thread-ts-[0-9a-f]{16}\.json$/);
  writeBundle(cache, 'esbuild 1', [input], 'module.exports = 1;', Date.now());
  expect(readBundle(cache, 'esbuild 1')).toBe('module.exports = 1;');
  expect(readBundle(cache, 'esbuild 2')).toBeNull();
});

it('bundles again once an input has changed, or cannot be read', () => {
  const { input, cache } = project();
  writeBundle(cache, 'k', [input], 'old', Date.now());
  writeFileSync(input, 'export const a = 22;\n');
  expect(readBundle(cache, 'k')).toBeNull();
  const other = project();
  writeBundle(other.cache, 'k', [other.input], 'old', Date.now());
  writeFileSync(other.cache!, readFileSync(other.cache!, 'utf8').replace(other.input, `${other.input}.gone`));
  expect(readBundle(other.cache, 'k')).toBeNull();
});

it('keeps one bundle per checkout, even when checkouts share node_modules', () => {
  const modules = join(mkdtempSync(join(tmpdir(), 'edgeseg-shared-')), 'node_modules');
  mkdirSync(modules);
  const a = bundleCachePath('/work/a/trainer/parallel/thread.ts', modules);
  const b = bundleCachePath('/work/b/trainer/parallel/thread.ts', modules);
  expect(a).not.toBe(b);
});

it('keeps nothing when an input changed while it was being bundled, or there is no node_modules', () => {
  const { input, cache } = project();
  writeBundle(cache, 'k', [input], 'maybe stale', Date.now() - 120_000);
  expect(readBundle(cache, 'k')).toBeNull();
  expect(bundleCachePath('thread.ts', join(tmpdir(), 'no-such-project', 'node_modules'))).toBeNull();
});
