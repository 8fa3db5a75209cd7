// The embed script end to end, as a website uses it: the example page
// (examples/site/index.html) served from its own origin, the worker under
// `wrangler dev` with that origin in CORS_ORIGINS, in headless Chromium. The
// page must show the visitor's segment — the very answer POST /v1/score gives
// for the same fields — and an origin not on the allowlist must get nothing.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainSample } from '../support/sample-model.ts';
import { launchChromium, screenshot, watchProblems } from '../support/browser.ts';
import { buildWorker, startWorker, type RunningWorker } from '../support/worker-server.ts';

const scratch = mkdtempSync(join(tmpdir(), 'edgeseg-embed-'));
let browser: Browser;
let worker: RunningWorker;
let workerUrl: string;
let site: Server;
let sitePort: number;

/** The example page, its script tag pointed at the worker under test. */
const examplePage = () =>
  readFileSync('examples/site/index.html', 'utf8').replace(
    'http://127.0.0.1:8787/v1/embed.js',
    `${workerUrl}/v1/embed.js`,
  );

beforeAll(async () => {
  const bundle = buildWorker(join(scratch, 'dist'));
  // The site listens first (on a port of its own choosing), so the worker can be told its origin.
  site = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html')
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(examplePage());
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  sitePort = (site.address() as AddressInfo).port;
  worker = await startWorker(bundle, JSON.stringify(await trainSample()), [
    `CORS_ORIGINS:http://127.0.0.1:${sitePort}`,
  ]);
  workerUrl = worker.url;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => site?.close(r));
  await worker?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

async function scored(fields: Record<string, string | number>) {
  const res = await fetch(`${workerUrl}/v1/score`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  return (await res.json()) as {
    model: string;
    segment: { id: number; label: string };
    scores: Record<string, number>;
  };
}

describe('the example page with embed.js', () => {
  it("shows the visitor's segment on <html>, in CSS and to site code, and asks again on demand", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`http://127.0.0.1:${sitePort}/`);
    await page.waitForSelector('html[data-segment-state="ready"]', { timeout: 15_000 });

    // data-fields="region=West&channel=app&age=29&spending_score=81"
    const expected = await scored({ region: 'West', channel: 'app', age: 29, spending_score: 81 });
    const html = await page.evaluate(() => ({ ...document.documentElement.dataset }));
    expect(html).toMatchObject({
      segment: String(expected.segment.id),
      segmentLabel: expected.segment.label,
      segmentState: 'ready',
    });
    // Site code got the edgeseg:segment event with the whole answer…
    expect(await page.textContent('#segment')).toBe(expected.segment.label);
    expect(JSON.parse((await page.textContent('#answer'))!)).toMatchObject({
      model: expected.model,
      segment: expected.segment,
      scores: expected.scores,
    });
    // …and CSS keyed on data-segment applied (segment 0..5 each have an accent).
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(),
    );
    if (expected.segment.id <= 5) expect(accent).not.toBe('#8a94a6');
    await screenshot(page, 'embed-example');

    // window.edgeseg.segment({...}) asks again, e.g. for another visitor.
    const other = await scored({ region: 'East', channel: 'store', age: 67, spending_score: 20, annual_income: 120 });
    await page.click('text=Affluent store regular');
    await page.waitForFunction(
      (label) => document.documentElement.dataset.segmentLabel === label,
      other.segment.label,
      { timeout: 10_000 },
    );
    expect(await page.getAttribute('html', 'data-segment')).toBe(String(other.segment.id));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('gives a page on an origin outside CORS_ORIGINS no segment, and tells site code', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://localhost:${sitePort}/`);
    await page.waitForSelector('html[data-segment-state="error"]', { timeout: 15_000 });
    expect(await page.getAttribute('html', 'data-segment')).toBeNull();
    expect(await page.textContent('#segment')).toBe('unavailable');
    await context.close();
  });
});
