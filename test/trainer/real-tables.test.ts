// The trainer on real public tables (../shared/datasets and ../shared/reference)
// and on a built table of month abbreviations, state codes and sizes: no real
// level is folded, every segment name carries its column, and k "auto" keeps
// to its rule (trainer/clean/levels.ts, segments/naming.ts, segments/select-k.ts).
// The public tables are skipped, saying why, where ../shared is absent.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseLevel, type Model } from '../../model/index.ts';
import { runTrain } from '../../trainer/cli/train.ts';
import { shortName } from '../../trainer/segments/naming.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import type { TrainReport } from '../../trainer/train.ts';

const SHARED = '../shared';
const present = existsSync(join(SHARED, 'datasets')) && existsSync(join(SHARED, 'reference'));
if (!present)
  console.warn(
    `skipping the real-table tests: ${SHARED}/datasets and ${SHARED}/reference are not there (they sit beside the checkout in development and CI)`,
  );

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-real-'));

async function train(name: string, args: string[]): Promise<{ model: Model; report: TrainReport }> {
  const out = join(dir, name);
  await runTrain([...args, '--out', out, '--quiet'], () => {});
  return {
    model: JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')),
    report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
  };
}

/** Every fold the run made: schema folds, label fixes and the transaction categories. */
function allFolds(report: TrainReport): { column: string; from: string; to: string; count: number; why: string }[] {
  const out: { column: string; from: string; to: string; count: number; why: string }[] = Object.entries(
    report.folds,
  ).flatMap(([column, folds]) => folds.map((f) => ({ column, ...f })));
  for (const f of report.tables?.transactions?.categoryFolds ?? []) out.push({ column: 'transactions.category', ...f });
  for (const c of report.columns)
    if (c.fixes?.typo)
      out.push({
        column: c.name,
        from: c.fixes.typo.examples.join('|'),
        to: '?',
        count: c.fixes.typo.count,
        why: 'typo',
      });
  return out;
}

/** A fold that merges two real levels: neither a spelling of the same words nor rare levels grouped as "other". */
const mergesLevels = (f: { from: string; to: string; why: string }) =>
  !(f.why === 'rare' && f.to === 'other') &&
  normaliseLevel(f.from).replace(/\s+/g, '') !== normaliseLevel(f.to).replace(/\s+/g, '');

/**
 * Name parts that are a category level alone, or "Mostly <level>". A yes/no
 * level reads as its column ("No internet service" for InternetService = No),
 * which is not bare even where another column has that text as a level.
 */
function bareParts(model: Model): string[] {
  const levels = new Set(
    model.inputs.flatMap((f) => (f.type === 'category' ? f.levels.map((l) => l.toLowerCase()) : [])),
  );
  const columns = new Set(model.inputs.flatMap((f) => [shortName(f), `no ${shortName(f)}`]));
  return model.segmentation.segments
    .flatMap((s) => s.label.split(' · '))
    .filter((p) => !columns.has(p.toLowerCase()) && levels.has(p.toLowerCase().replace(/^mostly /, '')));
}

/** The chosen k keeps the rule: no small segment, within the tolerance, and no smaller k that is. */
function expectRuleKept(report: TrainReport) {
  const s = report.segmentation;
  const rule = s.rule!;
  expect(rule, 'k "auto" states its rule').toBeDefined();
  const pool = s.candidates.filter((c) => (c.minShare ?? 1) >= rule.minShare);
  const eligible = pool.length ? pool : s.candidates;
  const chosen = s.candidates.find((c) => c.k === s.chosen)!;
  expect(eligible).toContain(chosen);
  if (rule.criterion !== 'silhouette') return;
  const best = Math.max(...eligible.map((c) => c.silhouette));
  expect(chosen.silhouette).toBeGreaterThanOrEqual(best - rule.tolerance - 1e-9);
  for (const c of eligible)
    if (c.k < chosen.k) expect(c.silhouette, `k=${c.k} is smaller and would do`).toBeLessThan(best - rule.tolerance);
  expect(rule.rawBest).toBe(s.candidates.reduce((a, c) => (c.silhouette > a.silhouette ? c : a)).k);
}

const D = join(SHARED, 'datasets');
const R = join(SHARED, 'reference');
const tables: [string, string[], boolean][] = [
  ['mall', ['--data', join(D, 'Mall_Customers.csv'), '--config', 'examples/mall.config.json'], true],
  [
    'breast-cancer',
    ['--data', join(D, 'breast_cancer_wisconsin_diagnostic.csv'), '--config', 'examples/breast-cancer.config.json'],
    true,
  ],
  [
    'telco',
    ['--data', join(D, 'WA_Fn-UseC_-Telco-Customer-Churn.csv'), '--config', 'examples/telco.config.json'],
    true,
  ],
  [
    'online-retail',
    ['--data', join(D, 'OnlineRetail_sample30k.csv'), '--config', 'examples/online-retail.config.json'],
    true,
  ],
  [
    'ref-breast-cancer',
    [
      '--data',
      join(R, 'breast_cancer.train.csv'),
      '--test',
      join(R, 'breast_cancer.test.csv'),
      '--target',
      'diagnosis',
      '--k',
      '2',
    ],
    false,
  ],
  [
    'ref-telco',
    [
      '--data',
      join(R, 'telco_churn.train.csv'),
      '--test',
      join(R, 'telco_churn.test.csv'),
      '--target',
      'Churn',
      '--k',
      '2',
    ],
    false,
  ],
  ['ref-mall', ['--data', join(R, 'mall_customers.train.csv'), '--test', join(R, 'mall_customers.test.csv')], true],
];

