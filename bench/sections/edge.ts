// The edge rows, on workerd (see bench/edge.ts): POST /v1/score against the
// worker's own GET /health in throughput (wrk) and p99 latency (our
// closed-loop client), batches of 1,000 records as `records` and as a table
// (every answer checked against scoreToJson's first), all in alternating
// rounds where any non-2xx answer fails the row (bench/rule.ts); and the
// model store's cold start in fresh processes, and the model's size.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collect, type Row, type SectionContext, type SectionResult } from '../context.ts';
import {
  benchRecords,
  buildBundles,
  type Bundles,
  EDGE_DIR,
  postJson,
  postScript,
  startWorkerd,
  wrk,
  wrkFailures,
  type WrkResult,
} from '../edge.ts';
import { compileModel, parseModel, scoreToJson } from '../../model/index.ts';
import { type LatencyResult, measureLatency } from '../latency.ts';
import { perSec, x } from '../lib/format.ts';
import { sampleModel, wideModel } from '../models.ts';
import { alternate, max, median, ratios, roundsFor } from '../rule.ts';
import { judge, type TargetId } from '../targets.ts';

/** Routes whose failed requests fail a row, by name. */
type Failures = Record<string, { errors: number }[]>;

const JSON_TYPE = { 'content-type': 'application/json' };

