// The CSV scan tuned for speed reads exactly what the previous, plainer scan
// read: the same fields, row lines and errors, whatever the text and however
// it is cut into chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser } from '../../model/index.ts';
import { ReferenceCsvParser } from '../support/csv-reference.ts';

type Outcome = { rows: { fields: string[]; line: number }[]; error: string | null };

function run(Parser: typeof CsvParser | typeof ReferenceCsvParser, chunks: string[]): Outcome {
  const rows: Outcome['rows'] = [];
  const p = new Parser((r) => rows.push({ fields: [...r.fields], line: r.line }), { source: 'x.csv' });
  try {
    for (const c of chunks) p.push(c);
    p.end();
    return { rows, error: null };
  } catch (e) {
    return { rows, error: (e as Error).message };
  }
}

/** Text from the characters that matter to the scanner, cut at the given points. */
const csvAndCuts = fc
  .array(fc.constantFrom('a', 'b', ',', ';', '"', '\n', '\r', ' ', '\ufeff', 'é'), { maxLength: 60 })
  .chain((chars) => {
    const text = chars.join('');
    return fc.tuple(fc.constant(text), fc.uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }));
  });

const cut = (text: string, points: number[]) => {
  const at = [0, ...[...points].sort((a, b) => a - b), text.length];
  return at.slice(1).map((end, i) => text.slice(at[i], end));
};

describe('CsvParser scan', () => {
  it('agrees with the reference parser on any text, in any chunking', () => {
    fc.assert(
      fc.property(csvAndCuts, ([text, points]) => {
        const chunks = cut(text, points);
        expect(run(CsvParser, chunks)).toEqual(run(ReferenceCsvParser, chunks));
      }),
      { numRuns: 3000 },
    );
  });

  it('reports the unclosed quote at the same line and column as the reference, across chunks', () => {
    const text = 'a,b\r\n1,2\r\n\r\n33,x"y,"open\nmore\r\n';
    for (const size of [1, 2, 3, 4, 7, 100]) {
      const chunks = cut(
        text,
        Array.from({ length: Math.ceil(text.length / size) }, (_, i) => i * size),
      );
      const got = run(CsvParser, chunks);
      expect(got).toEqual(run(ReferenceCsvParser, chunks));
      expect(got.error).toBe('x.csv:4:8: quoted field is never closed');
    }
  });
});
