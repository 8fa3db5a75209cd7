// Arrays in a memory of the boosted fit's kernels (trainer/estimators/boosting/kernels.ts),
// for tests that call a kernel's caller directly: every array it reads or writes must lie there.
import { kernelMemory, kernelModule, kernelsOn } from '../../trainer/estimators/boosting/kernels.ts';

type Typed = Uint8Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type Ctor<T extends Typed> = {
  new (buffer: ArrayBufferLike, at: number, length: number): T;
  BYTES_PER_ELEMENT: number;
};

/** A fresh memory of `bytes` bytes, its kernels, and `place`, which copies an array into it (8-byte aligned). */
export function kernelArena(bytes = 1 << 22) {
  const memory = kernelMemory(bytes);
  const kernels = kernelsOn(kernelModule(), memory);
  let at = 0;
  function place<T extends Typed>(a: T): T {
    at = (at + 7) & ~7;
    const view = new (a.constructor as Ctor<T>)(memory.buffer, at, a.length);
    view.set(a as never);
    at += a.byteLength;
    return view;
  }
  return { kernels, place };
}
