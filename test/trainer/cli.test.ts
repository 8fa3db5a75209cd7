// The CLI contract as a user meets it: clear one-line errors with file, line
// and column; a model file never half-written; publish refuses a bad model and
// keeps the active one.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { activeLocalVersion, publishLocal } from '../../trainer/publish/kv.ts';
import { warnSkip } from '../support/reference.ts';

const run = promisify(execFile);
const tsx = 'node_modules/.bin/tsx';

async function cli(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [`trainer/cli/${script}.ts`, ...args], {
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'edgeseg-cli-'));

describe('npm run train', () => {
  it('names the file, line and column of an unclosed quote', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'age,plan\n31,basic\n40,"pro\n52,basic\n');
    const r = await cli('train', ['--data', bad, '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${bad}:3:4: quoted field is never closed\n`);
  });

  it('names the line of a row with too many fields', async () => {
    const bad = join(dir, 'wide.csv');
    writeFileSync(bad, 'a,b\n1,2\n3,4,5\n');
    const r = await cli('train', ['--data', bad, '--out', dir]);
    expect(r.stderr).toMatch(new RegExp(`^error: ${bad}:3:5: expected 2 fields as in the header, found 3`));
  });

  it('refuses unknown options and a missing target column without a stack trace', async () => {
    expect((await cli('train', ['--data', 'data/customers.csv', '--tagret', 'x'])).stderr).toContain(
      'unknown option --tagret',
    );
    const r = await cli('train', ['--data', 'data/customers.csv', '--target', 'bought', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: target "bought" is not a column of customers.csv/);
    expect(r.stderr).not.toContain('    at ');
  });

  it('leaves an existing model untouched when training fails', async () => {
    const out = join(dir, 'keep');
    const ok = await cli('train', [
      '--data',
      'data/customers.csv',
      '--config',
      'data/customers.config.json',
      '--out',
      out,
      '--quiet',
    ]);
    expect(ok.code).toBe(0);
    const before = readFileSync(join(out, 'model.json'), 'utf8');
    const bad = join(dir, 'empty.csv');
    writeFileSync(bad, '');
    expect((await cli('train', ['--data', bad, '--out', out])).code).toBe(1);
    expect(readFileSync(join(out, 'model.json'), 'utf8')).toBe(before);
  });

  it('prints rows, columns, k, held-out metrics and the model size', async () => {
    const r = await cli('train', [
      '--data',
      'data/customers.csv',
      '--target',
      'purchased',
      '--out',
      join(dir, 'summary'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows: 2000 \(1600 train, 400 held out\)/);
    expect(r.stdout).toMatch(/dropped customer_id: identifier-like/);
    expect(r.stdout).toMatch(/segments: kmeans, k=\d, silhouette 0\.\d+/);
    expect(r.stdout).toMatch(
      /target purchased \(positive "yes"\): held-out accuracy 0\.\d+, F1 0\.\d+, ROC-AUC 0\.\d+/,
    );
    expect(r.stdout).toMatch(/model [0-9a-f]{12}: .*model\.json, \d+ bytes/);
  });
});

describe('npm run score', () => {
  it('writes the input rows plus segment, label and probability columns', async () => {
    const out = join(dir, 'm');
    await cli('train', [
      '--data',
      'data/customers.csv',
      '--config',
      'data/customers.config.json',
      '--out',
      out,
      '--quiet',
    ]);
    const scored = join(dir, 'scored.csv');
    const r = await cli('score', ['--model', join(out, 'model.json'), '--data', 'data/customers.csv', '--out', scored]);
    expect(r.code).toBe(0);
    const lines = readFileSync(scored, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2001);
    expect(lines[0]).toBe(
      'customer_id,age,annual_income,spending_score,visits_per_month,avg_basket,tenure_months,region,channel,loyalty_tier,purchased,segment,segment_label,p_purchased,error',
    );
    expect(lines[1]).toMatch(/^C000001,.*,\d,[^,]+,0\.\d+,$/);
  });

  it('keeps the cells of a row it cannot score and says why in the error column', async () => {
    const file = join(dir, 'some-bad.csv');
    writeFileSync(file, 'age,region\n34,West\nabc,East\n');
    const r = await cli('score', ['--model', join(dir, 'm', 'model.json'), '--data', file]);
    expect(r.stdout.trim().split('\n')[2]).toBe('abc,East,,,,"age: must be a number, got ""abc"""');
    expect(r.stderr).toContain(`${file}:3: age: must be a number`);
  });

  it.each([
    [
      'random bytes',
      () => Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + 13) % 251)),
      /random bytes\.csv:1: this is not text: byte \d+ \(0x[0-9a-f]{2}\) is not UTF-8/,
    ],
    [
      'unrelated columns',
      () => 'name,colour\nann,red\nbob,blue\n',
      /unrelated columns\.csv:1: none of the columns \("name", "colour"\) is an input of the model \("age", /,
    ],
    [
      'a ragged file',
      () => 'age,region,channel\n34\n1,2,3,4\n7;8\n40,West,web\n',
      /a ragged file\.csv:2: 3 of 4 rows do not have the header's 3 fields \(line 2 has 1\)/,
    ],
  ])('refuses %s with file and line, writing nothing', async (name, content, message) => {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, content());
    const scored = join(dir, `${name}-scored.csv`);
    const r = await cli('score', ['--model', join(dir, 'm', 'model.json'), '--data', file, '--out', scored]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^error: /);
    expect(existsSync(scored)).toBe(false);
  });
});

describe('npm run publish', () => {
  it('publishes to local KV, and refuses a tampered model while the active one stays', async () => {
    const out = join(dir, 'pub');
    await cli('train', [
      '--data',
      'data/customers.csv',
      '--config',
      'data/customers.config.json',
      '--out',
      out,
      '--quiet',
    ]);
    const text = readFileSync(join(out, 'model.json'), 'utf8');
    const state = join(dir, 'state', 'v3');
    const model = await publishLocal(text, state);
    expect(await activeLocalVersion(state)).toBe(model.version);

    const tampered = JSON.parse(text);
    tampered.targets[0].intercept += 1;
    const file = join(dir, 'tampered.json');
    writeFileSync(file, JSON.stringify(tampered));
    const r = await cli('publish', ['--model', file, '--persist', state]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: .*tampered.json: invalid model: version: is [0-9a-f]{12} but the content hashes to/,
    );
    expect(await activeLocalVersion(state)).toBe(model.version);
  }, 60_000);
});

const telco = '../shared/datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv';
if (!existsSync(telco)) warnSkip('the telco churn CLI test', telco);
describe.skipIf(!existsSync(telco))('a public CSV with only --data and --target (needs ../shared)', () => {
  it('trains the telco churn table and reports a useful churn head', async () => {
    const out = join(dir, 'telco');
    const r = await cli('train', ['--data', telco, '--target', 'Churn', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dropped customerID: identifier-like/);
    const model = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    expect(model.targets[0].positive).toBe('Yes');
    expect(model.targets[0].metrics.test.rocAuc).toBeGreaterThan(0.8);
  });
});
