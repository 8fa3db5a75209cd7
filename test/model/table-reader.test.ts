// TableReader: what `npm run score` and the batch upload accept as a table,
// and the reasons they give for what they refuse, whatever the chunking.
import { describe, expect, it } from 'vitest';
import { type CsvRow, TableReader, TableRefusal, invalidUtf8At, parseCsvText } from '../../model/index.ts';

const INPUTS = ['age', 'region', 'channel'];

function read(bytes: Uint8Array, chunk = bytes.length): CsvRow[] {
  const rows: CsvRow[] = [];
  const reader = new TableReader(INPUTS, (r) => rows.push(r), 'f.csv');
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return rows;
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const refusal = (f: () => unknown): TableRefusal => {
  try {
    f();
  } catch (e) {
    if (e instanceof TableRefusal) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('TableReader', () => {
  const text = `\ufeffid,age,region,note\n1,34,West,"café, ""ok"""\n2,40,East,ünïcode\n${'3,50,South,x\n'.repeat(3000)}`;

  it('passes every row on, as the plain parser reads them, in any chunking', () => {
    const expected = parseCsvText(text);
    for (const chunk of [1, 7, 4096, 1 << 20]) expect(read(utf8(text), chunk)).toEqual(expected);
  });

  it('reads UTF-16 with a byte-order mark', () => {
    const body = 'age,region\n34,West\n';
    const bytes = new Uint8Array(2 + body.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < body.length; i++) bytes[2 + 2 * i] = body.charCodeAt(i);
    expect(read(bytes, 3).map((r) => r.fields)).toEqual([
      ['age', 'region'],
      ['34', 'West'],
    ]);
  });

  it('refuses bytes that are not UTF-8, naming the byte and line', () => {
    const e = refusal(() => read(new Uint8Array([...utf8('age,region\n34,West\n'), 0xff, 0x41])));
    expect(e).toMatchObject({ reason: 'not-text', line: 3 });
    expect(e.message).toBe('f.csv:3: this is not text: byte 20 (0xff) is not UTF-8. Save the table as CSV (UTF-8)');
  });

  it('refuses control characters, an empty file, unrelated columns and mostly ragged rows', () => {
    expect(refusal(() => read(utf8('age,region\n34,\u0000West\n'))).reason).toBe('not-text');
    expect(refusal(() => read(utf8(''))).reason).toBe('no-header');
    expect(refusal(() => read(utf8('a,b\n1,2\n'))).reason).toBe('no-known-columns');
    expect(refusal(() => read(utf8('age,region\n1\n2\n3,West\n'))).reason).toBe('ragged');
  });

  it('accepts a table whose ragged rows are the exception', () => {
    expect(read(utf8('age,region\n1,West\n2,East\n3\n'))).toHaveLength(4);
  });

  it('finds invalid UTF-8 but waits for a sequence cut by the chunk end', () => {
    expect(invalidUtf8At(utf8('ok é'), true)).toBe(-1);
    expect(invalidUtf8At(utf8('ok é').subarray(0, 4), false)).toBe(-1);
    expect(invalidUtf8At(utf8('ok é').subarray(0, 4), true)).toBe(3);
    expect(invalidUtf8At(new Uint8Array([0x41, 0xc0, 0x80]), true)).toBe(1);
  });
});
