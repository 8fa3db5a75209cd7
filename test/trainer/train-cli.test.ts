// `train` as a user runs it: bad files named by file, line and column; the
// model byte-identical across runs; report.html self-contained with every
// chart; --test as the held-out split; several --data files joined by config.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrain } from '../../trainer/cli/train.ts';
import type { TrainReport } from '../../trainer/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-train-'));
const quietly = (argv: string[]) => runTrain([...argv, '--quiet'], () => {});
const file = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const SAMPLE = ['--data', 'data/customers.csv', '--config', 'data/customers.config.json', '--trained-at', '2026-01-01'];
const SALES = [
  '--data',
  'data/sales/customers.csv',
  '--data',
  'data/sales/orders.csv',
  '--data',
  'data/sales/products.csv',
  '--config',
  'examples/sales/config.json',
  '--trained-at',
  '2026-01-01',
];

describe('a file that cannot be read', () => {
  it.each([
    ['an unclosed quote', 'age,plan\n31,basic\n40,"pro\n52,basic\n', ':3:4: quoted field is never closed'],
    ['a row with too many fields', 'a,b\n1,2\n3,4,5\n', ':3:5: expected 2 fields as in the header, found 3'],
    ['a header naming a column twice', 'a,a\n1,2\n', ':1:1: header names "a" twice'],
    ['a header only', 'a,b\n', ':2:1: the file has a header but no data rows'],
  ])('fails with file, line and column for %s', async (_, text, where) => {
    const f = file(`bad-${where.length}.csv`, text);
    await expect(quietly(['--data', f, '--out', dir])).rejects.toThrow(`${f}${where}`);
  });

  it('names the one of several tables that is broken', async () => {
    const orders = file(
      'orders.csv',
      'order_id,order_date,customer_id,product_id,quantity,unit_price\nA1,2024-01-01,C0001,P001,1,"9.99\n',
    );
    await expect(
      quietly([
        '--data',
        'data/sales/customers.csv',
        '--data',
        orders,
        '--data',
        'data/sales/products.csv',
        '--config',
        'examples/sales/config.json',
        '--out',
        dir,
      ]),
    ).rejects.toThrow(`${orders}:2:28: quoted field is never closed`);
  });

  it('refuses several files without joins, and a --test file with other columns', async () => {
    await expect(
      quietly(['--data', 'data/customers.csv', '--data', 'data/sales/products.csv', '--out', dir]),
    ).rejects.toThrow('several --data files need "joins"');
    const other = file('other.csv', 'x,y\n1,2\n');
    await expect(quietly(['--data', 'data/customers.csv', '--test', other, '--out', dir])).rejects.toThrow(
      `${other}:1:1: the columns differ from customers.csv's`,
    );
  });
});

describe('determinism', () => {
  it('writes a byte-identical model.json for the same data, config, seed and date', async () => {
    const a = await quietly([...SAMPLE, '--out', join(dir, 'a')]);
    const b = await quietly([...SAMPLE, '--out', join(dir, 'b')]);
    expect(readFileSync(a.modelFile, 'utf8')).toBe(readFileSync(b.modelFile, 'utf8'));
  });

  it('does so for three messy tables joined and aggregated too, and the segment names stay the same', async () => {
    const a = await quietly([...SALES, '--out', join(dir, 'sa')]);
    const b = await quietly([...SALES, '--out', join(dir, 'sb')]);
    const text = readFileSync(a.modelFile, 'utf8');
    expect(readFileSync(b.modelFile, 'utf8')).toBe(text);
    expect(JSON.parse(text).segmentation.segments.map((s: { label: string }) => s.label)).toEqual([
      'Low annual income · Frequent',
      'New · Recently joined',
      'Lapsed · Older',
      'High spend · High annual income',
    ]);
  });

  it('changes with the seed', async () => {
    const a = await quietly([...SAMPLE, '--out', join(dir, 'c')]);
    const b = await quietly([...SAMPLE, '--seed', '7', '--out', join(dir, 'd')]);
    expect(readFileSync(a.modelFile, 'utf8')).not.toBe(readFileSync(b.modelFile, 'utf8'));
  });
});

