// The marketers' dashboard: server-rendered pages made interactive with htmx.
// A request from htmx (HX-Request) gets just the fragment it swaps; any other
// gets the whole page, so every form also works without JavaScript.
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import { BatchPage, Report } from '../../dashboard/pages/batch.tsx';
import type { Section } from '../../dashboard/pages/layout.tsx';
import { ModelPage } from '../../dashboard/pages/model.tsx';
import { NoModelPage } from '../../dashboard/pages/no-model.tsx';
import { ScorePage, Scorer } from '../../dashboard/pages/score.tsx';
import { SegmentsPage } from '../../dashboard/pages/segments.tsx';
import { MONITOR_WINDOWS, MonitorPage } from '../../dashboard/pages/monitor.tsx';
import { MODEL_PREFIX, ACTIVE_KEY } from '../../model/index.ts';
import { monitorReport, type WindowName } from '../monitor/report.ts';
import { minRecords, storedModel } from './monitor.ts';
import { formValues, scoreForm } from '../../dashboard/views/scoring.ts';
import { type BatchReport, emptyReport } from '../../dashboard/views/batch-report.ts';
import { readText } from '../body.ts';
import { PROBLEM_TYPE_BASE, problemResponse } from '../problem.ts';
import type { AppEnv } from '../env.ts';
import type { LoadedModel } from '../model-store.ts';
import { checkCsv, scoredCsv, type BatchRefusal } from './dashboard-batch.ts';
import { counted, executionContext, requestTally, streamTally } from '../monitor/count.ts';
import { dashboardAuth } from './dashboard-auth.ts';
import { dashboardHeaders } from './dashboard-headers.ts';
import { sameOriginPosts } from './dashboard-origin.ts';
import { boundaryOf, findFilePart, MultipartError } from './dashboard-multipart.ts';
import { currentModel } from './model-middleware.ts';

/** The stored model versions (KV keys `model:<version>`), for the monitor's version selector. */
async function storedVersions(kv: KVNamespace): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page: KVNamespaceListResult<unknown> = await kv.list({ prefix: MODEL_PREFIX, cursor });
    for (const k of page.keys) if (k.name !== ACTIVE_KEY) out.push(k.name.slice(MODEL_PREFIX.length));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out.sort();
}

/** A score form is a few short fields; anything bigger is not from the form. */
const MAX_FORM_BYTES = 64 * 1024;

type Ctx = Context<AppEnv>;

/** htmx asks for a fragment — except when restoring history, which needs the page. */
export const wantsFragment = (c: Ctx) =>
  c.req.header('hx-request') === 'true' && c.req.header('hx-history-restore-request') !== 'true';

export function page(c: Ctx, node: Child, status: 200 | 400 | 413 | 415 | 422 | 503 = 200) {
  c.header('cache-control', 'no-store');
  c.header('vary', 'HX-Request');
  return c.html(html`<!doctype html>${node}`, status);
}

function fragment(c: Ctx, node: Child, status: 200 | 422 = 200) {
  c.header('cache-control', 'no-store');
  c.header('vary', 'HX-Request');
  return c.html(html`${node}`, status);
}

/** The active model, or the page saying there is none (htmx is told to reload into that page). */
async function withModel(
  c: Ctx,
  section: Section,
  render: (loaded: LoadedModel) => Response | Promise<Response>,
): Promise<Response> {
  const loaded = await currentModel(c);
  if (loaded) return render(loaded);
  if (wantsFragment(c)) c.header('hx-refresh', 'true');
  return page(c, <NoModelPage section={section} />, 503);
}

export const dashboardRoutes = new Hono<AppEnv>();

// Registered per path: a '*' middleware here would also wrap the API routes mounted beside these.
for (const path of ['/', '/segments', '/model', '/batch', '/batch/check', '/monitor'])
  dashboardRoutes.use(path, dashboardHeaders, dashboardAuth, sameOriginPosts);

dashboardRoutes.get('/', (c) => withModel(c, 'score', (m) => page(c, <ScorePage cm={m.compiled} state={{}} />)));

dashboardRoutes.post('/', (c) =>
  withModel(c, 'score', async (m) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
      return page(c, <ScorePage cm={m.compiled} state={{}} />, 415);
    }
    const body = await readText(c.req.raw, MAX_FORM_BYTES);
    if (!body.ok) return page(c, <ScorePage cm={m.compiled} state={{}} />, body.problem.status === 413 ? 413 : 400);
    const cm = m.compiled;
    const tally = requestTally(c.env, cm, m.version, false);
    const outcome = scoreForm(cm, formValues(cm, new URLSearchParams(body.text)), tally);
    if (outcome.ok) counted(c.env, executionContext(c), cm, m.version, 'dashboard', tally, 1);
    const state = { values: outcome.values, notes: outcome.notes, view: outcome.ok ? outcome.view : undefined };
    const status = outcome.ok ? 200 : 422;
    return wantsFragment(c)
      ? fragment(c, <Scorer cm={cm} state={state} />, status)
      : page(c, <ScorePage cm={cm} state={state} />, status);
  }),
);

dashboardRoutes.get('/segments', (c) => withModel(c, 'segments', (m) => page(c, <SegmentsPage cm={m.compiled} />)));

