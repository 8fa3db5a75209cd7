// Assembles worker/records-wasm/*.wat (the batch reader and the answer
// writer) into .wasm files, which the worker imports as compiled modules.
// Memory offsets and fragment indices come from layout.json, which the glue
// (reader.ts, writer.ts) reads too; the .wat text names them as `{{name}}`.
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

const layout = JSON.parse(readFileSync(join(here, 'layout.json'), 'utf8'));

/**
 * The numbers each module's text names as `{{name}}`, from layout.json (the
 * one definition the TypeScript glue reads too), checked to fit together.
 */
function constants(name) {
  if (name === 'reader') {
    const { input, members } = layout.reader;
    if (2 ** Math.log2(input.bytes) !== input.bytes) throw new Error('layout.json: reader.input.bytes must be a power of two');
    const [records, columns, data] = members.map((m) => Buffer.byteLength(m));
    return {
      'input.shift': Math.log2(input.bytes),
      ...Object.fromEntries(Object.entries(input).map(([k, v]) => [`input.${k}`, v])),
      recordsLength: records,
      columnsAt: records,
      columnsLength: columns,
      dataAt: records + columns,
      dataLength: data,
      pow10Max: layout.reader.pow10 - 1,
    };
  }
  const w = layout.writer;
  const entry = 16; // 128 bits
  if (w.multipliersAt + w.multipliers * entry !== w.powersAt || w.powersAt + w.powers * entry !== w.pairsAt || w.pairsAt + 200 !== w.tablesEnd) {
    throw new Error('layout.json: the writer\'s tables overlap or leave gaps');
  }
  const f = w.fragments;
  return {
    multipliersAt: w.multipliersAt,
    powersAt: w.powersAt,
    pairsAt: w.pairsAt,
    tablesEnd: w.tablesEnd,
    'fragments.opening': f.opening,
    'fragments.end': f.end,
    // fragment of the score after the first, for head h >= 1: segments + K + h - 1
    moreKeysBase: f.segments - 1,
  };
}

/** `{{name}}` replaced by its number; a name the layout does not define stops the build. */
function substitute(text, values) {
  return text.replace(/\{\{([\w.]+)\}\}/g, (_, key) => {
    if (!(key in values)) throw new Error(`no layout value {{${key}}}`);
    return String(values[key]);
  });
}

/**
 * Ryu's multiplier tables (writer.wat's `;; @tables` line) as a data segment
 * at multipliersAt: for q in 0..341 ⌊2^(bits(5^q) - 1 + 125) / 5^q⌋ + 1, then for i in
 * 0..325 the top 125 bits of 5^i; each 128 bits, low u64 first. Computed
 * here rather than at isolate start (BigInt division for 668 entries).
 */
function ryuTables() {
  const bytes = [];
  const put = (v) => { for (let b = 0; b < 16; b++) bytes.push(Number((v >> BigInt(8 * b)) & 0xffn)); };
  const bits = (v) => v.toString(2).length;
  for (let q = 0n; q < BigInt(layout.writer.multipliers); q++) put((1n << BigInt(bits(5n ** q) - 1 + 125)) / 5n ** q + 1n);
  for (let i = 0n; i < BigInt(layout.writer.powers); i++) {
    const shift = bits(5n ** i) - 125;
    put(shift >= 0 ? 5n ** i >> BigInt(shift) : 5n ** i << BigInt(-shift));
  }
  const text = bytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(data (i32.const ${layout.writer.multipliersAt}) "${text}")`;
}

/** "00".."99" at pairsAt (writer.wat's `;; @pairs` line): digits are written two at a time. */
function digitPairs() {
  return `(data (i32.const ${layout.writer.pairsAt}) "${Array.from({ length: 100 }, (_, d) => String(d).padStart(2, '0')).join('')}")`;
}

const wabt = await createWabt();
for (const [name, fill] of [['reader', (s) => s], ['writer', (s) => s.replace(';; @tables', ryuTables()).replace(';; @pairs', digitPairs())]]) {
  const target = join(here, `${name}.wasm`);
  const module = wabt.parseWat(`${name}.wat`, substitute(fill(readFileSync(join(here, `${name}.wat`), 'utf8')), constants(name)));
  module.validate();
  const bytes = Buffer.from(module.toBinary({}).buffer);
  if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
}
