// Bundles the pool's worker script in a process of its own (workers.ts runs
// it on a cache miss): `node bundler.mjs <entry> <root> <options JSON>` prints
// {"source", "inputs"} (inputs absolute), or {"error"} and exits 1. Loading
// esbuild's JavaScript API in the trainer's own process would slow every
// typed-array loop in it by ~1.5× for the rest of the process (V8 then guards
// each access against detached buffers), so it is never loaded there.
// Plain JavaScript, so that it runs without a TypeScript loader.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [entry, root, options] = process.argv.slice(2);
try {
  const esbuild = createRequire(resolve(root, 'package.json'))('esbuild');
  const out = esbuild.buildSync({
    ...JSON.parse(options),
    entryPoints: [entry],
    absWorkingDir: root,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  const inputs = Object.keys(out.metafile.inputs).map((file) => resolve(root, file));
  process.stdout.write(JSON.stringify({ source: out.outputFiles[0].text, inputs }));
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exitCode = 1;
}