dashboardRoutes.get('/model', (c) => withModel(c, 'model', (m) => page(c, <ModelPage cm={m.compiled} />)));

dashboardRoutes.get('/monitor', (c) =>
  withModel(c, 'monitor', async (m) => {
    const window = MONITOR_WINDOWS.some(([w]) => w === c.req.query('window')) ? c.req.query('window')! : '24h';
    const asked = c.req.query('model');
    const versions = await storedVersions(c.env.MODELS);
    // Another stored version (a rollout against the one before it), or the active one.
    const chosen =
      asked && asked !== m.version && versions.includes(asked) ? await storedModel(c.env.MODELS, asked) : null;
    const model = chosen ?? m.compiled.model;
    const db = c.env.MONITOR;
    const report = db
      ? await monitorReport(db, model, window as WindowName, Date.now(), minRecords(c.env)).catch((e) => {
          console.error('GET /monitor: D1 failed:', String((e as Error)?.message ?? e).slice(0, 200));
          return null;
        })
      : null;
    return page(c, <MonitorPage model={model} report={report} window={window} versions={versions} />);
  }),
);

dashboardRoutes.get('/batch', (c) => withModel(c, 'batch', (m) => page(c, <BatchPage cm={m.compiled} />)));

type Upload =
  | { ok: true; filename: string; body: ReadableStream<Uint8Array> }
  | { ok: false; status: 400 | 415 | 422; message: string };

/** The uploaded CSV as a stream: the `file` part of a form post, or a raw text/csv body (for curl). */
async function upload(c: Ctx): Promise<Upload> {
  const type = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  if (/^(text\/csv|application\/csv|text\/plain)\b/i.test(type)) {
    if (!body) return { ok: false, status: 422, message: 'The request has no CSV in its body.' };
    return { ok: true, filename: c.req.query('filename') || 'upload.csv', body };
  }
  const boundary = boundaryOf(type);
  if (!boundary)
    return { ok: false, status: 415, message: 'Send the file from the form (multipart/form-data) or as text/csv.' };
  if (!body) return { ok: false, status: 400, message: 'The form data is empty.' };
  try {
    const part = await findFilePart(body, boundary, 'file');
    if (!part || part.filename === '') return { ok: false, status: 422, message: 'Choose a CSV file first.' };
    return { ok: true, filename: part.filename, body: part.body };
  } catch (e) {
    if (e instanceof MultipartError)
      return { ok: false, status: 400, message: `The form data could not be read: ${e.message}.` };
    throw e;
  }
}

/** `customers.csv` → `customers-scored.csv`, reduced to characters safe in a header. */
export function scoredFilename(name: string): string {
  const base = name
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);
  return `${base || 'customers'}-scored.csv`;
}

/** The report of an upload that scored nothing, saying why. */
function failedReport(filename: string, failure: string, refused?: string): BatchReport {
  const report: BatchReport = { ...emptyReport(filename), failure };
  if (refused !== undefined) report.refused = refused;
  return report;
}

/** That report as the fragment htmx asked for (422), or as the whole batch page. */
function showFailure(c: Ctx, cm: LoadedModel['compiled'], report: BatchReport, status: 400 | 415 | 422) {
  return wantsFragment(c)
    ? fragment(c, <Report cm={cm} report={report} />, 422)
    : page(c, <BatchPage cm={cm} report={report} />, status);
}

function uploadProblem(c: Ctx, cm: LoadedModel['compiled'], status: 400 | 415 | 422, message: string) {
  return showFailure(c, cm, failedReport('the upload', message), status);
}

/** A refused upload: the page (or fragment) saying why for a browser, a problem for any other client. */
function refused(c: Ctx, cm: LoadedModel['compiled'], filename: string, r: BatchRefusal) {
  if (wantsFragment(c) || /\btext\/html\b/i.test(c.req.header('accept') ?? '')) {
    return showFailure(c, cm, failedReport(filename, r.message, r.reason), r.status);
  }
  return problemResponse({
    type: `${PROBLEM_TYPE_BASE}not-a-table`,
    title: 'Not a table to score',
    status: r.status,
    detail: r.message,
    reason: r.reason,
  });
}

dashboardRoutes.post('/batch', (c) =>
  withModel(c, 'batch', async (m) => {
    const up = await upload(c);
    if (!up.ok) return uploadProblem(c, m.compiled, up.status, up.message);
    const cm = m.compiled;
    const tally = streamTally(c.env, cm);
    const ctx = executionContext(c);
    const counting = tally && {
      tally,
      done: (rows: number) => counted(c.env, ctx, cm, m.version, 'dashboard', tally, rows),
    };
    const scored = await scoredCsv(cm, up.body, up.filename, counting);
    if (!scored.ok) return refused(c, m.compiled, up.filename, scored.refusal);
    return new Response(scored.body, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${scoredFilename(up.filename)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }),
);

dashboardRoutes.post('/batch/check', (c) =>
  withModel(c, 'batch', async (m) => {
    const up = await upload(c);
    if (!up.ok) return uploadProblem(c, m.compiled, up.status, up.message);
    const report = await checkCsv(m.compiled, up.body, up.filename);
    return wantsFragment(c)
      ? fragment(c, <Report cm={m.compiled} report={report} />)
      : page(c, <BatchPage cm={m.compiled} report={report} />);
  }),
);