export async function edgeSection(ctx: SectionContext): Promise<SectionResult> {
  const { quick } = ctx;
  const { add, note, result } = collect(ctx);
  ctx.log('edge: building the worker bundle and the cold-start probe');
  const bundles = buildBundles();
  const model = await sampleModel(ctx);
  const seconds = quick ? 1 : 4;
  const rounds = roundsFor(quick);
  const connections = 8;
  const records = benchRecords();
  const cm = compileModel(parseModel(readFileSync(model, 'utf8')));
  const expectedOne = scoreToJson(cm, cm.model.version, [records[0]], false);
  const expected = scoreToJson(cm, cm.model.version, records, true);
  if (!expected.ok || !expectedOne.ok) throw new Error('edge: the bench records have one the model refuses');
  const wd = await startWorkerd(bundles, model, 'http', { ceilingAnswer: expectedOne.json });
  try {
    const singleBody = JSON.stringify(records[0]);
    const recordsBody = JSON.stringify({ records });
    const single = postScript(join(EDGE_DIR, 'score.lua'), singleBody);
    const batch = postScript(join(EDGE_DIR, 'batch.lua'), recordsBody, true);
    // What is timed must be right: the worker's answer to the single record, and to both batch forms
    // (read and written in WebAssembly), is the very text the model layer writes for the same records;
    // the ceiling worker answers the single record with the same text.
    const columns = Object.keys(records[0]);
    const tableBody = JSON.stringify({ columns, data: records.map((r) => columns.map((c) => r[c])) });
    for (const [form, url, body, key, text] of [
      ['one record', wd.url, singleBody, false, expectedOne.json],
      ['a batch of records', wd.url, recordsBody, true, expected.json],
      ['a table', wd.url, tableBody, true, expected.json],
      ['one record (the ceiling worker)', wd.ceilingUrl, singleBody, false, expectedOne.json],
    ] as const) {
      if ((await postJson(`${url}/v1/score`, body, key)) !== text)
        throw new Error(`edge: the worker's answer to ${form} differs from scoreToJson's`);
    }
    // Warm both routes (JIT, the model's first load) before measuring.
    wrk(`${wd.url}/health`, 1, 4);
    wrk(`${wd.url}/v1/score`, 1, 4, single);
    wrk(`${wd.floorUrl}/`, 1, 4);
    wrk(`${wd.floorUrl}/`, 1, 4, single);
    wrk(`${wd.ceilingUrl}/v1/score`, 1, 4, single);
    // Against /health, round by round (bench/rule.ts): each round measures both routes back to back,
    // which goes first alternating, so a slow minute of the host weighs on both sides of a ratio.
    ctx.log(
      `edge: GET /health vs POST /v1/score, ${rounds} × ${seconds} s each, alternating, ${connections} connections`,
    );
    // A no-op worker's GET and POST of the same record in the same rounds: what workerd itself
    // charges for receiving a POST body, which no code of ours can win back.
    const thr = await alternate(rounds, {
      health: async () => wrk(`${wd.url}/health`, seconds, connections),
      score: async () => wrk(`${wd.url}/v1/score`, seconds, connections, single),
      floorGet: async () => wrk(`${wd.floorUrl}/`, seconds, connections),
      floorPost: async () => wrk(`${wd.floorUrl}/`, seconds, connections, single),
      ceiling: async () => wrk(`${wd.ceilingUrl}/v1/score`, seconds, connections, single),
    });
    // Each row: one route's rounds against another's, each round's ratio judged (bench/rule.ts).
    const rates = (a: { rps: number }[]) => a.map((w) => w.rps);
    const rateRow = (id: TargetId, work: string, a: WrkResult[], b: WrkResult[], bName: string, fail?: Failures) => {
      const j = judge(id, { rounds: ratios(rates(a), rates(b)), ...(fail && { failures: wrkFailures(fail) }) });
      const baseline = `${bName} ${perSec(median(rates(b)), 'req')}`;
      add({ section: 'edge', work, ours: perSec(median(rates(a)), 'req'), baseline, ratio: x(j.figure), ...j });
    };
    rateRow(
      'edge.throughput',
      `POST /v1/score, one record, throughput on workerd (wrk, ${connections} conn., ${rounds} alternating rounds of ${seconds} s per route, each round's ratio, median)`,
      thr.score,
      thr.health,
      'GET /health',
      { '/health': thr.health, '/v1/score': thr.score },
    );
    rateRow(
      'edge.floor',
      `workerd's floor: a worker doing no work, answering a POST of the same record (body read) vs a GET (in the same rounds as the row above)`,
      thr.floorPost,
      thr.floorGet,
      'no-op GET',
      { 'no-op GET': thr.floorGet, 'no-op POST': thr.floorPost },
    );
    rateRow(
      'edge.ceiling',
      "the ceiling: the same app, router, body reading and answer headers, with a POST /v1/score that only parses the record and answers the real answer (bench/workerd/ceiling.ts), vs the worker's GET /health (in the same rounds as the row above)",
      thr.ceiling,
      thr.health,
      'GET /health',
      { 'the ceiling POST': thr.ceiling },
    );
    rateRow(
      'edge.over-floor',
      'POST /v1/score against that no-op POST: what our routing, reading, scoring and answer cost',
      thr.score,
      thr.floorPost,
      'no-op POST',
    );
    // Latency from our own closed-loop client (see bench/latency.ts for why not wrk's percentiles).
    ctx.log(`edge: latency, ${rounds} × ${seconds} s each, alternating, ${connections} connections`);
    const postSingle = { connections, seconds, method: 'POST', body: singleBody, headers: JSON_TYPE } as const;
    // The no-op worker's GET and POST in the same rounds: workerd's own latency for a POST body.
    const lat = await alternate(rounds, {
      health: () => measureLatency(`${wd.url}/health`, { connections, seconds }),
      score: () => measureLatency(`${wd.url}/v1/score`, postSingle),
      floorGet: () => measureLatency(`${wd.floorUrl}/`, { connections, seconds }),
      floorPost: () => measureLatency(`${wd.floorUrl}/`, postSingle),
      ceiling: () => measureLatency(`${wd.ceilingUrl}/v1/score`, postSingle),
    });
    const p99s = (a: LatencyResult[]) => a.map((w) => w.p99ms);
    const ms = (a: LatencyResult[], q: 'p50ms' | 'p99ms' = 'p99ms') => `${median(a.map((w) => w[q])).toFixed(2)} ms`;
    const tailRow = (
      id: TargetId,
      work: string,
      a: LatencyResult[],
      b: LatencyResult[],
      bName: string,
      fail: Failures,
    ) => {
      const j = judge(id, { rounds: ratios(p99s(a), p99s(b)), failures: wrkFailures(fail) });
      add({ section: 'edge', work, ours: ms(a), baseline: `${bName} ${ms(b)}`, ratio: x(j.figure), ...j });
    };
    tailRow(
      'edge.p99',
      `POST /v1/score, one record, p99 latency (closed-loop client, ${connections} conn., ${rounds} alternating rounds of ${seconds} s per route, each round's ratio, median; p50 ${ms(lat.score, 'p50ms')} vs ${ms(lat.health, 'p50ms')})`,
      lat.score,
      lat.health,
      'GET /health',
      { '/health': lat.health, '/v1/score': lat.score },
    );
    tailRow(
      'edge.ceiling-p99',
      `the ceiling's p99 (the worker with a POST /v1/score that only parses the record, as above) vs the worker's GET /health, in the same latency rounds (p50 ${ms(lat.ceiling, 'p50ms')})`,
      lat.ceiling,
      lat.health,
      'GET /health',
      { 'the ceiling POST': lat.ceiling },
    );
    tailRow(
      'edge.floor-p99',
      `workerd's floor at the tail: the no-op worker's p99 for a POST of the same record vs a GET (in the same latency rounds; p50 ${ms(lat.floorPost, 'p50ms')} vs ${ms(lat.floorGet, 'p50ms')})`,
      lat.floorPost,
      lat.floorGet,
      'no-op GET',
      { 'no-op GET': lat.floorGet, 'no-op POST': lat.floorPost },
    );
    // The same 1,000 records as `records` and as a table (columns + rows), the compact batch form,
    // alternating. No same-run baseline: the median round's rate is judged; the best is context.
    const table = postScript(join(EDGE_DIR, 'table.lua'), tableBody, true);
    wrk(`${wd.url}/v1/score`, 1, 2, batch);
    wrk(`${wd.url}/v1/score`, 1, 2, table);
    ctx.log(`edge: batches of 1,000, ${rounds} × ${seconds} s each as records and as a table, alternating`);
    const b = await alternate(rounds, {
      records: async () => wrk(`${wd.url}/v1/score`, seconds, 4, batch),
      table: async () => wrk(`${wd.url}/v1/score`, seconds, 4, table),
    });
    const recRates = (ws: WrkResult[]) => ws.map((w) => w.rps * 1000);
    // Every round, so the spread behind the medians is on record.
    const k = (v: number) => (v / 1000).toFixed(1);
    note(
      `edge rounds, req/s: \`/health\` ${thr.health.map((w) => w.rps.toFixed(0)).join(', ')}; \`/v1/score\` ${thr.score.map((w) => w.rps.toFixed(0)).join(', ')}; no-op GET ${thr.floorGet.map((w) => w.rps.toFixed(0)).join(', ')}; no-op POST ${thr.floorPost.map((w) => w.rps.toFixed(0)).join(', ')}; ceiling ${thr.ceiling.map((w) => w.rps.toFixed(0)).join(', ')}; p99 ms: \`/health\` ${lat.health.map((w) => w.p99ms.toFixed(2)).join(', ')}; \`/v1/score\` ${lat.score.map((w) => w.p99ms.toFixed(2)).join(', ')}; no-op GET ${lat.floorGet.map((w) => w.p99ms.toFixed(2)).join(', ')}; no-op POST ${lat.floorPost.map((w) => w.p99ms.toFixed(2)).join(', ')}; ceiling ${lat.ceiling.map((w) => w.p99ms.toFixed(2)).join(', ')}; batches, k rec/s: records ${recRates(b.records).map(k).join(', ')}; table ${recRates(b.table).map(k).join(', ')}.`,
    );
    const rec = judge('edge.batch-records', {
      rounds: recRates(b.records),
      failures: wrkFailures({ records: b.records }),
    });
    add({
      section: 'edge',
      work: `POST /v1/score, batches of 1,000 records as \`records\` (${Math.round(recordsBody.length / 1024)} KB of JSON objects; wrk, 4 conn., median of ${rounds} alternating rounds of ${seconds} s, best ${perSec(max(recRates(b.records)), 'rec')}; end to end: JSON in, JSON out)`,
      ours: perSec(rec.figure, 'rec'),
      baseline: '—',
      ratio: '—',
      ...rec,
    });
    const tab = judge('edge.batch-table', { rounds: recRates(b.table), failures: wrkFailures({ table: b.table }) });
    add({
      section: 'edge',
      work: `the same 1,000 records as a table (\`columns\` + \`data\` rows, ${Math.round(tableBody.length / 1024)} KB; alternating with the row above; best ${perSec(max(recRates(b.table)), 'rec')})`,
      ours: perSec(tab.figure, 'rec'),
      baseline: '—',
      ratio: '—',
      ...tab,
    });
  } finally {
    await wd.stop();
  }
  await coldStart(ctx, bundles, add);
  return result;
}

