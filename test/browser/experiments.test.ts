// A holdout experiment as a website and a marketer see it, in Chromium: the
// worker under `wrangler dev` (local KV and D1), the example page on its own
// origin. The embed buckets the visitor by their first-party id, sets
// data-variant, leaves data-segment unset for control, reports a conversion
// with edgeseg.track; the dashboard's Experiments page then shows it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { variantOf } from '../../worker/experiments/bucket.ts';
import {
  DESKTOP,
  horizontalOverflow,
  launchChromium,
  lowContrastText,
  PHONE,
  screenshot,
  watchProblems,
} from '../support/browser.ts';
import { trainSample } from '../support/sample-model.ts';
import { buildWorker, type RunningWorker, startWorker } from '../support/worker-server.ts';

const KEY = 'esk_browser_experiments_key';
const scratch = mkdtempSync(join(tmpdir(), 'edgeseg-experiments-'));
let browser: Browser;
let worker: RunningWorker;
let site: Server;
let siteOrigin: string;

/** The example page, its script tag pointed at the worker under test, with the visitor id given when asked. */
const examplePage = (visitor?: string) =>
  readFileSync('examples/site/index.html', 'utf8').replace(
    'src="http://127.0.0.1:8787/v1/embed.js"',
    `src="${worker.url}/v1/embed.js"${visitor ? ` data-visitor="${visitor}"` : ''}`,
  );

beforeAll(async () => {
  const bundle = buildWorker(join(scratch, 'dist'));
  site = createServer((req, res) => {
    const visitor = new URL(req.url ?? '/', 'http://x').searchParams.get('visitor') ?? undefined;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(examplePage(visitor));
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  worker = await startWorker(bundle, JSON.stringify(await trainSample()), [
    `CORS_ORIGINS:${siteOrigin}`,
    `API_KEY_HASHES:${createHash('sha256').update(KEY).digest('hex')}`,
    'RECEIPT_SECRET:browser-test-receipt-secret',
    'EXPERIMENT_FLUSH_SECONDS:0',
  ]);
  const res = await fetch(`${worker.url}/v1/admin/experiments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ key: 'spring-hero', holdout: 0.5, segments: 'all' }),
  });
  expect(res.status).toBe(201);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await worker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A visitor id of each variant, found with the same GrowthBook hash the worker uses. */
const visitorIn = (variant: string) => {
  for (let i = 0; ; i++) if (variantOf('spring-hero', `browser-${i}`, 0.5) === variant) return `browser-${i}`;
};

async function visit(page: Page, visitor?: string) {
  await page.goto(`${siteOrigin}/${visitor ? `?visitor=${visitor}` : ''}`);
  await page.waitForSelector('html[data-segment-state="ready"]', { timeout: 15_000 });
  return page.evaluate(() => ({ ...document.documentElement.dataset }));
}

describe('the embed in an experiment', () => {
  it('personalises a visitor in the personalised variant and counts their conversion', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const html = await visit(page, visitorIn('personalised'));
    expect(html.variant).toBe('personalised');
    expect(html.segment).toMatch(/^\d+$/);
    const answer = await page.evaluate(() => (window as any).edgeseg.track('conversion', { value: 25 }));
    expect(answer).toEqual({ experiment: 'spring-hero', variant: 'personalised', counted: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows control the default page: no data-segment, but the event still carries the segment', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const html = await visit(page, visitorIn('control'));
    expect(html.variant).toBe('control');
    expect(html.segment).toBeUndefined();
    // CSS keyed on data-segment did not apply: the default accent.
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    );
    expect(accent).toBe('#8a94a6');
    const detail = JSON.parse((await page.textContent('#answer'))!);
    expect(detail.segment.id).toBeGreaterThanOrEqual(0);
    expect(detail.experiment).toEqual({ key: 'spring-hero', variant: 'control' });
    expect(await page.evaluate(() => (window as any).edgeseg.track('conversion'))).toMatchObject({ counted: true });
    await screenshot(page, 'experiments-embed-control');
    await context.close();
  });

  it('keeps a random first-party id in localStorage, the same on every visit, and sets no cookie', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const first = await visit(page);
    const id = await page.evaluate(() => localStorage.getItem('edgeseg:visitor'));
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(first.variant).toBe(variantOf('spring-hero', id!, 0.5));
    const again = await visit(page);
    expect(await page.evaluate(() => localStorage.getItem('edgeseg:visitor'))).toBe(id);
    expect(again.variant).toBe(first.variant);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });
});

describe('the Experiments page', () => {
  it('shows the experiment with its counts, a verdict in words and the chart', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(`${worker.url}/experiments`);
      expect(await page.textContent('.experiment h2')).toBe('spring-hero');
      expect(await page.textContent('.experiment .state')).toBe('running');
      expect(await page.textContent('.experiment .verdict')).toMatch(
        /^Too few visitors for a verdict on all its visitors/,
      );
      // The visitors above: one converted in each variant, at least one more personalised or control who did not.
      const total = await page.$$eval('table.results tr.total td', (cells) => cells.map((c) => c.textContent));
      expect(Number(total[1])).toBe(1);
      expect(Number(total[4])).toBe(1);
      expect(Number(total[0]) + Number(total[3])).toBeGreaterThanOrEqual(3);
      expect(await page.$$('svg.intervals g.interval')).not.toHaveLength(0);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await lowContrastText(page)).toEqual([]);
      expect(problems).toEqual([]);
      await screenshot(page, `experiments-page-${viewport === PHONE ? 'phone' : 'desktop'}`);
      await context.close();
    }
  });
});
