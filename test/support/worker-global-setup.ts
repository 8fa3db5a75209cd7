// Runs in Node before the worker tests: trains real models on the bundled
// sample and scores 1,200 rows with the Node scorer, for the worker tests to
// seed KV with and to compare against.
import type { TestProject } from 'vitest/node';
import { parseCsvText, compileModel, scoreRecord } from '../../model/index.ts';
import { readFileSync } from 'node:fs';
import { trainSample, SAMPLE_CSV } from './sample-model.ts';

export default async function setup(project: TestProject) {
  const model = await trainSample();
  const alt = await trainSample({ segments: { k: 3 } });
  const cm = compileModel(model);
  const rows = parseCsvText(readFileSync(SAMPLE_CSV, 'utf8'));
  const header = rows[0].fields;
  const numeric = new Set(model.inputs.filter((f) => f.type === 'number').map((f) => f.name));
  // JSON records as an API caller would send them: numbers as numbers, a few fields left out.
  const records = rows.slice(1, 1201).map((r, i) => {
    const rec: Record<string, unknown> = {};
    header.forEach((h, j) => {
      if (!cm.inputIndex.has(h) || (i % 7 === 0 && j === 2)) return;
      rec[h] = numeric.has(h) ? Number(r.fields[j]) : r.fields[j];
    });
    return rec;
  });
  const expected = records.map((rec) => {
    const out = scoreRecord(cm, rec);
    if (!out.ok) throw new Error(`parity record did not score: ${JSON.stringify(out.problems)}`);
    return { segment: out.result.segment.id, scores: out.result.scores, projection: out.result.projection };
  });
  project.provide('sampleModel', JSON.stringify(model));
  project.provide('altModel', JSON.stringify(alt));
  project.provide('sampleModelV1', readFileSync('test/fixtures/sample-model-v1.json', 'utf8'));
  const purchased = header.indexOf('purchased');
  const labels = rows.slice(1, 1201).map((r) => r.fields[purchased] === 'yes');
  project.provide('parity', { records, expected, labels });
}
