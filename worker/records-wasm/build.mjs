// Assembles worker/records-wasm/*.wat (the batch reader, the answer writer
// and the forest walk) into .wasm files, which the worker imports as compiled
// modules, and the trainer's boosted-fit loops
// (trainer/estimators/boosting/kernels.wat), which the trainer compiles.
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
  // The trainer's kernels share no memory layout with the worker's glue: their numbers are their own.
  if (name === 'kernels') return {};
  if (name === 'forest') {
    const { lanes } = layout.forest;
    if (2 ** Math.log2(lanes) !== lanes || lanes < 2)
      throw new Error('layout.json: forest.lanes must be a power of two, 2 or more');
    return {
      lanes,
      'lanes.shift': Math.log2(lanes),
      'lanes.shift3': Math.log2(lanes) + 3,
      'lanes.mask': lanes - 1,
      'lanes.bytes': 8 * lanes,
      'lanes.pair': 16 * lanes,
      node: layout.forest.nodeBytes,
      unroll: layout.forest.unroll,
    };
  }
  if (name === 'reader') {
    const { input, members } = layout.reader;
    if (2 ** Math.log2(input.bytes) !== input.bytes)
      throw new Error('layout.json: reader.input.bytes must be a power of two');
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
  if (
    w.multipliersAt + w.multipliers * entry !== w.powersAt ||
    w.powersAt + w.powers * entry !== w.pairsAt ||
    w.pairsAt + 200 !== w.tablesEnd
  ) {
    throw new Error("layout.json: the writer's tables overlap or leave gaps");
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
  const put = (v) => {
    for (let b = 0; b < 16; b++) bytes.push(Number((v >> BigInt(8 * b)) & 0xffn));
  };
  const bits = (v) => v.toString(2).length;
  for (let q = 0n; q < BigInt(layout.writer.multipliers); q++)
    put((1n << BigInt(bits(5n ** q) - 1 + 125)) / 5n ** q + 1n);
  for (let i = 0n; i < BigInt(layout.writer.powers); i++) {
    const shift = bits(5n ** i) - 125;
    put(shift >= 0 ? (5n ** i) >> BigInt(shift) : (5n ** i) << BigInt(-shift));
  }
  const text = bytes.map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(data (i32.const ${layout.writer.multipliersAt}) "${text}")`;
}

/** "00".."99" at pairsAt (writer.wat's `;; @pairs` line): digits are written two at a time. */
function digitPairs() {
  return `(data (i32.const ${layout.writer.pairsAt}) "${Array.from({ length: 100 }, (_, d) => String(d).padStart(2, '0')).join('')}")`;
}

/**
 * writer.wat's helpers, written once here and placed in line by the build
 * wherever the text says `(@name args…)` (args are s-expressions): as calls,
 * Ryu took ~145 ns a number in Node 20, no faster than String(x); in line,
 * ~55 ns. Each expands to plain WebAssembly text, using the locals its
 * comment names.
 */
const writerMacros = {
  /** `dst` = the high 64 bits of the 128-bit product of (aHi:aLo) and `b`, from 32-bit halves (scratch: $bLo $bHi $mid1 $mid2). */
  umulh: (dst, b) => `
    (local.set $bLo (i64.and ${b} (i64.const 0xffffffff)))
    (local.set $bHi (i64.shr_u ${b} (i64.const 32)))
    (local.set $mid1 (i64.add (i64.mul (local.get $aHi) (local.get $bLo)) (i64.shr_u (i64.mul (local.get $aLo) (local.get $bLo)) (i64.const 32))))
    (local.set $mid2 (i64.add (i64.mul (local.get $aLo) (local.get $bHi)) (i64.and (local.get $mid1) (i64.const 0xffffffff))))
    (local.set ${dst} (i64.add (i64.add (i64.mul (local.get $aHi) (local.get $bHi)) (i64.shr_u (local.get $mid1) (i64.const 32))) (i64.shr_u (local.get $mid2) (i64.const 32))))`,
  /** The 64 bits of hi:mid shifted right by `dist` (0 < dist < 64). */
  shr128: (hi, mid, dist) => `(i64.or (i64.shl ${hi} (i64.sub (i64.const 64) ${dist})) (i64.shr_u ${mid} ${dist}))`,
  /** `k` = the number of decimal digits of `v` (1..17: v < 10^17), by comparisons from the longest, the usual case. */
  countDigits: (k, v) => {
    const steps = [];
    for (let d = 16; d >= 2; d--)
      steps.push(
        `(local.set ${k} (i32.const ${d})) (br_if $counted (i64.ge_u ${v} (i64.const ${10n ** BigInt(d - 1)})))`,
      );
    return `(local.set ${k} (i32.const 17)) (block $counted (br_if $counted (i64.ge_u ${v} (i64.const ${10n ** 16n}))) ${steps.join(' ')} (local.set ${k} (i32.const 1)))`;
  },
  /** Two digits, `n` (0..99), stored at `at` + `offset` from the "00".."99" table. */
  pair: (at, offset, n) =>
    `(i32.store16${offset === '0' ? '' : ` offset=${offset}`} ${at} (i32.load16_u offset=${layout.writer.pairsAt} (i32.shl ${n} (i32.const 1))))`,
};

/** An s-expression's top-level items: atoms and parenthesised groups. */
function items(text) {
  const out = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth === 0 && /\s/.test(c)) {
      if (start >= 0) {
        out.push(text.slice(start, i));
        start = -1;
      }
      continue;
    }
    if (start < 0) start = i;
    if (c === '(') depth++;
    else if (c === ')') depth--;
  }
  if (start >= 0) out.push(text.slice(start));
  return out;
}

/** Every `(@name args…)` replaced by its expansion; an unknown name stops the build. */
function expandMacros(text, macros) {
  let out = '';
  let i = 0;
  for (;;) {
    const at = text.indexOf('(@', i);
    if (at < 0) return out + text.slice(i);
    out += text.slice(i, at);
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    const [name, ...args] = items(text.slice(at + 2, end));
    if (!macros[name]) throw new Error(`no macro (@${name})`);
    out += expandMacros(macros[name](...args), macros);
    i = end + 1;
  }
}

/** `text` for lane k: `%k` read as k and `%8k` as 8k. */
const forLane = (text, k) => text.replaceAll('%8k', String(8 * k)).replaceAll('%k', String(k));

/**
 * forest.wat's lanes, written once: `(@lanes items…)` is the items once per
 * lane (forLane); `(@steps items…)` is @lanes `unroll` times over;
 * `(@anyOf item)` is the lanes' items or-ed together.
 */
const forestMacros = {
  lanes: (...items) => Array.from({ length: layout.forest.lanes }, (_, k) => forLane(items.join(' '), k)).join('\n'),
  steps: (...items) => Array.from({ length: layout.forest.unroll }, () => forestMacros.lanes(...items)).join('\n'),
  anyOf: (item) => {
    const or = (from, to) =>
      to - from === 1 ? forLane(item, from) : `(i32.or ${or(from, (from + to) >> 1)} ${or((from + to) >> 1, to)})`;
    return or(0, layout.forest.lanes);
  },
};

/**
 * kernels.wat's bin updates: `(@root $c $o)` adds the pair $v (two f64
 * lanes: gradient, hessian) to the bin of row $i's code in the column at
 * $c, whose bins start at $o; `(@node $c $o)` the same for row $r,
 * counting it too (scratch: $b).
 */
const binAt = (c, o, row) =>
  `(local.set $b (i32.add (local.get ${o}) (i32.mul (i32.load8_u (i32.add (local.get ${c}) (local.get ${row}))) (i32.const 24))))
   (v128.store (local.get $b) (f64x2.add (v128.load (local.get $b)) (local.get $v)))`;
/** x exactly, as a WebAssembly hexadecimal float literal (x a normal double). */
function hexFloat(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? '-' : '';
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1023;
  return `${sign}0x1.${(bits & 0xfffffffffffffn).toString(16).padStart(13, '0')}p${exponent}`;
}

/** The exp's constants (see "gradients" in kernels.wat). */
const EXP = {
  invLn2N: 128 / Math.LN2,
  // ln 2 / 128 in two parts (fdlibm's ln2_hi, ln2_lo): k times the first is exact for |k| < 2^21.
  ln2HiN: 0.6931471803691238 / 128,
  ln2LoN: 1.9082149292705877e-10 / 128,
  // 1.5 · 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to the nearest integer.
  round: 6755399441055744,
};
const f64 = (x) => `(f64.const ${hexFloat(x)})`;
const f64x2 = (x) => `(f64x2.splat ${f64(x)})`;

/** 1 + r(1/2 + r(1/6 + r(1/24 + r/120))), in that order, with `op` the shape's prefix and `c` its constants. */
const horner = (op, c, r) =>
  [1 / 24, 1 / 6, 0.5, 1].reduce((inner, coef) => `(${op}.add ${c(coef)} (${op}.mul ${r} ${inner}))`, c(1 / 120));

/**
 * kernels.wat's e^x of $x (x ≤ 0), to ~1.4 ulp: see "gradients" there
 * (scratch: $kd $k $r $scale; the 2^(i/128) table at $table). The scale
 * 2^(k/128) is T·2^m, m = k >> 7, made as (T·2^(m+512))·2^−512: the first
 * product is exact, so the one rounding is T·2^m's, down to subnormal results.
 */
function expOf() {
  return `(block (result f64)
    (local.set $kd (f64.sub (f64.add (f64.mul (local.get $x) ${f64(EXP.invLn2N)}) ${f64(EXP.round)}) ${f64(EXP.round)}))
    (local.set $k (i32.trunc_sat_f64_s (local.get $kd)))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $kd) ${f64(EXP.ln2HiN)})) (f64.mul (local.get $kd) ${f64(EXP.ln2LoN)})))
    (local.set $scale (f64.mul
      (f64.mul
        (f64.load (i32.add (local.get $table) (i32.shl (i32.and (local.get $k) (i32.const 127)) (i32.const 3))))
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.shr_s (local.get $k) (i32.const 7)) (i32.const 1535))) (i64.const 52))))
      ${f64(2 ** -512)}))
    (select (f64.const 0)
      (f64.add (local.get $scale) (f64.mul (local.get $scale) (f64.mul (local.get $r) ${horner('f64', f64, '(local.get $r)')})))
      (f64.lt (local.get $x) (f64.const -745))))`;
}

/** The same exp of two values side by side, the f64x2 lanes of $vx (scratch: $vkd $vk $vr $vscale): every lane's steps are the scalar one's. */
function expOf2() {
  const tableAt = (lane) =>
    `(f64.load (i32.add (local.get $table) (i32.shl (i32.and (i32x4.extract_lane ${lane} (local.get $vk)) (i32.const 127)) (i32.const 3))))`;
  return `(block (result v128)
    (local.set $vkd (f64x2.sub (f64x2.add (f64x2.mul (local.get $vx) ${f64x2(EXP.invLn2N)}) ${f64x2(EXP.round)}) ${f64x2(EXP.round)}))
    (local.set $vk (i32x4.trunc_sat_f64x2_s_zero (local.get $vkd)))
    (local.set $vr (f64x2.sub (f64x2.sub (local.get $vx) (f64x2.mul (local.get $vkd) ${f64x2(EXP.ln2HiN)})) (f64x2.mul (local.get $vkd) ${f64x2(EXP.ln2LoN)})))
    (local.set $vscale (f64x2.mul
      (f64x2.mul
        (f64x2.replace_lane 1 (f64x2.splat ${tableAt(0)}) ${tableAt(1)})
        (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (i32x4.shr_s (local.get $vk) (i32.const 7)) (i32x4.splat (i32.const 1535)))) (i32.const 52)))
      ${f64x2(2 ** -512)}))
    (v128.bitselect (f64x2.splat (f64.const 0))
      (f64x2.add (local.get $vscale) (f64x2.mul (local.get $vscale) (f64x2.mul (local.get $vr) ${horner('f64x2', f64x2, '(local.get $vr)')})))
      (f64x2.lt (local.get $vx) ${f64x2(-745)})))`;
}

const kernelMacros = {
  exp: expOf,
  exp2: expOf2,
  /** sortValues's counts: digit d (8 bits from bit 8d) of $key counted at $counts + 1024d (scratch: $c). */
  digitCounts: () =>
    Array.from(
      { length: 8 },
      (
        _,
        d,
      ) => `(local.set $c (i32.add (local.get $counts) (i32.shl (i32.wrap_i64 (i64.and (i64.shr_u (local.get $key) (i64.const ${8 * d})) (i64.const 255))) (i32.const 2))))
      (i32.store offset=${1024 * d} (local.get $c) (i32.add (i32.load offset=${1024 * d} (local.get $c)) (i32.const 1)))`,
    ).join('\n'),
  root: (c, o) => binAt(c, o, '$i'),
  node: (c, o) =>
    `${binAt(c, o, '$r')}
   (f64.store offset=16 (local.get $b) (f64.add (f64.load offset=16 (local.get $b)) (f64.const 1)))`,
};

const trainerDir = join(here, '../../trainer/estimators/boosting');
const wabt = await createWabt();
for (const [name, dir, fill] of [
  ['reader', here, (s) => s],
  [
    'writer',
    here,
    (s) => expandMacros(s, writerMacros).replace(';; @tables', ryuTables()).replace(';; @pairs', digitPairs()),
  ],
  ['forest', here, (s) => expandMacros(s, forestMacros)],
  ['kernels', trainerDir, (s) => expandMacros(s, kernelMacros)],
]) {
  const target = join(dir, `${name}.wasm`);
  const text = fill(readFileSync(join(dir, `${name}.wat`), 'utf8'));
  const module = wabt.parseWat(`${name}.wat`, substitute(text, constants(name)), { threads: true, simd: true });
  module.validate({ threads: true, simd: true });
  const bytes = Buffer.from(module.toBinary({}).buffer);
  if (!existsSync(target) || !readFileSync(target).equals(bytes)) writeFileSync(target, bytes);
}
