// Batch scoring from the dashboard: an uploaded CSV comes back scored with
// exactly the columns and rows `npm run score` writes (the shared CsvScorer),
// streamed; "Check the file" lists the rows that cannot be scored by line.
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvScorer, type RowError, parseCsvText, compileModel } from '../../model/index.ts';
import { call, sampleModel, seedModel } from '../support/worker.ts';
import { decoded, select, selectOne } from '../support/dashboard-html.ts';
import { OPERATOR_KEY } from '../support/keys.ts';

const signedIn = { authorization: `Basic ${btoa(`marketing:${OPERATOR_KEY}`)}` };

const HEADER =
  'customer_id,age,annual_income,spending_score,visits_per_month,avg_basket,tenure_months,region,channel,loyalty_tier,notes';
const CSV =
  [
    HEADER,
    'C1,29,62.5,81,9.1,48.2,14,West,app,Silver,',
    'C2,thirty,62.5,81,9.1,48.2,14,West,app,Silver,typo in age',
    'C3,47,147.8,25,3.6,115.67,56,North,web,Gold,"likes ""quotes"", and commas"',
    'C4,,,,,,,,,,all missing',
    'C5,51,80,40,5,60,20,Atlantis,web,Gold,unknown region',
    'C6,33,70,50,4,50,10,East,store,Bronze,x,one field too many',
    'C7,64,72,62,14.5,40.4,116,East,store,Platinum,',
  ].join('\n') + '\n';

/** What `npm run score` writes for a CSV text, and the problems it reports. */
function scoredByCli(text: string): { csv: string; errors: RowError[] } {
  let csv = '';
  const scorer = new CsvScorer(compileModel(sampleModel()), (t) => {
    csv += t;
  });
  for (const row of parseCsvText(text)) scorer.row(row);
  return { csv, errors: scorer.errors };
}

function upload(path: string, form: FormData, headers: Record<string, string> = {}) {
  return call(path, { method: 'POST', headers: { ...signedIn, ...headers }, body: form });
}

const fileForm = (text: string, filename = 'customers.csv') => {
  const form = new FormData();
  form.append('note', 'a field before the file is skipped');
  form.append('file', new File([text], filename, { type: 'text/csv' }));
  return form;
};

beforeAll(async () => {
  await seedModel();
});

describe('POST /batch (download)', () => {
  it('returns the scored CSV as an attachment, identical to npm run score', async () => {
    const res = await upload('/batch', fileForm(CSV));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="customers-scored.csv"');
    const text = await res.text();
    expect(text).toBe(scoredByCli(CSV).csv);
    expect(parseCsvText(text)[0].fields).toEqual([
      ...HEADER.split(','),
      'segment',
      'segment_label',
      'p_purchased',
      'error',
    ]);
  });

  it('leaves the result columns blank on rows that cannot be scored, saying why in error', async () => {
    const rows = parseCsvText(await (await upload('/batch', fileForm(CSV))).text());
    const c2 = rows.find((r) => r.fields[0] === 'C2')!;
    expect(c2.fields.slice(-4, -1)).toEqual(['', '', '']);
    expect(c2.fields.at(-1)).toMatch(/^age: /);
    const c1 = rows.find((r) => r.fields[0] === 'C1')!;
    expect(Number(c1.fields.at(-2))).toBeGreaterThan(0);
  });

  it('accepts a raw text/csv body too (for scripts)', async () => {
    const res = await call('/batch?filename=list.csv', {
      method: 'POST',
      headers: { ...signedIn, 'content-type': 'text/csv' },
      body: CSV,
    });
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="list-scored.csv"');
    expect(await res.text()).toBe(scoredByCli(CSV).csv);
  });

  it('gives the download a safe file name whatever the upload was called', async () => {
    const res = await upload('/batch', fileForm(CSV, '../"evil"\r\nname.csv'));
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+-scored\.csv"$/);
  });

  it('streams: scored rows come back before the upload has finished', async () => {
    const boundary = 'edgeseg-stream-test';
    const pipe = new TransformStream<Uint8Array, Uint8Array>();
    const writer = pipe.writable.getWriter();
    const enc = new TextEncoder();
    const responding = call('/batch', {
      method: 'POST',
      headers: { ...signedIn, 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: pipe.readable,
    });
    // Not awaited: a write settles only once the worker has read it.
    void writer.write(
      enc.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
    );
    void writer.write(enc.encode(CSV));
    const res = await responding;
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith(`${HEADER},segment,segment_label,p_purchased,error\n`)).toBe(true);
    // Only now does the rest of the file arrive.
    let more = '';
    for (let i = 0; i < 2000; i++) more += `D${i},40,60,50,6,60,30,South,web,Silver,\n`;
    void writer.write(enc.encode(more));
    void writer.write(enc.encode(`\r\n--${boundary}--\r\n`));
    void writer.close();
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    const lines = (first + rest).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 7 + 2000);
    expect(lines.at(-1)).toMatch(/^D1999,/);
  });

  it('asks for a file when none was chosen', async () => {
    const form = new FormData();
    form.append('file', new File([], ''));
    const res = await upload('/batch', form, { accept: 'text/html' });
    expect(res.status).toBe(422);
    expect(decoded(await res.text())).toContain('Choose a CSV file first.');
  });
});

