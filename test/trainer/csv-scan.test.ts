// The trainer's byte scanner reads exactly what the shared text parser reads:
// the same fields, row lines and errors, for any text cut into byte chunks at
// any point (inside a CRLF, a BOM or a multi-byte character included).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../model/index.ts';
import { CsvScanner } from '../../trainer/read/scan.ts';

type Outcome = { rows: { fields: string[]; line: number }[]; error: string | null };

function parsed(text: string): Outcome {
  const rows: Outcome['rows'] = [];
  const p = new CsvParser((r) => rows.push({ fields: [...r.fields], line: r.line }), { source: 'x.csv' });
  try {
    p.push(text);
    p.end();
    return { rows, error: null };
  } catch (e) {
    return { rows, error: (e as Error).message };
  }
}

function scanned(chunks: Uint8Array[]): Outcome {
  const rows: Outcome['rows'] = [];
  const scan: CsvScanner = new CsvScanner((count, line) => {
    rows.push({ fields: Array.from({ length: count }, (_, k) => scan.fieldText(k)), line });
  }, 'x.csv');
  try {
    for (const c of chunks) scan.push(c);
    scan.end();
    return { rows, error: null };
  } catch (e) {
    return { rows, error: (e as Error).message };
  }
}

const cutBytes = (bytes: Uint8Array, points: number[]) => {
  const at = [0, ...[...points].filter((p) => p <= bytes.length).sort((a, b) => a - b), bytes.length];
  return at.slice(1).map((end, i) => bytes.slice(at[i], end));
};

const csvAndCuts = fc
  .array(fc.constantFrom('a', 'b', '1', '.', ',', ';', '"', '\n', '\r', ' ', '\ufeff', 'é', '€'), { maxLength: 60 })
  .chain((chars) => {
    const bytes = new TextEncoder().encode(chars.join(''));
    return fc.tuple(
      fc.constant(chars.join('')),
      fc.uniqueArray(fc.integer({ min: 0, max: bytes.length }), { maxLength: 8 }),
    );
  });

describe('CsvScanner', () => {
  it('agrees with CsvParser on any text, cut into bytes anywhere', () => {
    fc.assert(
      fc.property(csvAndCuts, ([text, points]) => {
        const chunks = cutBytes(new TextEncoder().encode(text), points);
        expect(scanned(chunks)).toEqual(parsed(text));
      }),
      { numRuns: 4000 },
    );
  });

  it.each([
    ['a BOM and CRLF', '\ufeffa,b\r\n1,2\r\n3,4\r\n'],
    ['quoted fields with separators, doubled quotes and newlines', 'a;b\n"x;y";"say ""hi"""\n"two\nlines";z\n'],
    ['blank lines and a last row without a line end', 'a,b\n\n1,2\r\n\r\n"",\n3,4'],
    ['empty fields', 'a,b,c\n,,\n1,,\n'],
    ['an unclosed quote after multi-byte text', 'a,b\r\n1,2\r\n\r\n€é,x"y,"open\nmore\r\n'],
  ])('reads %s like CsvParser in chunks of every size', (_, text) => {
    const bytes = new TextEncoder().encode(text);
    const want = parsed(text);
    for (let size = 1; size <= bytes.length; size++) {
      const points = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size);
      expect(scanned(cutBytes(bytes, points))).toEqual(want);
    }
  });

  it('reads a quote left open over many chunks in linear time', () => {
    // 10 MB after the quote in 4 KB chunks: copying the open row again per chunk moves ~12 GB (seconds).
    const text = new TextEncoder();
    const filler = new Uint8Array(4096).fill(120);
    const chunks = [text.encode('a,b\n1,2\n3,"open'), ...Array.from({ length: 2_500 }, () => filler)];
    expect(scanned(chunks).error).toBe('x.csv:3:3: quoted field is never closed');
  }, 3_000);

  it('names the line and column (in characters) of a quote never closed', () => {
    const got = scanned([new TextEncoder().encode('a,b\n€é,"open\nmore\n')]);
    expect(got.error).toBe('x.csv:2:4: quoted field is never closed');
  });
});
