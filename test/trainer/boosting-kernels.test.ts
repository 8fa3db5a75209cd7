// The boosted fit's WebAssembly memory (trainer/estimators/boosting/kernels.ts):
// addresses are 32-bit, so a fit that needs more than 4 GiB is refused up front
// with a message that says what to do, not a failure deep inside V8.
import { expect, it } from 'vitest';
import { kernelMemory } from '../../trainer/estimators/boosting/kernels.ts';

it('refuses a fit memory beyond 4 GiB, saying how much it needed', () => {
  expect(() => kernelMemory(5 * 2 ** 30)).toThrow(
    /5\.0 GiB .* more than the 4 GiB WebAssembly addresses: fit on fewer rows/,
  );
});

it('makes a shared memory of whole pages, at least the bytes asked for', () => {
  const memory = kernelMemory(100_001);
  expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(memory.buffer.byteLength).toBe(2 * 65536);
});
