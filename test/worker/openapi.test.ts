// /openapi.json (OpenAPI 3.1, from the schemas that validate requests) and the
// /docs reference page.
import { describe, expect, it, beforeAll } from 'vitest';
import { call, sampleModel, seedModel } from '../support/worker.ts';

let doc: any;
beforeAll(async () => {
  await seedModel();
  doc = await (await call('/openapi.json')).json();
});

describe('GET /openapi.json', () => {
  it('is OpenAPI 3.1 describing every public, keyed and webhook route', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/health',
      '/v1/admin/experiments',
      '/v1/admin/experiments/{key}',
      '/v1/admin/experiments/{key}/stop',
      '/v1/admin/models',
      '/v1/admin/models/{version}',
      '/v1/admin/models/{version}/activate',
      '/v1/admin/monitor',
      '/v1/admin/webhooks/events',
      '/v1/admin/webhooks/events/{id}/replay',
      '/v1/embed.js',
      '/v1/events',
      '/v1/model',
      '/v1/outcomes',
      '/v1/score',
      '/v1/segment',
      '/v1/webhooks/signup',
    ]);
    expect(doc.webhooks['signup.scored'].post).toBeDefined();
    expect(doc.components.securitySchemes.apiKey).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('marks admin routes and batch scoring as needing a key, and public routes as public', () => {
    expect(doc.paths['/v1/admin/models'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/v1/admin/models/{version}/activate'].post.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/v1/score'].post.security).toEqual([{}, { apiKey: [] }]);
    expect(doc.paths['/v1/segment'].get.security).toEqual([]); // public, said explicitly
  });

  it('documents every error as application/problem+json with the Problem schema', () => {
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (Number(status) < 400) continue;
          expect(Object.keys(response.content), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          expect(response.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        }
      }
    }
  });

  it("describes a record with the active model's inputs, the schema that validates it", () => {
    const model = sampleModel();
    const record = doc.components.schemas.Record;
    expect(Object.keys(record.properties).sort()).toEqual(model.inputs.map((f: { name: string }) => f.name).sort());
    expect(record.additionalProperties).toBe(false);
    const region = model.inputs.find((f: { name: string }) => f.name === 'region');
    expect(record.properties.region.examples).toEqual(region.levels.slice(0, 5));
    const params = doc.paths['/v1/segment'].get.parameters.map(
      (p: { name: string; in: string }) => `${p.in}:${p.name}`,
    );
    expect(params).toContain('query:age');
  });

  it('documents the visitor parameter and the experiment member on both scoring routes', () => {
    const names = (op: any) => op.parameters.map((p: any) => p.name);
    expect(names(doc.paths['/v1/segment'].get)).toContain('visitor');
    expect(names(doc.paths['/v1/segment'].get)).toContain('age');
    expect(names(doc.paths['/v1/score'].post)).toContain('visitor');
    expect(doc.components.schemas.ScoreResult.properties.experiment.properties.variant.enum).toEqual([
      'control',
      'personalised',
    ]);
  });

  it('documents the webhook headers and the Standard Webhooks payload', () => {
    const op = doc.paths['/v1/webhooks/signup'].post;
    const names = (where: string) =>
      op.parameters.filter((p: { in: string }) => p.in === where).map((p: { name: string }) => p.name);
    expect(names('header').sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(names('query')).toEqual(['explain']);
    expect(op.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SignupEvent');
    expect(doc.components.schemas.SignupEvent.required).toEqual(expect.arrayContaining(['type', 'data']));
  });
});

describe('explain in /openapi.json', () => {
  it('is a true/false query parameter of every scoring route, and reasons are described', () => {
    for (const [path, method] of [
      ['/v1/score', 'post'],
      ['/v1/segment', 'get'],
      ['/v1/webhooks/signup', 'post'],
    ]) {
      const explain = doc.paths[path][method].parameters.find((p: { name: string }) => p.name === 'explain');
      expect(explain, path).toMatchObject({ in: 'query', required: false, schema: { enum: ['true', 'false'] } });
    }
    const { ScoreResult, Reason, Contribution } = doc.components.schemas;
    expect(ScoreResult.required).not.toContain('reasons');
    expect(ScoreResult.properties.reasons.additionalProperties.$ref).toBe('#/components/schemas/Reason');
    expect(Reason.required).toEqual(['base', 'contributions']);
    expect(Contribution.required).toEqual(['input', 'value', 'contribution']);
  });
});

describe('GET /docs', () => {
  it('is an HTML reference of the same description, under its own strict CSP', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const page = await res.text();
    for (const path of Object.keys(doc.paths)) expect(page).toContain(path.replace(/[{}]/g, (m) => m));
    expect(page).toContain('href="/openapi.json"');
    expect(page).not.toContain('<script');
    // The stylesheet is the one the hash allows.
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const digest = btoa(
      String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)))),
    );
    expect(csp).toContain(`'sha256-${digest}'`);
  });
});

it('renders `code` in descriptions and escapes everything else', async () => {
  const page = await (await call('/docs')).text();
  expect(page).toContain('<code>POST /v1/score</code>');
  expect(page).toContain('&#60;base64 HMAC-SHA256'); // "<base64 …" from a description, escaped
});
