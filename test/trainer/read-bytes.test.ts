// readTable takes most cells straight from bytes after the first rows; what it
// builds must be what the text path builds from the same cells: the same
// doubles to the bit, the same codes, the same fixes counted, whatever the
// line ends, the BOM, the quoting, and wherever the 1 MiB read chunks fall.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../model/index.ts';
import { ByteCodes, parsePlainDecimal } from '../../trainer/read/cells.ts';
import { CategoryBuilder, type ColumnBuilder, FloatBuilder } from '../../trainer/read/columns.ts';
import { type ForcedKind, readTable, type Table } from '../../trainer/read/table.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-read-bytes-'));
const write = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

const KINDS: Record<string, ForcedKind> = { amount: 'numeric', region: 'categorical', key: 'key', day: 'date' };

/** The table the text path builds: every cell through the builders' `add`, as the first rows are. */
function textTable(text: string): Omit<Table, 'sha256' | 'source'> {
  const [head, ...body] = parseCsvText(text);
  const names = head.fields.map((h) => h.trim());
  const builders: ColumnBuilder[] = names.map((name) =>
    KINDS[name] === 'numeric' || KINDS[name] === 'date'
      ? new FloatBuilder(name, KINDS[name] as 'numeric' | 'date')
      : new CategoryBuilder(name, KINDS[name] as 'categorical' | 'key'),
  );
  body.forEach((r, row) => builders.forEach((b, c) => b.add(r.fields[c], row)));
  return {
    rows: body.length,
    columns: builders.map((b) => b.finish(body.length)),
    shortRows: body.filter((r) => r.fields.length < names.length).length,
    parts: [body.length],
  };
}

async function bytesTable(name: string, text: string) {
  const { sha256: _, source: __, ...table } = await readTable(write(name, text), {}, { kinds: KINDS });
  return table;
}

const MESSY = [
  '12',
  '-3.25',
  '+.5',
  '7.',
  '-0',
  '00012',
  '1e3',
  '-2.5E-7',
  '0.1000000000000000055511151231257827',
  '123456789012345678',
  '"4.5"',
  '"1,5"',
  '"$1,234.50"',
  '12%',
  '(45)',
  'forty-two',
  ' 17 ',
  '1.2.3',
  '.',
  '-',
  '',
  'NA',
  'n/a',
  '12x4',
];
const REGIONS = [
  'West',
  '"West"',
  'Süd',
  '"Quoted, comma"',
  '"with ""quote"""',
  '  West',
  'west',
  '',
  'NA',
  '?',
  '"x"y',
];
const KEYS = ['K001', ' K001', 'K001 ', '12', '12.0', '"12.00"', 'k001', '', 'missing'];
const DAYS = ['2024-01-31', '01/02/2024', '2024-02-30', '', 'soon'];

/** A header, clean first rows (the sample), then every messy spelling, cycling. */
function messyCsv(rows: number, eol = '\n'): string {
  const lines = ['amount,region,key,day'];
  for (let i = 0; i < 1000; i++) lines.push(`${i}.5,West,K${i % 7},2024-01-0${1 + (i % 9)}`);
  for (let i = 0; i < rows; i++) {
    const row = [MESSY[i % MESSY.length], REGIONS[i % REGIONS.length], KEYS[i % KEYS.length], DAYS[i % DAYS.length]];
    lines.push(i % 97 === 0 ? row.slice(0, 2).join(',') : row.join(','));
  }
  return lines.join(eol) + eol;
}