describe('the training report', () => {
  let html: string;
  let report: TrainReport;
  beforeAll(async () => {
    const run = await quietly([...SALES, '--out', join(dir, 'report')]);
    html = readFileSync(run.reportFile, 'utf8');
    report = JSON.parse(readFileSync(join(dir, 'report', 'report.json'), 'utf8'));
  });

  it('is self-contained: nothing loaded from the network, no script', () => {
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
  });

  it('has every chart as inline SVG, titled, captioned and escaped', () => {
    const svgOf = (id: string) => {
      const start = html.lastIndexOf('<svg', html.indexOf(`id="${id}"`));
      return start < 0 ? '' : html.slice(start, html.indexOf('</svg>', start) + 6);
    };
    for (const id of [
      'chart-silhouette',
      'chart-elbow',
      'chart-davies-bouldin',
      'chart-calinski-harabasz',
      'chart-pca',
      'chart-profiles',
      'chart-profile-levels',
      'chart-roc-churned',
      'chart-pr-churned',
      'chart-confusion-churned',
      'chart-calibration-churned',
      'chart-weights-churned',
    ]) {
      const svg = svgOf(id);
      expect(svg, id).toMatch(/^<svg [^>]*class="chart[ "]/);
      expect(svg, id).toMatch(new RegExp(`role="img"[^>]*aria-labelledby="${id}-title"`));
      expect(svg, id).toMatch(new RegExp(`<title id="${id}-title">[^<]+</title>`));
      // Each sits in a figure under a visible caption.
      expect(html.slice(html.lastIndexOf('<figure>', html.indexOf(svg)), html.indexOf(svg)), id).toMatch(
        /^<figure><figcaption>[^<]+<\/figcaption>$/,
      );
    }
    // The elbow chart marks its knee.
    expect(svgOf('chart-elbow')).toContain(`knee k=${report.segmentation.candidates.find((c) => c.elbow)!.k}`);
    // Text from the data is escaped, in the charts as in the tables ("Home & Garden" is a product category).
    expect(svgOf('chart-profiles')).toContain('Home &amp; Garden');
    expect(html).not.toContain('Home & Garden');
    // Colours come from classes: the page has no inline style attribute.
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('lists the cleaning fixes with counts and examples, the joins and the chosen k with its reason', () => {
    const ageWords = report.columns.find((c) => c.name === 'age')!.fixes!.words;
    expect(html).toContain(`<td>customers</td><td>age</td><td>words</td><td class="num">${ageWords.count}</td>`);
    expect(html).toContain(`<code>${JSON.stringify(ageWords.examples[0])}</code>`.replace(/"/g, '&quot;'));
    expect(html).toContain('<td>orders</td><td>quantity</td><td>words</td>');
    expect(html).toContain('orders → products');
    expect(html).toContain('aggregate per customer');
    expect(html).toContain(`<strong>k=${report.segmentation.chosen}</strong>`);
    expect(html).toContain('elbow as the config asks');
  });
});

describe('a table with a single feature', () => {
  it('trains, with its map on one axis', async () => {
    const f = file(
      'one.csv',
      ['spend,bought', ...Array.from({ length: 60 }, (_, i) => `${i * 3 + (i % 7)},${i % 3 ? 'no' : 'yes'}`)].join(
        '\n',
      ) + '\n',
    );
    const run = await quietly(['--data', f, '--target', 'bought', '--out', join(dir, 'one')]);
    const model = JSON.parse(readFileSync(run.modelFile, 'utf8'));
    expect(model.projection.explained).toEqual([1, 0]);
    const xs = model.projection.sample.map((p: number[]) => p[0]);
    expect(new Set(xs).size).toBe(xs.length);
    expect(model.projection.sample.every((p: number[]) => p[1] === 0 && Number.isFinite(p[0]))).toBe(true);
  });
});

describe('--test', () => {
  it('uses the given file as the held-out rows', async () => {
    const lines = readFileSync('data/customers.csv', 'utf8').trim().split('\n');
    const train = file('train.csv', lines.slice(0, 1501).join('\n') + '\n');
    const test = file('test.csv', [lines[0], ...lines.slice(1501)].join('\n') + '\n');
    const run = await quietly([
      '--data',
      train,
      '--test',
      test,
      '--config',
      'data/customers.config.json',
      '--out',
      join(dir, 'given'),
    ]);
    const report = JSON.parse(readFileSync(join(dir, 'given', 'report.json'), 'utf8')) as TrainReport;
    expect(report).toMatchObject({ split: 'given', trainRows: 1500, testRows: 500 });
    expect(report.targets[0].test.rows).toBe(500);
    expect(JSON.parse(readFileSync(run.modelFile, 'utf8')).training.sources).toEqual(['train.csv', 'test.csv']);
  });
});
