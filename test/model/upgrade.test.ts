// Models stored before a format change keep loading: an edgeseg.model/1
// document (the fixture is the bundled sample as the /1 trainer wrote it, the
// version the README quoted) is read into the /2 shape, keeps its version and
// still passes the publish check; /2 profiles are validated per input.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkModelDocument,
  compileModel,
  scoreRecord,
  MODEL_FORMAT,
  type Model,
  FORMAT_1,
  READABLE_FORMATS,
  upgradeModel,
  ModelError,
  parseModel,
  validateModel,
  computeVersion,
} from '../../model/index.ts';
import { trainSample } from '../support/sample-model.ts';

const V1_TEXT = readFileSync('test/fixtures/sample-model-v1.json', 'utf8');
const v1 = () => JSON.parse(V1_TEXT);

/** The problems validation names, or [] when it accepts the document. */
function problemsOf(doc: unknown): string[] {
  try {
    validateModel(doc);
    return [];
  } catch (e) {
    if (e instanceof ModelError) return e.problems;
    throw e;
  }
}

/** A /2 model written back in the /1 shape (profile figures keyed by input name), with its /1 version. */
async function asFormat1(model: Model): Promise<Record<string, any>> {
  const byName = (values: (number | null)[]) =>
    Object.fromEntries(model.inputs.flatMap((f, j) => (f.type === 'number' ? [[f.name, values[j]]] : [])));
  const seg = model.segmentation;
  const doc = {
    ...model,
    format: FORMAT_1,
    segmentation: {
      ...seg,
      segments: seg.segments.map((s) => ({ ...s, profile: { ...s.profile, means: byName(s.profile.means) } })),
      population: { ...seg.population, means: byName(seg.population.means), stds: byName(seg.population.stds) },
    },
  };
  return { ...doc, version: await computeVersion(doc as unknown as Model) };
}

let current: Model;
beforeAll(async () => {
  current = await trainSample();
});

describe('an edgeseg.model/1 document', () => {
  it('is read into the current format: profile figures by input position, null for categories', () => {
    const old = v1();
    const model = parseModel(V1_TEXT);
    expect(model.format).toBe(MODEL_FORMAT);
    expect(model.version).toBe('15bf3eed6ff8');
    const names = model.inputs.map((f) => (f.type === 'number' ? f.name : null));
    expect(names).toContain(null);
    const want = (byName: Record<string, number>) => names.map((n) => (n === null ? null : byName[n]));
    model.segmentation.segments.forEach((s, i) => {
      expect(s.profile.means).toEqual(want(old.segmentation.segments[i].profile.means));
      expect(s.profile.shares).toEqual(old.segmentation.segments[i].profile.shares);
    });
    expect(model.segmentation.population.means).toEqual(want(old.segmentation.population.means));
    expect(model.segmentation.population.stds).toEqual(want(old.segmentation.population.stds));
    // Nothing else changes.
    const strip = (m: any) => ({
      ...m,
      format: null,
      segmentation: {
        ...m.segmentation,
        segments: m.segmentation.segments.map((s: any) => ({ ...s, profile: null })),
        population: null,
      },
    });
    expect(strip(model)).toEqual(strip(old));
  });

  it('is left as it was given (its version is the hash of that content)', () => {
    const old = v1();
    upgradeModel(old);
    validateModel(old);
    expect(old).toEqual(v1());
  });

  it('passes the publish check: its version is the hash of the /1 content, not of the upgraded copy', async () => {
    expect((await checkModelDocument(V1_TEXT)).version).toBe('15bf3eed6ff8');
    const edited = v1();
    edited.segmentation.population.means.age += 1;
    await expect(checkModelDocument(JSON.stringify(edited))).rejects.toThrowError(/content hashes to/);
  });

  it('scores as the same model written in /2 does', async () => {
    const old = await asFormat1(current);
    expect(old.version).not.toBe(current.version);
    const a = compileModel(validateModel(old));
    const b = compileModel(current);
    const record = {
      age: 29,
      annual_income: 62.5,
      spending_score: 81,
      visits_per_month: 9.1,
      avg_basket: 48.2,
      tenure_months: 14,
      region: 'West',
      channel: 'app',
      loyalty_tier: 'Silver',
    };
    expect(scoreRecord(a, record)).toEqual(scoreRecord(b, record));
    expect({ ...validateModel(old), version: current.version }).toEqual(current);
    expect((await checkModelDocument(JSON.stringify(old))).version).toBe(old.version);
  });

  it('is refused, by path, when a number input has no mean', () => {
    const old = v1();
    delete old.segmentation.segments[2].profile.means.age;
    const j = old.inputs.findIndex((f: { name: string }) => f.name === 'age');
    expect(problemsOf(old)).toEqual([
      `segmentation.segments[2].profile.means[${j}]: must be a finite number (number input "age")`,
    ]);
  });
});

describe('a document in a format it cannot read', () => {
  it('is refused with the formats it can read, the current ones last', () => {
    expect(READABLE_FORMATS).toContain(MODEL_FORMAT);
    expect(problemsOf({ ...current, format: 'edgeseg.model/0' })).toEqual([
      'format: must be one of "edgeseg.model/1", "edgeseg.model/2", "edgeseg.model/3", got "edgeseg.model/0"',
    ]);
  });
});

describe('profiles in the current format', () => {
  const copy = (): Model => JSON.parse(JSON.stringify(current));
  const number = () => current.inputs.findIndex((f) => f.type === 'number');
  const category = () => current.inputs.findIndex((f) => f.type === 'category');

  it('are what the trainer writes: one entry per input, numbers for number inputs, null for categories', () => {
    expect(problemsOf(copy())).toEqual([]);
    for (const p of [...current.segmentation.segments.map((s) => s.profile), current.segmentation.population]) {
      expect(p.means).toHaveLength(current.inputs.length);
      current.inputs.forEach((f, j) => expect(typeof p.means[j]).toBe(f.type === 'number' ? 'number' : 'object'));
    }
  });

  it('name every wrong entry by its path', () => {
    const m = copy() as unknown as Record<string, any>;
    const n = current.inputs.length;
    const name = (j: number) => current.inputs[j].name;
    m.segmentation.segments[0].profile.means = m.segmentation.segments[0].profile.means.slice(1);
    m.segmentation.segments[1].profile.means[number()] = null;
    m.segmentation.segments[1].profile.means[category()] = 0.5;
    m.segmentation.population.stds = { age: 1 };
    delete m.segmentation.segments[2].profile.shares;
    delete m.segmentation.segments[3].profile;
    expect(problemsOf(m)).toEqual([
      `segmentation.segments[0].profile.means: must be an array with one entry per input (${n})`,
      `segmentation.segments[1].profile.means[${number()}]: must be a finite number (number input "${name(number())}")`,
      `segmentation.segments[1].profile.means[${category()}]: must be null (category input "${name(category())}": see shares)`,
      'segmentation.segments[2].profile.shares: must be an object',
      'segmentation.segments[3].profile: must be an object with means and shares',
      `segmentation.population.stds: must be an array with one entry per input (${n})`,
    ]);
  });
});