describe('readTable from bytes', () => {
  it('builds what the text path builds from messy cells after the first rows', async () => {
    const text = messyCsv(3000);
    const got = await bytesTable('messy.csv', text);
    expect(got).toEqual(textTable(text));
    expect(got.shortRows).toBeGreaterThan(0);
  });

  it('reads the same table with a BOM and CRLF line ends, or quoted cells, as with LF', async () => {
    const lf = await bytesTable('lf.csv', messyCsv(500));
    expect(await bytesTable('crlf.csv', `\ufeff${messyCsv(500, '\r\n')}`)).toEqual(lf);
    const quoted = messyCsv(500).replace(/,(\d{4}-\d\d-\d\d|\d\d\/\d\d\/\d{4}|soon)$/gm, ',"$1"');
    expect(quoted).toContain(',"soon"\n');
    expect(await bytesTable('quoted.csv', quoted)).toEqual(lf);
  });

  it('reads cells cut by the 1 MiB read chunks whole: a bad number, a plain one, a quoted newline', async () => {
    const head = messyCsv(0);
    const filler = 'x'.repeat(60);
    const lines: string[] = [];
    let size = Buffer.byteLength(head);
    // Rows of filler up to just before the first chunk boundary, then the cells to cut.
    while (size < (1 << 20) - 100) {
      const line = `1,${filler},K1,2024-01-01\n`;
      lines.push(line);
      size += line.length;
    }
    const pad = (1 << 20) - size - 2 - '1,,K1,2024-01-01\n'.length;
    lines.push(`1,${'y'.repeat(pad)},K1,2024-01-01\n`);
    // This row starts 2 bytes before the boundary: "12x4" is cut after "12".
    lines.push('12x4,West,K1,2024-01-01\n');
    lines.push('-3.25,"two\nlines",K1,2024-01-01\n');
    const text = head + lines.join('');
    expect(Buffer.byteLength(head + lines.slice(0, -2).join(''))).toBe((1 << 20) - 2);
    const got = await bytesTable('boundary.csv', text);
    expect(got).toEqual(textTable(text));
    const amount = got.columns[0] as { values: Float64Array; fixes: Record<string, { examples: string[] }> };
    expect(amount.fixes['not-a-number'].examples).toEqual(['12x4']);
    expect(Array.from(amount.values.slice(-2))).toEqual([NaN, -3.25]);
  });

  it('names the file, line and column of a row with too many fields after the first rows', async () => {
    const f = write('wide.csv', `${messyCsv(10)}1,"a,b",K1,2024-01-01,extra\n`);
    await expect(readTable(f, {}, { kinds: KINDS })).rejects.toThrow(
      `${f}:1012:21: expected 4 fields as in the header`,
    );
  });
});

describe('parsePlainDecimal', () => {
  it('gives the double Number gives for any plain decimal up to 15 digits, NaN for the rest', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.stringMatching(/^\d{0,12}$/),
        fc.constantFrom('', '.'),
        fc.stringMatching(/^\d{0,8}$/),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(decimal, (s) => {
        const got = parsePlainDecimal(bytes(s), 0, bytes(s).length);
        const digits = s.replace(/\D/g, '').length;
        if (digits === 0 || digits > 15) expect(got).toBeNaN();
        else expect(Object.is(got, Number(s))).toBe(true);
      }),
      { numRuns: 20000 },
    );
    for (const s of ['1e3', ' 1', '1 ', '1,5', '0x10', '1.2.3', '.', ''])
      expect(parsePlainDecimal(bytes(s), 0, s.length)).toBeNaN();
  });
});

describe('ByteCodes', () => {
  it('finds every stored text by its bytes, short or long, and nothing else', () => {
    const key = (b: Uint8Array) => Array.from(b).join(',');
    // Few byte values, so texts share prefixes, lengths and the 8-byte words often.
    const text = fc.array(fc.constantFrom(0, 32, 97, 98, 200), { maxLength: 20 }).map((a) => Uint8Array.from(a));
    fc.assert(
      fc.property(
        fc.uniqueArray(text, { selector: key, maxLength: 300 }),
        fc.array(text, { maxLength: 50 }),
        (stored, probes) => {
          const codes = new ByteCodes();
          const want = new Map<string, number>();
          stored.forEach((bytes, i) => {
            // Inside a larger buffer, as fields are.
            const buf = new Uint8Array(bytes.length + 3).fill(97);
            buf.set(bytes, 2);
            expect(codes.get(buf, 2, 2 + bytes.length)).toBe(-1);
            codes.set(buf, 2, 2 + bytes.length, i);
            want.set(key(bytes), i);
          });
          for (const bytes of [...stored, ...probes])
            expect(codes.get(bytes, 0, bytes.length)).toBe(want.get(key(bytes)) ?? -1);
        },
      ),
      { numRuns: 300 },
    );
  });
});
