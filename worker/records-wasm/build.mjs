// Assembles worker/records-wasm/reader.wat into reader.wasm (which the worker
// imports as a compiled module). Run by postinstall, start, dev, test and
// build, like the htmx copy; plain Node so it works before anything else.
//   node worker/records-wasm/build.mjs [--if-present]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
let createWabt;
try {
  createWabt = require('wabt');
} catch {
  // `npm ci --omit=dev` has no wabt (a devDependency) and no wrangler to bundle the worker with either.
  if (process.argv.includes('--if-present')) process.exit(0);
  console.error('wabt is missing: run npm install');
  process.exit(1);
}
const source = join(here, 'reader.wat');
const target = join(here, 'reader.wasm');
const wabt = await createWabt();
const module = wabt.parseWat('reader.wat', readFileSync(source, 'utf8'));
module.validate();
const { buffer } = module.toBinary({});
const bytes = Buffer.from(buffer);
if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
