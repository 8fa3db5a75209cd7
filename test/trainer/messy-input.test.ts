// The messy-input bar: the bundled sample with 5–10% of its cells corrupted
// the ways real exports are (numbers as words, currency symbols, stray spaces,
// case variants and typos, missing tokens, yes/no in any spelling) trains with
// no manual step, and its purchase head ranks a clean held-out split within
// 0.02 ROC-AUC of the head trained on the clean rows.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corruptRows, type ColumnRole } from '../../data/messy.ts';
import { csvLine, parseCsvText } from '../../model/index.ts';
import { runTrain } from '../../trainer/cli/train.ts';
import { Rng } from '../../trainer/estimators/rng.ts';
import { stratifiedSplit } from '../../trainer/estimators/split.ts';
import type { TrainReport } from '../../trainer/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-messy-'));
const rows = parseCsvText(readFileSync('data/customers.csv', 'utf8')).map((r) => r.fields);
const [header, ...body] = rows;
const roles: ColumnRole[] = header.map((h) => ({
  kind:
    h === 'customer_id'
      ? 'keep'
      : h === 'purchased'
        ? 'boolean'
        : ['region', 'channel', 'loyalty_tier'].includes(h)
          ? 'level'
          : ['annual_income', 'avg_basket'].includes(h)
            ? 'money'
            : 'number',
}));
const y = Uint8Array.from(body, (r) => (r[header.indexOf('purchased')] === 'yes' ? 1 : 0));
const { train, test } = stratifiedSplit(body.length, 0.2, 42, y);
const write = (name: string, lines: string[][]) => {
  const f = join(dir, name);
  writeFileSync(f, [header, ...lines].map(csvLine).join(''));
  return f;
};
const cleanTrain = Array.from(train, (i) => body[i]);
const corrupted = corruptRows(cleanTrain, roles, 0.08, new Rng(2024));

async function trainOn(data: string, out: string): Promise<TrainReport> {
  await runTrain(
    [
      '--data',
      data,
      '--test',
      write(
        'test.csv',
        Array.from(test, (i) => body[i]),
      ),
      '--config',
      'data/customers.config.json',
      '--out',
      join(dir, out),
      '--quiet',
    ],
    () => {},
  );
  return JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8'));
}

let clean: TrainReport;
let messy: TrainReport;
beforeAll(async () => {
  clean = await trainOn(write('clean.csv', cleanTrain), 'clean');
  messy = await trainOn(write('messy.csv', corrupted.rows), 'messy');
});

describe('a training file with 5–10% of its cells corrupted', () => {
  it('really is that messy, in every listed way', () => {
    const share = corrupted.changed / (cleanTrain.length * header.length);
    expect(share).toBeGreaterThanOrEqual(0.05);
    expect(share).toBeLessThanOrEqual(0.1);
    expect(Object.keys(corrupted.byKind).sort()).toEqual([
      'boolean',
      'case',
      'currency',
      'missing',
      'spaces',
      'typo',
      'words',
    ]);
  });

  it('trains without manual steps, reporting what it fixed', () => {
    const fixes = (name: string) => Object.keys(messy.columns.find((c) => c.name === name)?.fixes ?? {});
    expect(fixes('age')).toEqual(expect.arrayContaining(['words', 'trimmed', 'missing-token']));
    expect(fixes('annual_income')).toContain('currency');
    expect(fixes('purchased')).toContain('boolean-like');
    expect(Object.keys(messy.folds).sort()).toEqual(['channel', 'loyalty_tier', 'region']);
    expect(messy.folds.region.some((f) => f.why === 'typo')).toBe(true);
    expect(messy.columns.filter((c) => c.reason === 'kept').map((c) => c.name)).toEqual(
      clean.columns.filter((c) => c.reason === 'kept').map((c) => c.name),
    );
  });

  it('ranks the clean held-out rows within 0.02 ROC-AUC of the model trained on clean data', () => {
    expect(messy.targets[0].test.rows).toBe(400);
    expect(clean.targets[0].test.rows).toBe(400);
    expect(Math.abs(messy.targets[0].test.rocAuc - clean.targets[0].test.rocAuc)).toBeLessThanOrEqual(0.02);
  });
});
