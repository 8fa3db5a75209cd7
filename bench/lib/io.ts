// Raw little-endian float64 / uint8 files: how the benchmark hands the same
// matrices to Node and to numpy (np.fromfile), with nothing to parse.
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';

/** Reads a .f64 file straight into a SharedArrayBuffer (worker threads read it in place; no second copy). */
export function readF64Shared(file: string): Float64Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const out = new Float64Array(new SharedArrayBuffer(size));
    const bytes = new Uint8Array(out.buffer);
    for (let at = 0; at < size; ) at += readSync(fd, bytes, at, Math.min(1 << 26, size - at), at);
    return out;
  } finally {
    closeSync(fd);
  }
}

export function readU8(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const out = new Uint8Array(size);
    for (let at = 0; at < size; ) at += readSync(fd, out, at, size - at, at);
    return out;
  } finally {
    closeSync(fd);
  }
}

export function writeArray(file: string, a: Float64Array | Uint8Array): void {
  writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Peak resident set size of this process so far, in MB (worker threads included). */
export function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