/**
 * The cold-start rows, on the wide model: the first load in the fresh
 * cold-start isolate of each of ≥ 9 fresh workerd processes (the target, on
 * the median), a warm reload (context) and the model's size.
 */
async function coldStart(ctx: SectionContext, bundles: Bundles, add: (row: Row) => void): Promise<void> {
  const { quick } = ctx;
  const wide = await wideModel(ctx);
  const bytes = statSync(wide.file).size;
  const chars = readFileSync(wide.file, 'utf8').length;
  ctx.log(`edge: cold start of a ${wide.what} model (${(bytes / 1024).toFixed(1)} KB)`);
  type Cold = { ms: number; kvMs: number; inputs: number; k: number; bytes: number };
  const firsts: Cold[] = [];
  const failures: string[] = [];
  let warm: Cold | null = null;
  const processes = quick ? 2 : 9;
  const loads = quick ? 50 : 300;
  const probe = async (url: string, p: number): Promise<Cold | null> => {
    const r = await fetch(url);
    if (r.status !== 200) {
      failures.push(`process ${p + 1}: the probe answered ${r.status} ${(await r.text()).slice(0, 100)}`);
      return null;
    }
    const cold = (await r.json()) as Cold;
    // The probe reports the length of the text it read (UTF-16 units): compared with the model's text.
    if (cold.bytes !== chars)
      failures.push(`process ${p + 1}: read ${cold.bytes} characters from KV, the model has ${chars}`);
    return cold;
  };
  for (let p = 0; p < processes; p++) {
    const wd = await startWorkerd(bundles, wide.file, 'cold');
    try {
      // The first load in this process's fresh cold-start isolate (the worker's own isolate has loaded already).
      const first = await probe(`${wd.coldUrl}/?loads=1`, p);
      if (first) firsts.push(first);
      if (p === processes - 1) warm = await probe(`${wd.coldUrl}/?loads=${loads}`, p);
    } finally {
      await wd.stop();
    }
  }
  const cold = judge('edge.cold-start', { rounds: firsts.map((c) => c.ms), failures });
  add({
    section: 'edge',
    work: `cold start in workerd: the first load of a fresh isolate — read model:active and the model from KV, parse, validate, compile (${wide.what}, ${firsts[0]?.inputs ?? '?'} inputs), the worker's own model store, its code not yet compiled by V8; median of ${processes} fresh workerd processes (${firsts.map((c) => c.ms.toFixed(0)).join(', ')} ms: workerd's clock ticks in ms)`,
    ours: `${cold.figure.toFixed(1)} ms`,
    baseline: '—',
    ratio: '—',
    ...cold,
  });
  const reload = judge('edge.warm-reload', warm ? { rounds: [warm.ms] } : null);
  add({
    section: 'edge',
    work: `the same in a warm isolate (a model refresh): mean of ${loads} loads in one isolate, of which the two KV reads ${warm ? warm.kvMs.toFixed(2) : '?'} ms`,
    ours: warm ? `${warm.ms.toFixed(2)} ms` : 'failed',
    baseline: '—',
    ratio: '—',
    ...reload,
  });
  const size = judge('edge.model-size', { rounds: [bytes] });
  add({
    section: 'edge',
    work: `model JSON size (${wide.what})`,
    ours: `${(bytes / 1024).toFixed(1)} KB`,
    baseline: '—',
    ratio: '—',
    ...size,
  });
}
