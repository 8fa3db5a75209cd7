// Byte chunks (from a stream, a held-back sample) joined into one array.

/** The chunks in order as one array; `total` is their summed length. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const all = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}
