// The streaming multipart reader behind the batch upload: it must find the
// file part wherever the network splits the bytes, and hold back no more than
// a boundary's worth of them.
import { describe, expect, it } from 'vitest';
import {
  boundaryOf,
  dispositionParams,
  findFilePart,
  MultipartError,
} from '../../worker/routes/dashboard-multipart.ts';

const B = 'XyZ-boundary-42';
const body = [
  `preamble to ignore\r\n--${B}\r\n`,
  'Content-Disposition: form-data; name="note"\r\n\r\n',
  `a text field that mentions --${B.slice(0, 6)} in passing\r\n`,
  `--${B}\r\n`,
  'Content-Disposition: form-data; name="file"; filename="my \\"list\\".csv"\r\n',
  'Content-Type: text/csv\r\n\r\n',
  'a,b\r\n1,2\r\n\r\n--not-the-boundary\r\n',
  `\r\n--${B}\r\n`,
  'Content-Disposition: form-data; name="after"\r\n\r\nignored\r\n',
  `--${B}--\r\n`,
].join('');
const FILE = 'a,b\r\n1,2\r\n\r\n--not-the-boundary\r\n';

/** The body delivered in pieces of `size` bytes. */
function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

describe('boundaryOf', () => {
  it.each([
    [`multipart/form-data; boundary=${B}`, B],
    [`multipart/form-data; charset=utf-8; boundary="${B}"`, B],
    ['multipart/form-data', null],
    ['text/csv; boundary=x', null],
    [null, null],
  ])('%s → %s', (type, want) => {
    expect(boundaryOf(type)).toBe(want);
  });
});

describe('dispositionParams', () => {
  it('reads quoted and bare parameters, with escaped quotes', () => {
    expect(dispositionParams('form-data; name="file"; filename="a \\"b\\".csv"')).toEqual({
      name: 'file',
      filename: 'a "b".csv',
    });
    expect(dispositionParams('form-data; name=file')).toEqual({ name: 'file' });
  });
});

describe('findFilePart', () => {
  it.each([1, 2, 3, 5, 7, 16, 17, 64, 4096])('finds the file and its exact bytes in %i-byte chunks', async (size) => {
    const part = await findFilePart(chunked(body, size), B, 'file');
    expect(part).not.toBeNull();
    expect(part!.filename).toBe('my "list".csv');
    expect(part!.contentType).toBe('text/csv');
    expect(await new Response(part!.body).text()).toBe(FILE);
  });

  it('answers null when the form has no such part', async () => {
    expect(await findFilePart(chunked(body, 9), B, 'missing')).toBeNull();
  });

  it('fails the file stream when the body ends before the closing boundary', async () => {
    const cut = body.slice(0, body.indexOf('1,2') + 3);
    const part = await findFilePart(chunked(cut, 8), B, 'file');
    await expect(new Response(part!.body).text()).rejects.toThrow(MultipartError);
  });

  it('refuses endless header lines instead of buffering them', async () => {
    const evil = `--${B}\r\nContent-Disposition: ${'x'.repeat(20_000)}`;
    await expect(findFilePart(chunked(evil, 1024), B, 'file')).rejects.toThrow('too long');
  });
});
