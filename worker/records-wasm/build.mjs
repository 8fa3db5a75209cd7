// Assembles worker/records-wasm/*.wat (the batch reader and the answer
// writer) into .wasm files, which the worker imports as compiled modules.
// Run by postinstall, start, dev, test and build, like the htmx copy; plain
// Node so it works before anything else.
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

/**
 * Ryu's multiplier tables (writer.wat's `;; @tables` line) as a data segment
 * at 0: for q in 0..341 ⌊2^(bits(5^q) - 1 + 125) / 5^q⌋ + 1, then for i in
 * 0..325 the top 125 bits of 5^i; each 128 bits, low u64 first. Computed
 * here rather than at isolate start (BigInt division for 668 entries).
 */
function ryuTables() {
  const bytes = [];
  const put = (v) => { for (let b = 0; b < 16; b++) bytes.push(Number((v >> BigInt(8 * b)) & 0xffn)); };
  const bits = (v) => v.toString(2).length;
  for (let q = 0n; q < 342n; q++) put((1n << BigInt(bits(5n ** q) - 1 + 125)) / 5n ** q + 1n);
  for (let i = 0n; i < 326n; i++) {
    const shift = bits(5n ** i) - 125;
    put(shift >= 0 ? 5n ** i >> BigInt(shift) : 5n ** i << BigInt(-shift));
  }
  const text = bytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(data (i32.const 0) "${text}")`;
}

/** "00".."99" at 10688 (writer.wat's `;; @pairs` line): digits are written two at a time. */
function digitPairs() {
  return `(data (i32.const 10688) "${Array.from({ length: 100 }, (_, d) => String(d).padStart(2, '0')).join('')}")`;
}

const wabt = await createWabt();
for (const [name, fill] of [['reader', (s) => s], ['writer', (s) => s.replace(';; @tables', ryuTables()).replace(';; @pairs', digitPairs())]]) {
  const target = join(here, `${name}.wasm`);
  const module = wabt.parseWat(`${name}.wat`, fill(readFileSync(join(here, `${name}.wat`), 'utf8')));
  module.validate();
  const bytes = Buffer.from(module.toBinary({}).buffer);
  if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
}
