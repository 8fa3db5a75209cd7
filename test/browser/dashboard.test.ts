// The dashboard end to end, as a marketer uses it: real wrangler dev serving
// the worker over a local KV with a published model, driven in Debian's
// headless Chromium. Run once with the bundled sample's model and once with a
// model trained on different columns, with no code change in between.
// Screenshots of every page (desktop and phone) go to test-artifacts/.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvScorer, parseCsvText, compileModel, scoreRecord, type Model, type NumberInput } from '../../model/index.ts';
import { trainSample } from '../support/sample-model.ts';
import {
  DESKTOP,
  horizontalOverflow,
  launchChromium,
  lowContrastText,
  PHONE,
  screenshot,
  watchProblems,
} from '../support/browser.ts';
import { subscriptionsCsv, trainSubscriptions } from '../support/subscriptions.ts';
import { buildWorker, startWorker, type RunningWorker } from '../support/worker-server.ts';

let browser: Browser;
let sample: { model: Model; worker: RunningWorker };
let subs: { model: Model; worker: RunningWorker };
let empty: RunningWorker;
const scratch = mkdtempSync(join(tmpdir(), 'edgeseg-e2e-'));

beforeAll(async () => {
  const [sampleModel, subsModel] = [await trainSample(), await trainSubscriptions(join(scratch, 'subscriptions.csv'))];
  const bundle = buildWorker(join(scratch, 'dist'));
  // One at a time: each publish opens its own local KV through wrangler.
  // Counts flushed to the local D1 right after each request, for the Monitor page.
  sample = {
    model: sampleModel,
    worker: await startWorker(bundle, JSON.stringify(sampleModel), ['MONITOR_FLUSH_SECONDS:0']),
  };
  subs = { model: subsModel, worker: await startWorker(bundle, JSON.stringify(subsModel)) };
  empty = await startWorker(bundle, null);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await sample?.worker.stop();
  await subs?.worker.stop();
  await empty?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function open(
  viewport = DESKTOP,
  options: { javaScriptEnabled?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, ...options });
  const page = await context.newPage();
  return { context, page, problems: watchProblems(page) };
}

/** What `npm run score` writes for a CSV text with a model. */
function scoredByCli(model: Model, text: string): string {
  let out = '';
  const scorer = new CsvScorer(compileModel(model), (t) => {
    out += t;
  });
  for (const row of parseCsvText(text)) scorer.row(row);
  return out;
}

const CUSTOMER = {
  'Age (years)': '29',
  'Annual income (k$)': '62.5',
  'Spending score (1–100)': '81',
  'Visits per month': '9.1',
  'Average basket ($)': '48.2',
  'Tenure (months)': '14',
};
const CUSTOMER_RECORD = {
  age: '29',
  annual_income: '62.5',
  spending_score: '81',
  visits_per_month: '9.1',
  avg_basket: '48.2',
  tenure_months: '14',
  region: 'West',
  channel: 'app',
  loyalty_tier: 'Silver',
};

async function fillCustomer(page: Page) {
  for (const [label, value] of Object.entries(CUSTOMER)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByLabel('Region').selectOption('West');
  await page.getByLabel('Main channel').selectOption('app');
  await page.getByLabel('Loyalty tier').selectOption('Silver');
}

describe('with the bundled sample model', () => {
  it('scores a customer from the form: segment, probabilities, the customer on the map — swapped in by htmx', async () => {
    const { context, page, problems } = await open();
    await page.goto(sample.worker.url);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Score a customer');
    expect(await page.locator('form.score-form input, form.score-form select').count()).toBe(
      sample.model.inputs.length,
    );
    await screenshot(page, 'sample-score-desktop');

    await fillCustomer(page);
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await page.getByRole('button', { name: 'Score customer' }).click();
    await page.locator('.segment-name').waitFor();

    const want = scoreRecord(compileModel(sample.model), CUSTOMER_RECORD, { text: true });
    if (!want.ok) throw new Error('the customer must score');
    expect(await page.locator('.segment-name').textContent()).toBe(want.result.segment.label);
    const p = want.result.scores.purchased;
    expect(await page.locator('.target[data-target="purchased"] .prob-value').textContent()).toBe(
      `${Number((p * 100).toFixed(p < 0.1 ? 1 : 0))}%`,
    );
    await expect(page.locator('svg.map .you .you-dot').isVisible()).resolves.toBe(true);
    expect(await page.locator('svg.map .you text').textContent()).toMatch(/^This customer/);
    expect(await page.locator('.driver').count()).toBeGreaterThan(0);
    // A swap, not a page load: the marker survives and focus moved to the result for screen readers.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result-title');
    await screenshot(page, 'sample-result-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows a refused value next to its field in the scorer's words, focused for correction", async () => {
    const { context, page, problems } = await open();
    await page.goto(sample.worker.url);
    // A browser without number inputs (or a hand-edited form) can send any text; the server decides.
    const age = page.getByLabel('Age (years)', { exact: true });
    await age.evaluate((el) => el.setAttribute('type', 'text'));
    await age.fill('thirty');
    await page.getByRole('button', { name: 'Score customer' }).click();
    const error = page.locator('.field.has-error .field-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('Error: must be a number, got "thirty"');
    expect(await age.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('age');
    expect(await page.locator('.error-summary').textContent()).toContain('Age (years): must be a number, got "thirty"');
    await screenshot(page, 'sample-field-error-desktop');
    // Out of the training range is a note, not an error: the customer is still scored.
    await age.fill('88');
    await page.getByRole('button', { name: 'Score customer' }).click();
    await page.locator('.segment-name').waitFor();
    expect(await page.locator('.field-note').first().textContent()).toContain(
      '88 is outside the training range 18..75',
    );
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: the same form posts and renders a full page', async () => {
    const { context, page } = await open(DESKTOP, { javaScriptEnabled: false });
    await page.goto(sample.worker.url);
    await fillCustomer(page);
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Score customer' }).click()]);
    expect(await page.locator('.segment-name').count()).toBe(1);
    expect(await page.locator('svg.map .you').count()).toBe(1);
    await context.close();
  });

  it('checks an uploaded CSV, lists problems by line, and downloads it scored like npm run score', async () => {
    const { context, page, problems } = await open();
    const csv =
      readFileSync('data/customers.csv', 'utf8')
        .split('\n')
        .slice(0, 301)
        .join('\n')
        .replace(/^(C000007,)\d+/m, '$1unknown') + '\n';
    await page.goto(`${sample.worker.url}/batch`);
    await page.setInputFiles('#batch-file', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.locator('table.problems').waitFor();
    expect(await page.locator('.summary').textContent()).toBe(
      '299 of 300 rows can be scored; 1 row has problems (listed below).',
    );
    expect(await page.locator('table.problems tbody tr td').allTextContents()).toEqual([
      '8',
      'Age (years)',
      'must be a number, got "unknown"',
    ]);
    await screenshot(page, 'sample-batch-desktop');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download scored CSV' }).first().click(),
    ]);
    expect(download.suggestedFilename()).toBe('customers-scored.csv');
    const scored = readFileSync((await download.path())!, 'utf8');
    expect(scored).toBe(scoredByCli(sample.model, csv));
    expect(parseCsvText(scored)[0].fields.slice(-4)).toEqual(['segment', 'segment_label', 'p_purchased', 'error']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it.each([
    [
      'random bytes',
      Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + 13) % 251)),
      /x\.csv is not a table to score: line 1: this is not text: byte \d+ \(0x[0-9a-f]{2}\) is not UTF-8/,
    ],
    [
      'unrelated columns',
      Buffer.from('name,colour\nann,red\nbob,blue\n'),
      /x\.csv is not a table to score: line 1: none of the columns \("name", "colour"\) is an input of the model/,
    ],
    [
      'a ragged file',
      Buffer.from('age,region,channel\n34\n1,2,3,4\n7;8\n40,West,web\n'),
      /x\.csv is not a table to score: line 2: 3 of 4 rows do not have the header's 3 fields/,
    ],
  ])('refuses %s with its reason on "Check the file" and on download', async (_, buffer, reason) => {
    const { context, page } = await open();
    let downloads = 0;
    page.on('download', () => {
      downloads++;
    });
    await page.goto(`${sample.worker.url}/batch`);
    await page.setInputFiles('#batch-file', { name: 'x.csv', mimeType: 'text/csv', buffer });
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.locator('#batch-report [role=alert]').waitFor();
    expect(await page.locator('#batch-report [role=alert]').textContent()).toMatch(reason);
    const [answer] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Download scored CSV' }).first().click(),
    ]);
    expect(answer?.status()).toBe(422);
    expect(await page.locator('#batch-report [role=alert]').textContent()).toMatch(reason);
    expect(downloads).toBe(0);
    await context.close();
  });

  it('opens Segments and Model', async () => {
    const { context, page, problems } = await open();
    await page.goto(sample.worker.url);
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.waitForURL(/\/segments$/);
    expect(await page.locator('article.segment-card').count()).toBe(sample.model.segmentation.segments.length);
    expect(await page.locator('article.segment-card h2').allTextContents()).toEqual(
      sample.model.segmentation.segments.map((s) => s.label),
    );
    await screenshot(page, 'sample-segments-desktop');
    await page.getByRole('link', { name: 'Model' }).click();
    await page.waitForURL(/\/model$/);
    expect(await page.getByText(sample.model.version).count()).toBeGreaterThan(0);
    await expect(page.locator('#roc-0').isVisible()).resolves.toBe(true);
    await expect(page.locator('#inertia-chart').isVisible()).resolves.toBe(true);
    expect(await page.locator('table.confusion tbody td').count()).toBe(4);
    await screenshot(page, 'sample-model-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('monitors what was scored: the segment mix, inputs by drift, a window chosen and swapped in by htmx', async () => {
    // The customer as an API caller sends it: numbers as numbers.
    const record = Object.fromEntries(
      Object.entries(CUSTOMER_RECORD).map(([k, v]) => [k, /^[\d.]+$/.test(v) ? Number(v) : v]),
    );
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${sample.worker.url}/v1/score`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...record, age: 25 + i }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const { context, page, problems } = await open();
    await page.goto(sample.worker.url);
    await page.getByRole('link', { name: 'Monitor' }).click();
    await page.waitForURL(/\/monitor$/);
    // Counts reach D1 just after each answer (a flush per request here): reload until they show.
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator('.summary').textContent();
      })
      .toMatch(/\b1[2-9]\b|\b[2-9]\d\b/);
    expect(await page.locator('.drift-list li').count()).toBe(sample.model.inputs.length);
    await page.locator('.drift-list summary').first().click();
    await expect(page.locator('.drift-list table.histogram').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'sample-monitor-desktop');
    await page.getByLabel('Window').selectOption('7d');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/window=7d/);
    await expect(page.locator('#monitor-report .summary').isVisible()).resolves.toBe(true);
    expect(await page.getByLabel('Window').inputValue()).toBe('7d');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is keyboard operable: skip link first, visible focus, the form submits with Enter', async () => {
    const { context, page } = await open();
    await page.goto(sample.worker.url);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Tab into the first field: its focus ring is drawn.
    for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.tagName)) !== 'INPUT'; i++)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe(
      sample.model.inputs[0].name,
    );
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('solid');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.locator('.segment-name').waitFor();
    await context.close();
  });

  it('has readable contrast on every page', async () => {
    const { context, page } = await open();
    for (const path of ['/', '/segments', '/model', '/batch', '/monitor']) {
      await page.goto(sample.worker.url + path);
      expect(await lowContrastText(page), path).toEqual([]);
    }
    await page.goto(sample.worker.url);
    await fillCustomer(page);
    await page.getByRole('button', { name: 'Score customer' }).click();
    await page.locator('.segment-name').waitFor();
    expect(await lowContrastText(page), 'result').toEqual([]);
    await context.close();
  });

  it('fits a phone screen on every page', async () => {
    const { context, page, problems } = await open(PHONE);
    for (const [path, name] of [
      ['/', 'score'],
      ['/segments', 'segments'],
      ['/model', 'model'],
      ['/batch', 'batch'],
      ['/monitor', 'monitor'],
    ]) {
      await page.goto(sample.worker.url + path);
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      await screenshot(page, `sample-${name}-phone`);
    }
    await page.goto(sample.worker.url);
    await fillCustomer(page);
    await page.getByRole('button', { name: 'Score customer' }).click();
    await page.locator('.segment-name').waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'sample-result-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves htmx and the stylesheet itself', async () => {
    const htmx = await fetch(`${sample.worker.url}/vendor/htmx.min.js`);
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toContain('javascript');
    expect(await htmx.text()).toContain('2.0.');
    expect(htmx.headers.get('x-content-type-options')).toBe('nosniff'); // from dashboard/static/_headers
    expect((await fetch(`${sample.worker.url}/dashboard.css`)).status).toBe(200);
  });
});

describe('before any model is published', () => {
  it('says so on every page and shows the command that publishes one', async () => {
    const { context, page, problems } = await open();
    for (const [path, name] of [
      ['/', 'score'],
      ['/segments', 'segments'],
      ['/model', 'model'],
      ['/batch', 'batch'],
    ]) {
      const res = await page.goto(empty.url + path);
      expect(res?.status()).toBe(503);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('No model is published yet');
      expect(await page.locator('pre code').textContent()).toContain('npm run publish -- --model models/model.json');
      if (name === 'score') await screenshot(page, 'no-model-desktop');
    }
    // Chromium logs the 503 itself; nothing else may go wrong.
    expect(problems.filter((p) => !/status of 503\b/.test(p))).toEqual([]);
    await context.close();
  });
});

describe('with a model trained on other columns (subscriptions → churned)', () => {
  it('builds the form from that model and scores with it', async () => {
    const { context, page, problems } = await open();
    await page.goto(subs.worker.url);
    // Configured labels where given, the column name in words otherwise.
    for (const label of ['Plan', 'Seats', 'Monthly spend (€)', 'Support tickets', 'Country', 'Billed yearly']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    const seats = subs.model.inputs.find((f) => f.name === 'seats') as NumberInput;
    expect(await page.getByLabel('Seats', { exact: true }).getAttribute('max')).toBe(String(seats.max));
    await screenshot(page, 'subscriptions-score-desktop');
    await page.getByLabel('Plan', { exact: true }).selectOption('Business');
    await page.getByLabel('Seats', { exact: true }).fill('60');
    await page.getByLabel('Monthly spend (€)', { exact: true }).fill('1200');
    await page.getByLabel('Support tickets', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Score customer' }).click();
    await page.locator('.segment-name').waitFor();
    const want = scoreRecord(
      compileModel(subs.model),
      {
        plan: 'Business',
        seats: '60',
        monthly_spend: '1200',
        support_tickets: '7',
        country: 'UK',
        annual_billing: 'no',
      },
      { text: true },
    );
    if (!want.ok) throw new Error('must score');
    expect(await page.locator('.segment-name').textContent()).toBe(want.result.segment.label);
    expect(await page.locator('.target[data-target="churned"] .prob-label').textContent()).toBe('Churned');
    await expect(page.locator('svg.map .you .you-dot').isVisible()).resolves.toBe(true);
    await screenshot(page, 'subscriptions-result-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows its segments, its model and scores its CSVs', async () => {
    const { context, page, problems } = await open();
    await page.goto(`${subs.worker.url}/segments`);
    expect(await page.locator('article.segment-card').count()).toBe(subs.model.segmentation.segments.length);
    await screenshot(page, 'subscriptions-segments-desktop');
    await page.goto(`${subs.worker.url}/model`);
    expect(await page.locator('.target-card h3').first().textContent()).toBe('Churned');
    await screenshot(page, 'subscriptions-model-desktop');

    const csv = subscriptionsCsv(40, 99);
    await page.goto(`${subs.worker.url}/batch`);
    await page.setInputFiles('#batch-file', { name: 'accounts.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download scored CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('accounts-scored.csv');
    expect(readFileSync((await download.path())!, 'utf8')).toBe(scoredByCli(subs.model, csv));
    await screenshot(page, 'subscriptions-batch-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a phone screen', async () => {
    const { context, page } = await open(PHONE);
    for (const [path, name] of [
      ['/', 'score'],
      ['/segments', 'segments'],
      ['/model', 'model'],
    ]) {
      await page.goto(subs.worker.url + path);
      expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      await screenshot(page, `subscriptions-${name}-phone`);
    }
    await context.close();
  });
});
