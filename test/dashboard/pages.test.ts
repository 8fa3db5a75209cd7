// The dashboard pages inside workerd: the form built from the model's schema,
// htmx fragments vs full pages, field errors in the scorer's words, the page
// shown before any model exists, escaping, and the security headers.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { compileModel, scoreRecord, computeVersion, type Model } from '../../model/index.ts';
import { createApp } from '../../worker/app.ts';
import { call, clearModels, sampleModel, seedModel } from '../support/worker.ts';
import { decoded, select, selectOne } from '../support/dashboard-html.ts';
import { OPERATOR_KEY } from '../support/keys.ts';

// The test worker has API keys configured, so the dashboard wants one: as the browser sends it, Basic with the key as password.
const signedIn = { authorization: `Basic ${btoa(`marketing:${OPERATOR_KEY}`)}` };
const page = (path: string, init: RequestInit = {}) =>
  call(path, { ...init, headers: { ...signedIn, ...(init.headers as Record<string, string>) } });
const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  page('/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
const htmx = { 'hx-request': 'true' };

const customer = {
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

describe('before any model is published', () => {
  beforeAll(clearModels);

  it.each(['/', '/segments', '/model', '/batch'])('%s says so and shows the publish command', async (path) => {
    const res = await page(path);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('No model is published yet');
    expect(decoded(html)).toContain('npm run publish -- --model models/model.json');
    expect(decoded(html)).toContain('npm start');
  });

  it('tells htmx to reload the page when the model vanished under a form', async () => {
    const res = await form(customer, htmx);
    expect(res.status).toBe(503);
    expect(res.headers.get('hx-refresh')).toBe('true');
  });
});

describe('the score form', () => {
  let model: Model;
  beforeAll(async () => {
    model = sampleModel();
    await seedModel();
  });

  it('has one labelled field per model input, numbers with the training range and a step', async () => {
    const html = await (await page('/')).text();
    const inputs = await select(html, 'form.score-form input, form.score-form select');
    expect(inputs.map((i) => i.attrs.name)).toEqual(model.inputs.map((f) => f.name));
    const labels = await select(html, 'form.score-form label');
    for (const f of model.inputs) {
      const el = inputs.find((i) => i.attrs.name === f.name)!;
      expect(labels.find((l) => l.attrs.for === el.attrs.id)?.text).toBe(f.label);
      if (f.type === 'number') {
        expect(el.attrs).toMatchObject({ type: 'number', min: String(f.min), max: String(f.max) });
        expect(Number(el.attrs.step)).toBeGreaterThan(0);
      } else expect(el.tag).toBe('select');
    }
    // Steps follow the precision of the training range: whole years, cents of a basket.
    expect(inputs.find((i) => i.attrs.name === 'age')!.attrs.step).toBe('1');
    expect(inputs.find((i) => i.attrs.name === 'avg_basket')!.attrs.step).toBe('0.01');
  });

  it('offers every level of a category, in its declared order for an ordinal one', async () => {
    const html = await (await page('/')).text();
    const tiers = await select(html, 'select[name="loyalty_tier"] option');
    expect(tiers.map((o) => o.attrs.value)).toEqual(['', 'Bronze', 'Silver', 'Gold', 'Platinum']);
    expect(tiers.find((o) => 'selected' in o.attrs)?.attrs.value).toBe('Silver'); // the most frequent level
  });

  it('posts to / with htmx attributes, and also works as a plain form', async () => {
    const el = await selectOne(await (await page('/')).text(), 'form.score-form');
    expect(el.attrs).toMatchObject({
      method: 'post',
      action: '/',
      'hx-post': '/',
      'hx-target': '#scorer',
      'hx-swap': 'outerHTML',
    });
  });
});

describe('scoring from the form', () => {
  let model: Model;
  beforeAll(async () => {
    model = sampleModel();
    await seedModel();
  });

  const expected = () => {
    const out = scoreRecord(compileModel(model), customer, { text: true });
    if (!out.ok) throw new Error('the test customer must score');
    return out.result;
  };

  it('answers htmx with just the #scorer fragment: segment, probabilities, the customer on the map', async () => {
    const res = await form(customer, htmx);
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toContain('HX-Request');
    const html = await res.text();
    expect(html.startsWith('<div id="scorer"')).toBe(true);
    expect(html).not.toContain('<html');
    const want = expected();
    expect(decoded((await selectOne(html, '.segment-name')).text)).toBe(want.segment.label);
    const p = await selectOne(html, '.target[data-target="purchased"] .prob-value');
    expect(p.text).toBe(`${Number((want.scores.purchased * 100).toFixed(want.scores.purchased < 0.1 ? 1 : 0))}%`);
    expect(await select(html, 'svg.map .you')).toHaveLength(1);
    expect(await select(html, 'svg.map .pt')).toHaveLength(model.projection.sample.length);
  });

  it('answers a plain form post with the whole page holding the same result', async () => {
    const res = await form(customer);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.toLowerCase().startsWith('<!doctype html>')).toBe(true);
    expect(decoded((await selectOne(html, '.segment-name')).text)).toBe(expected().segment.label);
    // The values typed are kept in the form.
    expect((await selectOne(html, 'input[name="age"]')).attrs.value).toBe('29');
  });

  it('lists what pushed each probability up and down, in raw units', async () => {
    const html = await (await form({ ...customer, spending_score: '99', visits_per_month: '18' }, htmx)).text();
    const drivers = await select(html, '.target[data-target="purchased"] .driver');
    expect(drivers.length).toBeGreaterThan(0);
    expect(drivers.some((d) => decoded(d.text).includes('Spending score (1–100): 99 vs average'))).toBe(true);
  });

  it('shows a refused value next to its field, in the words the scorer uses, with 422', async () => {
    const res = await form({ ...customer, age: 'thirty' }, htmx);
    expect(res.status).toBe(422);
    const html = await res.text();
    const reason = scoreRecord(compileModel(model), { age: 'thirty' }, { text: true, ignoreUnknown: true });
    expect(reason.ok).toBe(false);
    const words = !reason.ok ? reason.problems[0].reason : '';
    expect(words).toBe('must be a number, got "thirty"');
    const input = await selectOne(html, 'input[name="age"]');
    expect(input.attrs['aria-invalid']).toBe('true');
    expect('autofocus' in input.attrs).toBe(true);
    const error = await selectOne(html, `#${input.attrs.id}-error`);
    expect(decoded(error.text)).toBe(`Error: ${words}`);
    expect(input.attrs['aria-describedby']).toContain(`${input.attrs.id}-error`);
    // No result while a field is wrong; a summary links to the field instead.
    expect(await select(html, '.segment-name')).toHaveLength(0);
    expect((await select(html, '.error-summary a')).map((a) => a.attrs.href)).toEqual([`#${input.attrs.id}`]);
  });

  it('notes imputed and out-of-range values beside their fields but still scores', async () => {
    const res = await form({ ...customer, age: '120', tenure_months: '' }, htmx);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(decoded((await selectOne(html, '#f-age-note')).text)).toBe('Note: 120 is outside the training range 18..75');
    expect(decoded((await selectOne(html, '#f-tenure_months-note')).text)).toContain(
      'missing; imputed with the training median',
    );
    expect(await select(html, '.segment-name')).toHaveLength(1);
  });

  it('refuses a body that is not a form', async () => {
    const res = await page('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(415);
  });
});

describe('the other pages', () => {
  let model: Model;
  beforeAll(async () => {
    model = sampleModel();
    await seedModel();
  });

  it('/segments has a card per segment with its share, differences and a suggested action', async () => {
    const html = await (await page('/segments')).text();
    const cards = await select(html, 'article.segment-card');
    expect(cards).toHaveLength(model.segmentation.segments.length);
    for (const s of model.segmentation.segments) {
      const title = await selectOne(html, `#segment-${s.id}-title`);
      expect(decoded(title.text)).toBe(s.label);
    }
    expect((await select(html, '.segment-card .difference')).length).toBeGreaterThan(cards.length);
    expect(await select(html, '.segment-card .action')).toHaveLength(cards.length);
  });

  it('/model shows the k sweep, the map variance and per target the confusion matrix and ROC', async () => {
    const html = await (await page('/model')).text();
    expect(decoded(html)).toContain(model.version);
    expect(await select(html, '#silhouette-chart')).toHaveLength(1);
    expect(await select(html, '#inertia-chart')).toHaveLength(1);
    expect(await select(html, 'table.candidates tbody tr')).toHaveLength(
      model.segmentation.selection.candidates.length,
    );
    const [[tn, fp], [fn, tp]] = model.targets[0].metrics.test.confusion;
    const cells = await select(html, 'table.confusion tbody td');
    expect(cells.map((c) => Number(c.text.replace(/\D/g, '')))).toEqual([tn, fp, fn, tp]);
    expect(decoded((await selectOne(html, '#roc-0 .auc')).text)).toBe(
      `AUC ${model.targets[0].metrics.test.rocAuc.toFixed(2)}`,
    );
  });

  it('/model says which head scores each target and, chosen automatically, both cross-validated figures', async () => {
    const figures = async (text: string) => {
      await seedModel(text);
      const html = await (await page('/model')).text();
      return decoded((await selectOne(html, '.target-card .head-model')).text);
    };
    const c = model.targets[0].choice!;
    expect(await figures(JSON.stringify(model))).toContain(
      `Model: Logistic regression, chosen automatically: on the same cross-validation folds logistic regression scored ROC AUC ${c.cvRocAuc.logistic.toFixed(4)} and boosted trees ${c.cvRocAuc.boosted.toFixed(4)}`,
    );
    const boosted = JSON.parse(inject('boostedModel')) as Model;
    const head = boosted.targets[0];
    expect(await figures(inject('boostedModel'))).toBe(
      `Model: Boosted trees (${head.kind === 'boosted' ? head.params.iterations : 0} trees of up to 31 leaves), as set in the training config.`,
    );
    await seedModel();
  });

  it('with a boosted head: /model charts its held-out importance, and the score form its TreeSHAP drivers', async () => {
    const boosted = JSON.parse(inject('boostedModel')) as Model;
    const importance = boosted.targets[0].importance!;
    await seedModel(inject('boostedModel'));
    const html = await (await page('/model')).text();
    const chart = await selectOne(html, '.target-card figure[data-chart="importance"]');
    expect(decoded(chart.text)).toContain(`over ${importance.rows.toLocaleString('en-US')} held-out customers`);
    const scored = await (await form({ ...customer, spending_score: '99' }, htmx)).text();
    expect((await select(scored, '.target[data-target="purchased"] .driver')).length).toBeGreaterThan(0);
    await seedModel();
  });

  it('/batch has an upload form that posts multipart to /batch', async () => {
    const html = await (await page('/batch')).text();
    expect((await selectOne(html, 'form#batch-form')).attrs).toMatchObject({
      method: 'post',
      action: '/batch',
      enctype: 'multipart/form-data',
    });
    expect((await selectOne(html, 'input[type="file"]')).attrs.name).toBe('file');
  });
});

describe('security', () => {
  beforeAll(async () => {
    await seedModel();
  });

  it.each(['/', '/segments', '/model', '/batch'])('%s sets a strict Content-Security-Policy', async (path) => {
    const res = await page(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it("leaves the API routes their own policy, not the dashboard's", async () => {
    const res = await call('/v1/model');
    expect(res.headers.get('content-security-policy') ?? '').not.toContain('script-src');
  });

  it('loads htmx and the stylesheet from the worker itself, configured for the CSP', async () => {
    const html = await (await page('/')).text();
    expect((await select(html, 'script')).map((s) => s.attrs.src)).toEqual(['/vendor/htmx.min.js']);
    expect((await select(html, 'script')).every((s) => s.text.trim() === '')).toBe(true); // nothing inline
    expect(html).not.toMatch(/\sstyle=/);
    expect(await select(html, 'style')).toHaveLength(0);
    const config = JSON.parse(decoded((await selectOne(html, 'meta[name="htmx-config"]')).attrs.content));
    expect(config).toMatchObject({ allowEval: false, allowScriptTags: false, includeIndicatorStyles: false });
    const asset = await env.ASSETS.fetch('http://assets.local/vendor/htmx.min.js');
    expect(asset.status).toBe(200);
    expect(await asset.text()).toContain('htmx');
  });

  it('escapes what the model and the visitor supply', async () => {
    const evil = '<script>alert("x")</script>';
    const doc: Model = sampleModel();
    doc.segmentation.segments[0].label = evil;
    doc.segmentation.segments[0].description = '<img src=x onerror=alert(1)>';
    doc.inputs[0].label = '<b>Age</b>';
    doc.version = await computeVersion(doc);
    await seedModel(JSON.stringify(doc));
    try {
      for (const path of ['/', '/segments']) {
        const html = await (await page(path)).text();
        expect(html).not.toContain(evil);
        expect(html).not.toContain('<img src=x');
        expect(html).not.toContain('<b>Age</b>');
        expect(html).toContain('&lt;script&gt;');
      }
      const res = await form({ ...customer, region: '"><script>alert(1)</script>' }, htmx);
      const html = await res.text();
      expect(html).not.toContain('<script>alert(1)');
      expect(decoded(html)).toContain('"><script>alert(1)</script>" was not seen in training');
    } finally {
      await seedModel();
    }
  });

  describe('sign-in', () => {
    it('asks for an API key with the browser sign-in prompt when keys are configured', async () => {
      for (const path of ['/', '/segments', '/model', '/batch']) {
        const res = await call(path);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      }
      const wrong = await call('/', { headers: { authorization: `Basic ${btoa('marketing:not-a-key')}` } });
      expect(wrong.status).toBe(401);
    });

    it('lets in an accepted key given as the password, or as a bearer token', async () => {
      expect((await call('/', { headers: signedIn })).status).toBe(200);
      expect((await call('/', { headers: { authorization: `Bearer ${OPERATOR_KEY}` } })).status).toBe(200);
    });

    it('is open when no keys are configured', async () => {
      const res = await createApp().request('http://edgeseg.test/', {}, { ...env, API_KEY_HASHES: '' });
      expect(res.status).toBe(200);
    });

    it.each(['http://127.0.0.1:8787/', 'http://localhost:8787/segments', 'http://[::1]:8787/model'])(
      'is open on a local server (%s), keys or not',
      async (url) => {
        const res = await createApp().request(url, {}, env);
        expect(res.status).toBe(200);
      },
    );
  });
});

describe('posts from other sites', () => {
  beforeAll(async () => {
    await seedModel();
  });

  it('refuses a form posted from another origin (the browser would add the saved sign-in)', async () => {
    const res = await form(customer, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const fetchSite = await form(customer, { 'sec-fetch-site': 'cross-site' });
    expect(fetchSite.status).toBe(403);
  });

  it('accepts posts from its own pages and from clients that name no page', async () => {
    expect((await form(customer, { origin: 'http://edgeseg.test', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await form(customer)).status).toBe(200);
  });
});
