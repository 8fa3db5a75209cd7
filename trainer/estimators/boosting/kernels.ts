// The glue of kernels.wat, the boosted fit's row loops in WebAssembly: the
// module is compiled once per process on the calling thread and handed to
// the pool's workers with a fit's memory (./memory.ts), so a worker never
// reads the file. Every array a kernel touches lies in that memory; the
// kernels take byte addresses, which the callers (./histogram.ts,
// ./partition.ts, ./threads.ts) work out from their views' byteOffset.
import { readFileSync } from 'node:fs';

/** kernels.wat's exports: byte addresses and counts (see its comments). */
export interface Kernels {
  rootQuad(
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    o0: number,
    o1: number,
    o2: number,
    o3: number,
    n: number,
    gh: number,
  ): void;
  rootPair(c0: number, c1: number, o0: number, o1: number, n: number, gh: number): void;
  rootColumn(c0: number, o0: number, n: number, gh: number): void;
  nodeQuad(
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    o0: number,
    o1: number,
    o2: number,
    o3: number,
    rows: number,
    n: number,
    gh: number,
  ): void;
  nodePair(c0: number, c1: number, o0: number, o1: number, rows: number, n: number, gh: number): void;
  nodeColumn(c0: number, o0: number, rows: number, n: number, gh: number): void;
  gather(rows: number, n: number, gh: number, out: number): void;
  split(rows: number, n: number, codes: number, goesLeft: number, left: number, right: number, step: number): number;
  reverse(from: number, n: number, to: number): void;
  addLeaf(rows: number, n: number, F: number, value: number): void;
  gradients(F: number, y: number, gh: number, n: number, table: number): void;
  exp(x: number, table: number): number;
  startTree(rows: number, n: number, gh: number, out: number): void;
  present(from: number, n: number, to: number): number;
  sortValues(at: number, n: number, tmp: number, counts: number): void;
  binValues(
    values: number,
    n: number,
    table: number,
    size: number,
    codes: number,
    lo: number,
    hi: number,
    missing: number,
  ): void;
}

let compiled: WebAssembly.Module | undefined;

/** kernels.wasm, compiled once per process (build.mjs assembles it from kernels.wat at install). */
export function kernelModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const file = new URL('./kernels.wasm', import.meta.url);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch {
    throw new Error(
      `${file.pathname} is missing: run npm install, or node worker/records-wasm/build.mjs, to assemble it from kernels.wat`,
    );
  }
  compiled = new WebAssembly.Module(bytes);
  return compiled;
}

const PAGE = 65536;
/** 32-bit addresses: 4 GiB. */
const MAX_PAGES = 65536;

/**
 * A memory of at least `bytes` bytes for the kernels: always shared (the
 * module imports a shared memory, so one build serves one thread or many),
 * and never grown, so views of it stay valid for the fit.
 */
export function kernelMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  if (pages > MAX_PAGES)
    throw new RangeError(
      `a boosted fit this large needs ${(bytes / 2 ** 30).toFixed(1)} GiB of working memory, more than the 4 GiB WebAssembly addresses: fit on fewer rows (a sample) or fewer inputs`,
    );
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The kernels working on `memory`. */
export function kernelsOn(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  return new WebAssembly.Instance(module, { fit: { memory } }).exports as unknown as Kernels;
}
