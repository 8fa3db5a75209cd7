// The trainer's prediction for a boosted head (its tree values of the table,
// walked by predictBoosted) is the scorer's answer for the same row sent as a
// raw record, to 1e-9 — with missing values and an unseen level in the rows,
// which trees send their own way rather than imputing.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { compileModel, createScorer, parseCsvText } from '../../model/index.ts';
import type { TrainConfig } from '../../trainer/config.ts';
import { predictBoosted } from '../../trainer/estimators/boosting/boost.ts';
import { buildSchema } from '../../trainer/features/schema.ts';
import { treeData } from '../../trainer/features/tree-data.ts';
import { readTable } from '../../trainer/read/table.ts';
import { SAMPLE_CONFIG, SAMPLE_CSV, trainFile } from '../support/sample-model.ts';

it('gives the scorer answer for every row of a table with gaps, to 1e-9', async () => {
  // The sample with holes: a number left blank in every 5th row, a category in every 7th, an unseen level in every 11th.
  const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8')).map((r) => r.fields);
  const header = rows[0];
  const [age, region] = [header.indexOf('age'), header.indexOf('region')];
  rows.slice(1).forEach((r, i) => {
    if (i % 5 === 0) r[age] = '';
    if (i % 7 === 0) r[region] = '';
    else if (i % 11 === 0) r[region] = 'Atlantis';
  });
  const file = join(mkdtempSync(join(tmpdir(), 'edgeseg-gaps-')), 'customers.csv');
  writeFileSync(file, `${rows.map((r) => r.join(',')).join('\n')}\n`);
  const config: TrainConfig = {
    ...(JSON.parse(readFileSync(SAMPLE_CONFIG, 'utf8')) as TrainConfig),
    target: { purchased: { model: 'boosted' } },
  };
  const model = await trainFile(file, config);
  const head = model.targets[0];
  if (head.kind !== 'boosted') throw new Error('the head should be boosted');

  // The trainer's view: the table read and its schema rebuilt as training built it (its levels are the model's).
  const table = await readTable(file, config);
  const schema = buildSchema(
    table,
    config,
    Uint32Array.from({ length: table.rows }, (_, i) => i),
  );
  expect(schema.inputs.map((f) => [f.name, f.type === 'category' ? f.levels : null])).toEqual(
    model.inputs.map((f) => [f.name, f.type === 'category' ? f.levels : null]),
  );
  const all = Uint32Array.from({ length: table.rows }, (_, i) => i);
  const trainer = predictBoosted(head, treeData(schema, table.rows), all);

  const scorer = createScorer(compileModel(model));
  let worst = 0;
  rows.slice(1).forEach((r, i) => {
    const record = Object.fromEntries(header.map((h, j) => [h, r[j]]));
    const out = scorer.scoreRecord(record, { text: true, ignoreUnknown: true });
    if (!out.ok) throw new Error(JSON.stringify(out.problems));
    worst = Math.max(worst, Math.abs(out.result.scores.purchased - trainer[i]));
  });
  expect(worst).toBeLessThan(1e-9);
});