describe.skipIf(!present)('the public tables in ../shared', () => {
  it.each(tables)('%s: no real level folded, no bare level in a name, k by the rule', async (name, args, auto) => {
    const { model, report } = await train(name, args);
    expect(allFolds(report).filter(mergesLevels)).toEqual([]);
    expect(bareParts(model)).toEqual([]);
    if (auto) expectRuleKept(report);
    else expect(report.segmentation.rule).toBeUndefined();
  });

  it('gives Mall customers 3 to 6 segments with k "auto", each named without bare levels', async () => {
    const { model, report } = await train('mall-again', tables[0][1]);
    expect(report.segmentation.chosen).toBeGreaterThanOrEqual(3);
    expect(report.segmentation.chosen).toBeLessThanOrEqual(6);
    expect(model.segmentation.segments.map((s) => s.label).join(' | ')).toMatch(/Gender: |income|spenders/);
    expect(bareParts(model)).toEqual([]);
  });
});

describe('a built table of month abbreviations, state codes, sizes and SKUs', () => {
  // Skewed on purpose: "may" 20× "mar", "CA" 20× "CO", "M" 10× "XL": the most tempting case for a wrong fold.
  const pick = (rng: Rng, levels: [string, number][]) => {
    let u = rng.next() * levels.reduce((a, [, w]) => a + w, 0);
    for (const [l, w] of levels) if ((u -= w) < 0) return l;
    return levels[0][0];
  };
  const months: [string, number][] = [
    ['may', 30],
    ['jul', 15],
    ['aug', 14],
    ['jun', 12],
    ['nov', 9],
    ['apr', 6],
    ['feb', 6],
    ['jan', 3],
    ['oct', 2],
    ['sep', 1.5],
    ['mar', 1.5],
    ['dec', 1.5],
  ];
  const states: [string, number][] = [
    ['CA', 20],
    ['NY', 10],
    ['MA', 5],
    ['MD', 3],
    ['ME', 2],
    ['CO', 1],
    ['CT', 1],
  ];
  const sizes: [string, number][] = [
    ['M', 10],
    ['L', 8],
    ['S', 5],
    ['XL', 1.5],
    ['XS', 1],
    ['XXL', 0.6],
  ];
  const skus: [string, number][] = [
    ['SKU-1001', 20],
    ['SKU-1002', 2],
    ['SKU-1007', 1.5],
  ];
  const rng = new Rng(14);
  const rows = [['customer', 'month', 'state', 'size', 'sku', 'category', 'spend']];
  for (let i = 0; i < 3000; i++) {
    // Three real typos of a category word, which must fold.
    const category =
      i === 7
        ? 'Electronis'
        : i === 8
          ? 'Grocey'
          : i === 9
            ? 'clothing '
            : pick(rng, [
                ['Electronics', 3],
                ['Grocery', 3],
                ['Clothing', 2],
              ]);
    rows.push([
      `C${i}`,
      pick(rng, months),
      pick(rng, states),
      pick(rng, sizes),
      pick(rng, skus),
      category,
      (20 + 80 * rng.next()).toFixed(2),
    ]);
  }
  const file = join(dir, 'levels.csv');
  writeFileSync(file, rows.map((r) => r.join(',')).join('\n'));

  it('folds the typos and no real level', async () => {
    const config = join(dir, 'levels.config.json');
    writeFileSync(config, JSON.stringify({ id: 'customer', segments: { k: 3 } }));
    const { model, report } = await train('levels', ['--data', file, '--config', config]);
    const folds = allFolds(report);
    expect(
      folds
        .filter(mergesLevels)
        .map((f) => `${f.from}→${f.to}`)
        .sort(),
    ).toEqual(['Electronis→Electronics', 'Grocey→Grocery']);
    expect(folds).toContainEqual({
      column: 'category',
      from: 'clothing ',
      to: 'Clothing',
      count: 1,
      why: 'case/spacing',
    });
    const levels = (name: string) => (model.inputs.find((f) => f.name === name) as { levels: string[] }).levels;
    expect(levels('month')).toHaveLength(12);
    expect(levels('state')).toHaveLength(7);
    expect(levels('size')).toHaveLength(6);
    expect(levels('sku')).toHaveLength(3);
    expect(bareParts(model)).toEqual([]);
  });

  it('keeps every spelling of a column whose folding is off', async () => {
    const config = join(dir, 'levels-nofold.config.json');
    writeFileSync(
      config,
      JSON.stringify({ id: 'customer', columns: { category: { fold: false } }, segments: { k: 3 } }),
    );
    const { report } = await train('levels-nofold', ['--data', file, '--config', config]);
    expect((report.folds.category ?? []).filter((f) => f.why !== 'case/spacing')).toEqual([]);
  });
});