/** Uploads that are not tables: refused before any output, each with its reason. */
const NOT_TABLES: [string, BlobPart, string, RegExp][] = [
  [
    'random bytes',
    new Uint8Array(Array.from({ length: 100_000 }, (_, i) => (i * 7919 + 13) % 251)),
    'not-text',
    /x\.csv is not a table to score: line 1: this is not text: byte \d+ \(0x[0-9a-f]{2}\) is not UTF-8/,
  ],
  [
    'unrelated columns',
    'name,colour\nann,red\nbob,blue\n',
    'no-known-columns',
    /x\.csv is not a table to score: line 1: none of the columns \("name", "colour"\) is an input of the model/,
  ],
  [
    'a ragged file',
    'age,region,channel\n34\n1,2,3,4\n7;8\n40,West,web\n',
    'ragged',
    /x\.csv is not a table to score: line 2: 3 of 4 rows do not have the header's 3 fields \(line 2 has 1\)/,
  ],
];
const badForm = (content: BlobPart) => {
  const form = new FormData();
  form.append('file', new File([content], 'x.csv', { type: 'text/csv' }));
  return form;
};

describe('uploads that are not tables', () => {
  it.each(NOT_TABLES)(
    'refuses %s on POST /batch as a 422 problem naming the reason',
    async (_, content, reason, message) => {
      const res = await upload('/batch', badForm(content));
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await res.json<{ type: string; detail: string; reason: string }>();
      expect(problem).toMatchObject({ type: 'https://edgeseg.dev/problems/not-a-table', reason });
      expect(problem.detail).toMatch(message);
    },
  );

  it.each(NOT_TABLES)(
    'refuses %s on the page, and "Check the file" gives the same reason',
    async (_, content, _reason, message) => {
      const page = await upload('/batch', badForm(content), { accept: 'text/html' });
      expect(page.status).toBe(422);
      expect(decoded((await selectOne(await page.text(), '#batch-report [role=alert]')).text)).toMatch(message);
      const check = await upload('/batch/check', badForm(content), { 'hx-request': 'true' });
      expect(decoded((await selectOne(await check.text(), '#batch-report [role=alert]')).text)).toMatch(message);
    },
  );

  it('gives a row that cannot be scored its reason in the error column, keeping its cells', async () => {
    const rows = parseCsvText(await (await upload('/batch', fileForm(CSV))).text());
    expect(rows[0].fields.at(-1)).toBe('error');
    expect(rows[2].fields.slice(0, 11)).toEqual(parseCsvText(CSV)[2].fields);
    expect(rows[2].fields.at(-1)).toMatch(/^age: must be a number/);
    expect(rows[1].fields.at(-1)).toBe('');
  });
});

describe('POST /batch/check', () => {
  it("lists the rows that cannot be scored by line, in the scorer's words", async () => {
    const res = await upload('/batch/check', fileForm(CSV), { 'hx-request': 'true' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<section id="batch-report"')).toBe(true);
    const rows = await select(html, 'table.problems tbody tr');
    const { errors } = scoredByCli(CSV);
    expect(errors.map((e) => e.line)).toEqual([3, 7]);
    expect(rows).toHaveLength(errors.length);
    const cells = await Promise.all(
      rows.map(async (_, i) =>
        (await select(html, `table.problems tbody tr:nth-child(${i + 1}) td`)).map((td) => decoded(td.text)),
      ),
    );
    expect(cells[0]).toEqual(['3', 'Age (years)', errors[0].reason]);
    expect(cells[1][0]).toBe('7');
    expect(cells[1][2]).toBe(errors[1].reason);
  });

  it('summarises the rows and the segment mix', async () => {
    const html = await (await upload('/batch/check', fileForm(CSV), { 'hx-request': 'true' })).text();
    expect(decoded((await selectOne(html, '.summary')).text)).toBe(
      '5 of 7 rows can be scored; 2 rows have problems (listed below).',
    );
    expect(await select(html, '.mix li')).toHaveLength(sampleModel().segmentation.segments.length);
  });

  it('renders a full page without htmx', async () => {
    const res = await upload('/batch/check', fileForm(CSV));
    const html = await res.text();
    expect(html.toLowerCase().startsWith('<!doctype html>')).toBe(true);
    expect(await select(html, 'table.problems tbody tr')).toHaveLength(2);
  });

  it('says where a file stops being readable CSV', async () => {
    const html = await (
      await upload('/batch/check', fileForm(`${HEADER}\nC1,29,62.5,81,9.1,48.2,14,West,app,Silver,"never closed\n`), {
        'hx-request': 'true',
      })
    ).text();
    expect(decoded(html)).toMatch(
      /The file could not be read to the end: line 2, column \d+: quoted field is never closed/,
    );
  });
});
