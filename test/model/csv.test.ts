// The CSV parser meets what real exports do, in any chunking.
import { describe, expect, it } from 'vitest';
import { CsvError, CsvParser, parseCsvText, sniffDelimiter } from '../../model/index.ts';

const fields = (text: string) => parseCsvText(text).map((r) => r.fields);

function parseInChunks(text: string, size: number) {
  const rows: string[][] = [];
  const p = new CsvParser((r) => rows.push(r.fields));
  for (let i = 0; i < text.length; i += size) p.push(text.slice(i, i + size));
  p.end();
  return rows;
}

describe('CsvParser', () => {
  it('reads plain rows with LF, CRLF, or no final newline', () => {
    expect(fields('a,b\n1,2\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('drops a byte-order mark and skips blank lines', () => {
    expect(fields('\ufeffname,age\n\nAda,36\n\n')).toEqual([
      ['name', 'age'],
      ['Ada', '36'],
    ]);
  });

  it('keeps separators, doubled quotes and newlines inside quoted fields', () => {
    expect(fields('a,b\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,b,c\n1,,\n,,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', ''],
      ['', '', '3'],
    ]);
  });

  it('detects semicolon-separated files from the header', () => {
    expect(sniffDelimiter('a;b;c')).toBe(';');
    expect(sniffDelimiter('"a,1";"b,2"')).toBe(';');
    expect(fields('a;b\n1,5;2\n')).toEqual([
      ['a', 'b'],
      ['1,5', '2'],
    ]);
  });

  it('treats a quote inside an unquoted field as a literal character', () => {
    expect(fields('h\n5\'10"\n')).toEqual([['h'], ['5\'10"']]);
  });

  it('gives the same rows whatever the chunk size', () => {
    const text = '\ufeffid;note\r\n1;"multi\r\nline; ""quoted"""\r\n2;plain\r\n3;"end"';
    const whole = fields(text);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(parseInChunks(text, size)).toEqual(whole);
  });

  it('reports the line where each row starts', () => {
    const rows = parseCsvText('a\n"x\ny"\nz\n');
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('fails on a quote that never closes, naming the source, line and column', () => {
    expect(() => parseCsvText('a,b\n1,2\n3,"open\n', 'orders.csv')).toThrowError(
      new CsvError('quoted field is never closed', 3, 3, 'orders.csv'),
    );
    expect(() => parseCsvText('a,b\n3,"open\n', 'orders.csv')).toThrowError(
      'orders.csv:2:3: quoted field is never closed',
    );
  });
});

describe('scored CSV output', () => {
  it('neutralises cells a spreadsheet would run as formulas, but not negative numbers', async () => {
    const { spreadsheetSafe } = await import('../../model/index.ts');
    expect(spreadsheetSafe('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(spreadsheetSafe('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetSafe('+cmd')).toBe("'+cmd");
    expect(spreadsheetSafe('-5')).toBe('-5');
    expect(spreadsheetSafe('+3.2e2')).toBe('+3.2e2');
    expect(spreadsheetSafe('North')).toBe('North');
  });
});
